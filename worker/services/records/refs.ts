import { sql } from "drizzle-orm";
import { rowsOf, type Executor } from "../../../db/client";
import { ValidationError } from "../../lib/errors";
import type { RefKind } from "./entities";

const tableOf: Record<RefKind, string> = {
  account: "accounts",
  contact: "contacts",
  lead: "leads",
  opportunity: "opportunities",
  user: "users",
  stage: "pipeline_stages",
};

/**
 * Every id a caller links to must exist, be live and sit in the caller's workspace; another tenant's id is
 * reported exactly like a missing one. One query per kind of reference.
 */
export async function assertRefs(
  db: Executor,
  workspaceId: string,
  refs: { field: string; kind: RefKind; id: string }[],
): Promise<void> {
  const byKind = new Map<RefKind, { field: string; id: string }[]>();
  for (const r of refs) byKind.set(r.kind, [...(byKind.get(r.kind) ?? []), r]);
  const missing: { path: string; message: string }[] = [];
  for (const [kind, list] of byKind) {
    const ids = [...new Set(list.map((r) => r.id))];
    const activeOnly = kind === "user" ? sql` and active` : sql``;
    const res = await db.execute(
      sql`select id::text as id from ${sql.identifier(tableOf[kind])} where workspace_id = ${workspaceId} and deleted_at is null${activeOnly} and id in (${sql.join(ids.map((i) => sql`${i}::uuid`), sql`, `)})`,
    );
    const rows = rowsOf<{ id: string }>(res);
    const found = new Set(rows.map((r) => r.id));
    for (const r of list) if (!found.has(r.id)) missing.push({ path: r.field, message: `no ${kind === "user" ? "active user" : kind} with this id in your workspace` });
  }
  if (missing.length) throw new ValidationError("A linked record does not exist", missing);
}
