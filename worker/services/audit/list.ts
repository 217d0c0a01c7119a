import { sql, type SQL } from "drizzle-orm";
import { rowsOf, type Database } from "../../../db/client";
import { decodeCursor, encodeCursor } from "../../lib/cursor";
import { ValidationError } from "../../lib/errors";
import type { AuditEntry, AuditQuery } from "../../schemas/audit";

type Row = Record<string, unknown>;

/**
 * The workspace's audit trail, newest first. Keyset on (at, id) descending walks audit_ws_at_idx, so a deep page
 * costs what the first does; filters narrow that walk.
 */
export async function listAudit(input: { db: Database; workspaceId: string; query: AuditQuery }): Promise<{ data: AuditEntry[]; nextCursor: string | null }> {
  const { db, workspaceId, query: q } = input;
  const where: SQL[] = [sql`l.workspace_id = ${workspaceId}`];
  if (q.entityType) where.push(sql`l.entity_type = ${q.entityType}`);
  if (q.entityId) where.push(sql`l.entity_id = ${q.entityId}`);
  if (q.actorId) where.push(sql`l.actor_id = ${q.actorId}`);
  if (q.action?.endsWith(".*")) {
    where.push(sql`l.action like ${`${q.action.slice(0, -2).replace(/[\\%_]/g, (m) => `\\${m}`)}.%`}`);
  } else if (q.action) {
    where.push(sql`l.action = ${q.action}`);
  }
  if (q.from) where.push(sql`l.at >= ${q.from}::timestamptz`);
  if (q.to) where.push(sql`l.at < ${q.to}::timestamptz`);
  if (q.cursor) {
    const k = decodeCursor(q.cursor);
    if (typeof k.value !== "string") throw new ValidationError("The cursor is invalid; start again without one", [{ path: "cursor", message: "is not an audit cursor" }], 400);
    where.push(sql`(l.at, l.id) < (${k.value}::timestamptz, ${k.id}::uuid)`);
  }
  // at::text keeps microseconds, so the cursor never skips or repeats entries written in the same millisecond.
  const res = await db.http.execute(sql`
    select l.id, l.at, l.at::text as cursor_at, l.action, l.entity_type, l.entity_id, l.changes, l.request_id,
           l.actor_id, u.name as actor_name, l.api_key_id, k.name as api_key_name, k.prefix as api_key_prefix
    from audit_log l
    left join users u on u.id = l.actor_id
    left join api_keys k on k.id = l.api_key_id
    where ${sql.join(where, sql` and `)}
    order by l.at desc, l.id desc
    limit ${q.limit + 1}`);
  const rows = rowsOf(res);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    data: page.map((r) => ({
      id: String(r.id),
      at: new Date(r.at instanceof Date ? r.at : String(r.at)).toISOString(),
      action: String(r.action),
      entityType: String(r.entity_type),
      entityId: (r.entity_id as string | null) ?? null,
      changes: (typeof r.changes === "string" ? JSON.parse(r.changes) : r.changes ?? {}) as AuditEntry["changes"],
      actor: r.actor_id ? { id: String(r.actor_id), name: String(r.actor_name ?? "") } : null,
      requestId: (r.request_id as string | null) ?? null,
      apiKey: r.api_key_id ? { id: String(r.api_key_id), name: String(r.api_key_name ?? ""), prefix: String(r.api_key_prefix ?? "") } : null,
    })),
    nextCursor: rows.length > q.limit && last ? encodeCursor({ value: String(last.cursor_at), id: String(last.id) }) : null,
  };
}
