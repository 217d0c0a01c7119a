import { sql } from "drizzle-orm";
import { rowsOf, type Database } from "../../../db/client";
import { decodeCursor, encodeCursor } from "../../lib/cursor";
import { TRASH_RETENTION_DAYS, type TrashEntity, type TrashPage } from "../../schemas/trash";

type Row = Record<string, unknown>;
const DAY = 86_400_000;

/** Table and audit entity type per trash path segment (a fixed map: the table name never comes from the request). */
export const trashTables: Record<TrashEntity, { table: string; entityType: string }> = {
  accounts: { table: "accounts", entityType: "account" },
  contacts: { table: "contacts", entityType: "contact" },
  leads: { table: "leads", entityType: "lead" },
  opportunities: { table: "opportunities", entityType: "opportunity" },
};

/**
 * Recently deleted records of one type, newest deletion first (keyset on (deleted_at, id) over the partial
 * `<table>_ws_trash_idx`), with who deleted each (its latest `delete` audit entry, one probe of audit_entity_idx per
 * row) and the days left before the nightly purge.
 */
export async function listTrash(input: { db: Database; workspaceId: string; entity: TrashEntity; limit: number; cursor?: string; now?: Date }): Promise<TrashPage> {
  const { db, workspaceId, entity, limit } = input;
  const now = input.now ?? new Date();
  const { table, entityType } = trashTables[entity];
  const k = input.cursor ? decodeCursor(input.cursor) : undefined;
  const after = k ? sql` and (r.deleted_at, r.id) < (${String(k.value)}::timestamptz, ${k.id}::uuid)` : sql``;
  const res = await db.http.execute(sql`
    select r.id, r.name, r.deleted_at, r.deleted_at::text as cursor_at, d.actor_id, u.name as actor_name
    from (select id, name, deleted_at from ${sql.identifier(table)} r
          where r.workspace_id = ${workspaceId} and r.deleted_at is not null${after}
          order by r.deleted_at desc, r.id desc limit ${limit + 1}) r
    left join lateral (
      select a.actor_id from audit_log a
      where a.workspace_id = ${workspaceId} and a.entity_type = ${entityType} and a.entity_id = r.id and a.action = 'delete'
      order by a.at desc limit 1) d on true
    left join users u on u.id = d.actor_id
    order by r.deleted_at desc, r.id desc`);
  const rows = rowsOf<Row>(res);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    data: page.map((r) => {
      const deletedAt = r.deleted_at instanceof Date ? r.deleted_at : new Date(String(r.deleted_at));
      const purgeAt = new Date(deletedAt.getTime() + TRASH_RETENTION_DAYS * DAY);
      return {
        id: String(r.id),
        name: r.name === null || r.name === undefined ? null : String(r.name),
        deletedAt: deletedAt.toISOString(),
        deletedBy: r.actor_id ? { id: String(r.actor_id), name: String(r.actor_name ?? "") } : null,
        purgeAt: purgeAt.toISOString(),
        daysLeft: Math.max(0, Math.floor((purgeAt.getTime() - now.getTime()) / DAY)),
      };
    }),
    nextCursor: rows.length > limit && last ? encodeCursor({ value: String(last.cursor_at), id: String(last.id) }) : null,
    retentionDays: TRASH_RETENTION_DAYS,
  };
}
