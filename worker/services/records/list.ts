import { and, asc, desc, sql, type SQL } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { afterCursor, decodeCursor, encodeCursor } from "../../lib/cursor";
import { ValidationError } from "../../middleware/errors";
import type { ListQuery } from "../../schemas/records";
import type { EntityDef } from "./entities";
import { serialize } from "./serialize";

/**
 * Filtered, sorted, keyset-paginated list. Sort on (column, id) matches the (workspace, column, id) indexes, so a
 * deep page costs what the first does.
 */
export async function listRecords(input: { db: Database; workspaceId: string; def: EntityDef; query: ListQuery }) {
  const { db, workspaceId, def, query: q } = input;
  const tbl = def.table;
  const sortKey = q.sort ?? def.defaultSort;
  const dir: "asc" | "desc" = sortKey.startsWith("-") ? "desc" : "asc";
  const sort = def.sorts[sortKey.replace(/^-/, "")];
  if (!sort) {
    throw new ValidationError(`Cannot sort by "${sortKey}"`, [{ path: "sort", message: `one of ${Object.keys(def.sorts).map((s) => `${s}, -${s}`).join(", ")}` }], 400);
  }

  const where: SQL[] = [sql`${tbl.workspaceId} = ${workspaceId}`, q.deleted === "true" ? sql`${tbl.deletedAt} is not null` : sql`${tbl.deletedAt} is null`];
  if (q.ownerId && tbl.ownerId) where.push(sql`${tbl.ownerId} = ${q.ownerId}`);
  if (q.createdFrom) where.push(sql`${tbl.createdAt} >= ${q.createdFrom}`);
  if (q.createdTo) where.push(sql`${tbl.createdAt} <= ${q.createdTo}`);
  if (q.updatedFrom) where.push(sql`${tbl.updatedAt} >= ${q.updatedFrom}`);
  if (q.updatedTo) where.push(sql`${tbl.updatedAt} <= ${q.updatedTo}`);
  if (q.q) where.push(def.search(`%${q.q.toLowerCase().replace(/[\\%_]/g, (m) => `\\${m}`)}%`));
  where.push(...def.filters(q));
  if (q.cursor) where.push(afterCursor(sql`${sort.col}`, sql`${tbl.id}`, dir, decodeCursor(q.cursor), sort.cast));

  const order = dir === "asc" ? [asc(sort.col), asc(tbl.id!)] : [desc(sort.col), desc(tbl.id!)];
  // The cursor keeps the sort value as Postgres prints it: microsecond timestamps survive the round trip.
  const rows = await db.http
    .select({ row: tbl, sortValue: sql<string | null>`${sort.col}::text` })
    .from(tbl)
    .where(and(...where))
    .orderBy(...order)
    .limit(q.limit + 1);

  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  const nextCursor =
    rows.length > q.limit && last ? encodeCursor({ value: last.sortValue, id: String((last.row as Record<string, unknown>).id) }) : null;
  return { data: page.map((r) => serialize(r.row as Record<string, unknown>)), nextCursor };
}
