/*
 * The Tasks page's data: group edges in the user's time zone, the two reads, and snooze targets. Completing,
 * snoozing and reassigning are PATCH /api/activities/{id} (updateActivity in records.ts).
 */
import type { Calendar, CalendarItem, TaskGroup, TaskItem, TaskPage, TaskSummary } from "../../worker/schemas/tasks";
import { apiRequest } from "./api";

export type { TaskGroup, TaskItem, TaskPage, TaskSummary };
export type TaskScope = "mine" | "team";

export const TASK_GROUPS: readonly { key: TaskGroup; label: string }[] = [
  { key: "overdue", label: "Overdue" },
  { key: "today", label: "Today" },
  { key: "week", label: "This week" },
  { key: "later", label: "Later" },
  { key: "none", label: "No date" },
];

export interface TaskBounds {
  todayStart: string;
  tomorrowStart: string;
  weekEnd: string;
}

const localDay = (d: Date, plusDays = 0) => new Date(d.getFullYear(), d.getMonth(), d.getDate() + plusDays);

/** Today, tomorrow and the start of next week (Monday) at local midnight, as instants the server compares. */
export function taskBounds(now = new Date()): TaskBounds {
  const daysToMonday = ((8 - now.getDay()) % 7) || 7;
  return {
    todayStart: localDay(now).toISOString(),
    tomorrowStart: localDay(now, 1).toISOString(),
    weekEnd: localDay(now, daysToMonday).toISOString(),
  };
}

/** Which group a due date falls in, with the same edges the server used. */
export function groupOf(dueAt: string | null, b: TaskBounds): TaskGroup {
  if (!dueAt) return "none";
  const t = Date.parse(dueAt);
  if (t < Date.parse(b.todayStart)) return "overdue";
  if (t < Date.parse(b.tomorrowStart)) return "today";
  if (t < Date.parse(b.weekEnd)) return "week";
  return "later";
}

export function getTaskSummary(scope: TaskScope, bounds: TaskBounds, options: { signal?: AbortSignal } = {}) {
  return apiRequest<TaskSummary>("/api/tasks/summary", { ...options, query: { scope, ...bounds } });
}

export function listTasks(scope: TaskScope, group: TaskGroup, bounds: TaskBounds, cursor?: string | null, options: { signal?: AbortSignal } = {}) {
  return apiRequest<TaskPage>("/api/tasks", { ...options, query: { scope, group, limit: 25, cursor: cursor ?? undefined, ...bounds } });
}

/** Snooze targets: a day later (from now when already late), next Monday 9:00, or a picked date at 9:00 local. */
export function snoozeTarget(kind: "day" | "week" | { date: string }, dueAt: string | null, now = new Date()): string {
  if (kind === "day") {
    const base = dueAt && Date.parse(dueAt) > now.getTime() ? new Date(dueAt) : now;
    return new Date(base.getTime() + 86_400_000).toISOString();
  }
  if (kind === "week") {
    const monday = localDay(now, ((8 - now.getDay()) % 7) || 7);
    monday.setHours(9, 0, 0, 0);
    return monday.toISOString();
  }
  const [y, m, d] = kind.date.split("-").map(Number);
  return new Date(y!, m! - 1, d!, 9, 0, 0, 0).toISOString();
}

// ---------- calendar ----------
export type { Calendar, CalendarItem };
export type CalendarMode = "week" | "month";

/** YYYY-MM-DD of a local day. */
export const dayKey = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;

/** The days a calendar shows: the Monday-started week of `anchor`, or the six weeks covering its month. */
export function calendarDays(mode: CalendarMode, anchor: Date): Date[] {
  const start = mode === "week" ? new Date(anchor.getFullYear(), anchor.getMonth(), anchor.getDate()) : new Date(anchor.getFullYear(), anchor.getMonth(), 1);
  start.setDate(start.getDate() - ((start.getDay() + 6) % 7));
  return Array.from({ length: mode === "week" ? 7 : 42 }, (_, i) => new Date(start.getFullYear(), start.getMonth(), start.getDate() + i));
}

export function getCalendar(scope: TaskScope, from: Date, to: Date, options: { signal?: AbortSignal } = {}) {
  return apiRequest<Calendar>("/api/tasks/calendar", { ...options, query: { scope, from: from.toISOString(), to: to.toISOString() } });
}

/** The same local time of day on another day (what dropping an item on a day means). */
export function moveToDay(at: string, day: string): string {
  const old = new Date(at);
  const [y, m, d] = day.split("-").map(Number);
  return new Date(y!, m! - 1, d!, old.getHours(), old.getMinutes(), old.getSeconds(), old.getMilliseconds()).toISOString();
}
