import { sql } from "drizzle-orm";
import { rowsOf, type Database } from "../../../db/client";
import type { TaskSummary } from "../../schemas/tasks";
import { openTasksIn, type TaskBounds } from "./bounds";

/**
 * Exact open-task counts per group for the Tasks page headers: one pass over the scope's entries of the open-task
 * partial index (index-only; 146k entries for a whole benchmark workspace, 29k for its busiest owner).
 */
export async function summarizeTasks(input: { db: Database; workspaceId: string; ownerId: string | null; bounds: TaskBounds }): Promise<TaskSummary> {
  const { db, workspaceId, ownerId, bounds: b } = input;
  const t = (d: Date) => sql`${d.toISOString()}::timestamptz`;
  const res = await db.http.execute(sql`
    select count(*) filter (where due_at < ${t(b.todayStart)})::int as overdue,
           count(*) filter (where due_at >= ${t(b.todayStart)} and due_at < ${t(b.tomorrowStart)})::int as today,
           count(*) filter (where due_at >= ${t(b.tomorrowStart)} and due_at < ${t(b.weekEnd)})::int as week,
           count(*) filter (where due_at >= ${t(b.weekEnd)})::int as later,
           count(*) filter (where due_at is null)::int as none
    from activities where ${openTasksIn(workspaceId, ownerId)}`);
  const r = rowsOf(res)[0] ?? {};
  const n = (v: unknown) => Number(v ?? 0);
  return { scope: ownerId ? "mine" : "team", counts: { overdue: n(r.overdue), today: n(r.today), week: n(r.week), later: n(r.later), none: n(r.none) } };
}
