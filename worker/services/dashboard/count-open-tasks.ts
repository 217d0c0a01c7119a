import { sql } from "drizzle-orm";
import { rowsOf, type Database } from "../../../db/client";
import type { TaskCounts } from "../../schemas/dashboard";

type Row = Record<string, unknown>;

/**
 * Exact counts for the dashboard's "My open tasks": all open tasks of one owner and those due before `overdueBefore`.
 * The panel shows a page of tasks; counting that page said "50 overdue" to a rep with 14,370. The predicate repeats
 * the partial index `activities_open_tasks_owner_due_idx` (workspace, owner, due_at, id), so both counts are one
 * index-only range over the owner's open tasks (29k entries at the benchmark's heaviest owner).
 */
export async function countOpenTasks(input: { db: Database; workspaceId: string; ownerId: string; overdueBefore: Date }): Promise<TaskCounts> {
  const { db, workspaceId, ownerId, overdueBefore } = input;
  const res = await db.http.execute(sql`
    select count(*)::int as open, (count(*) filter (where due_at < ${overdueBefore.toISOString()}::timestamptz))::int as overdue
    from activities
    where workspace_id = ${workspaceId} and owner_id = ${ownerId}
      and type = 'task' and completed_at is null and deleted_at is null`);
  const row = rowsOf<Row>(res)[0] ?? {};
  return { ownerId, open: Number(row.open ?? 0), overdue: Number(row.overdue ?? 0) };
}
