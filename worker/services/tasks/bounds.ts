import { sql, type SQL } from "drizzle-orm";
import { ValidationError } from "../../lib/errors";
import type { TaskGroup } from "../../schemas/tasks";

export interface TaskBounds {
  todayStart: Date;
  tomorrowStart: Date;
  weekEnd: Date;
}

const DAY = 86_400_000;

/** The group edges from the query (the user's local day, sent by the SPA), else UTC days. Refuses edges out of order. */
export function taskBounds(q: { todayStart?: string; tomorrowStart?: string; weekEnd?: string }, now = new Date()): TaskBounds {
  const utcMidnight = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const todayStart = q.todayStart ? new Date(q.todayStart) : utcMidnight;
  const tomorrowStart = q.tomorrowStart ? new Date(q.tomorrowStart) : new Date(todayStart.getTime() + DAY);
  const weekEnd = q.weekEnd ? new Date(q.weekEnd) : new Date(todayStart.getTime() + 7 * DAY);
  if (!(todayStart < tomorrowStart)) throw new ValidationError("tomorrowStart must be after todayStart", [{ path: "tomorrowStart", message: "must be after todayStart" }], 400);
  if (weekEnd < tomorrowStart) throw new ValidationError("weekEnd must not be before tomorrowStart", [{ path: "weekEnd", message: "must not be before tomorrowStart" }], 400);
  return { todayStart, tomorrowStart, weekEnd };
}

/** The due-date range of a group, as a predicate on `due_at` (each one an index range on the open-task indexes). */
export function groupRange(group: TaskGroup, b: TaskBounds): SQL {
  const t = (d: Date) => sql`${d.toISOString()}::timestamptz`;
  switch (group) {
    case "overdue":
      return sql`due_at < ${t(b.todayStart)}`;
    case "today":
      return sql`due_at >= ${t(b.todayStart)} and due_at < ${t(b.tomorrowStart)}`;
    case "week":
      return sql`due_at >= ${t(b.tomorrowStart)} and due_at < ${t(b.weekEnd)}`;
    case "later":
      return sql`due_at >= ${t(b.weekEnd)}`;
    case "none":
      return sql`due_at is null`;
  }
}

/**
 * Open tasks in scope. Repeats the predicate of the partial indexes activities_open_tasks_owner_due_idx (mine) and
 * activities_open_tasks_due_idx (team) word for word, so Postgres can use them.
 */
export function openTasksIn(workspaceId: string, ownerId: string | null): SQL {
  return sql`workspace_id = ${workspaceId}${ownerId ? sql` and owner_id = ${ownerId}` : sql``}
    and type = 'task' and completed_at is null and deleted_at is null`;
}
