import { sql } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { Tx } from "../../../db/client";
import { rowsOf } from "./write";

/** More namesakes than this are "ambiguous" all the same; the cap keeps one key from reading thousands of rows. */
const PER_KEY = 20;

/**
 * Ids of live rows whose `lower(column)` is one of `values` (already lower-cased), one index probe per value on the
 * (workspace_id, lower(column) collate "C") where deleted_at is null indexes. Written as a LATERAL join with a LIMIT
 * so the plan is a probe per key whatever the planner's estimates: `lower(col) in (…500 values)` was planned as a
 * sequential scan of 50k accounts where the expression had no statistics, and without the collation no index fits
 * (a minute over 1M contacts: scripts/bench/import-match.ts).
 */
export async function idsByLowerKey(tx: Tx, table: PgTable, column: PgColumn, workspaceId: string, values: string[]): Promise<string[]> {
  if (!values.length) return [];
  const res = await tx.execute(sql`
    select m.id from json_array_elements_text(${JSON.stringify(values)}::json) as k(v)
    cross join lateral (
      select t.id from ${table} t
      where t.workspace_id = ${workspaceId} and t.deleted_at is null and lower(t.${sql.identifier(column.name)}) collate "C" = k.v
      limit ${PER_KEY}
    ) m`);
  return [...new Set(rowsOf(res).map((r) => String(r.id)))];
}
