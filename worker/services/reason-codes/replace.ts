import { sql } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { reasonCodes } from "../../../db/schema";
import { ValidationError, type FieldError } from "../../lib/errors";
import { reasonKinds, type ReasonCodes, type ReasonCodesPut } from "../../schemas/reason-codes";
import { recordAudit, type Actor } from "../audit/record";
import { readReasonCodes } from "./list";

/**
 * Replaces the list of each kind the body names (kinds left out stay as they are), in one transaction. Removed codes
 * are soft-deleted: stage changes that cited them keep their stored code.
 */
export async function replaceReasonCodes(input: { db: Database; actor: Actor; body: ReasonCodesPut }): Promise<ReasonCodes> {
  const { db, actor, body } = input;
  const errors: FieldError[] = [];
  for (const kind of reasonKinds) {
    const seen = new Set<string>();
    body[kind]?.forEach((c, i) => {
      if (seen.has(c.value)) errors.push({ path: `${kind}.${i}.value`, message: "appears more than once" });
      seen.add(c.value);
    });
  }
  if (errors.length) throw new ValidationError("The reason codes are invalid", errors);

  return db.transaction(async (tx) => {
    const before = await readReasonCodes(tx, actor.workspaceId);
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const kind of reasonKinds) {
      const list = body[kind];
      if (!list || JSON.stringify(list) === JSON.stringify(before[kind])) continue;
      await tx.execute(sql`update reason_codes set deleted_at = now(), updated_at = now()
        where workspace_id = ${actor.workspaceId} and kind = ${kind} and deleted_at is null`);
      if (list.length) await tx.insert(reasonCodes).values(list.map((c, position) => ({ workspaceId: actor.workspaceId, kind, value: c.value, label: c.label, position, source: "ui" })));
      changes[kind] = { from: before[kind], to: list };
    }
    if (Object.keys(changes).length) await recordAudit(tx, actor, { action: "settings.reason_codes", entityType: "settings", entityId: null, changes });
    return readReasonCodes(tx, actor.workspaceId);
  });
}
