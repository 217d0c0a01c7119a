import type { Executor } from "../../../db/client";
import { ValidationError, type FieldError } from "../../lib/errors";
import { listCustomFields } from "./registry";
import { resolveCustomValues } from "./values";

type Target = "account" | "contact" | "opportunity";

/**
 * Lead conversion: each new record's `custom` is the caller's values over the lead's values of fields with the same
 * key and type on the target entity (a "budget" money field on leads and on deals carries over), validated like any
 * create (required, defaults, types: 422 naming `account.custom.<key>` …). Undefined for a target not created.
 */
export async function carriedCustom(
  db: Executor,
  workspaceId: string,
  lead: Record<string, unknown>,
  given: Partial<Record<Target, unknown>>,
  targets: readonly Target[],
): Promise<Record<Target, Record<string, unknown> | undefined>> {
  const all = await listCustomFields(db, workspaceId);
  const leadValues = (lead.custom ?? {}) as Record<string, unknown>;
  const leadTypes = new Map(all.filter((f) => f.entity === "lead").map((f) => [f.key, f.type]));
  const out = {} as Record<Target, Record<string, unknown> | undefined>;
  // One 422 lists the problems of every target.
  const errors: FieldError[] = [];
  for (const target of targets) {
    const fields = all.filter((f) => f.entity === target);
    const carried: Record<string, unknown> = {};
    for (const f of fields) if (leadTypes.get(f.key) === f.type && leadValues[f.key] !== undefined) carried[f.key] = leadValues[f.key];
    const mine = given[target];
    const merged = { ...carried, ...(mine && typeof mine === "object" && !Array.isArray(mine) ? (mine as Record<string, unknown>) : {}) };
    out[target] = await resolveCustomValues(db, {
      workspaceId,
      entity: target,
      custom: mine !== undefined && (typeof mine !== "object" || mine === null || Array.isArray(mine)) ? mine : merged,
      mode: "create",
      fields,
      path: `${target}.custom`,
    }).catch((e: unknown) => {
      if (!(e instanceof ValidationError)) throw e;
      errors.push(...((e.extra.errors as FieldError[] | undefined) ?? []));
      return undefined;
    });
  }
  if (errors.length) throw new ValidationError("Some custom field values are invalid", errors);
  return out;
}
