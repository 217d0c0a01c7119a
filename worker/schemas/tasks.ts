import { z } from "zod";

/** Tasks page contracts (GET /api/tasks, GET /api/tasks/summary). The SPA imports these; they import only zod. */

export const taskGroups = ["overdue", "today", "week", "later", "none"] as const;
export type TaskGroup = (typeof taskGroups)[number];

const instant = (what: string) =>
  z.iso.datetime({ offset: true, error: "must be an ISO date-time, e.g. 2026-12-03T00:00:00Z" }).optional().describe(what);

/**
 * The group boundaries are instants the SPA computes in the user's time zone; the server only compares. Omitted, they
 * default to UTC midnight today, +1 day and +7 days.
 */
const bounds = {
  scope: z.enum(["mine", "team"]).default("mine").describe("mine: the caller's open tasks; team: every open task of the workspace"),
  todayStart: instant("Start of the user's today: tasks due before it are overdue"),
  tomorrowStart: instant("Start of the user's tomorrow: end of the Today group"),
  weekEnd: instant("End of the This week group (the SPA sends the start of next week)"),
};

export const taskSummaryQuerySchema = z.object(bounds);
export const taskListQuerySchema = z.object({
  ...bounds,
  group: z.enum(taskGroups).describe("Which group to page through"),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});
export type TaskListQuery = z.infer<typeof taskListQuerySchema>;
export type TaskSummaryQuery = z.infer<typeof taskSummaryQuerySchema>;

export const taskSummarySchema = z.object({
  scope: z.enum(["mine", "team"]),
  /** Exact counts of open tasks per group (not of a loaded page). */
  counts: z.object({ overdue: z.number().int(), today: z.number().int(), week: z.number().int(), later: z.number().int(), none: z.number().int() }),
});
export type TaskSummary = z.infer<typeof taskSummarySchema>;

export const taskItemSchema = z
  .object({
    id: z.string(),
    subject: z.string().nullable(),
    body: z.string().nullable(),
    dueAt: z.string().nullable(),
    ownerId: z.string().nullable(),
    ownerName: z.string().nullable(),
    accountId: z.string().nullable(),
    contactId: z.string().nullable(),
    leadId: z.string().nullable(),
    opportunityId: z.string().nullable(),
    /** The most specific record the task is about (a deal before its account), for "Enter opens the record". */
    target: z.object({ type: z.enum(["account", "contact", "lead", "opportunity"]), id: z.string(), name: z.string().nullable() }).nullable(),
    updatedAt: z.string(),
  })
  .meta({ id: "TaskItem" });
export type TaskItem = z.infer<typeof taskItemSchema>;

export const taskPageSchema = z.object({ data: z.array(taskItemSchema), nextCursor: z.string().nullable() });
export type TaskPage = z.infer<typeof taskPageSchema>;

// ---------- calendar (GET /api/tasks/calendar) ----------

export const CALENDAR_MAX_DAYS = 43;
export const CALENDAR_MAX_ITEMS = 500;
export const calendarQuerySchema = z.object({
  scope: bounds.scope,
  from: z.iso.datetime({ offset: true, error: "must be an ISO date-time" }).describe("Start of the first day shown (inclusive)"),
  to: z.iso
    .datetime({ offset: true, error: "must be an ISO date-time" })
    .optional()
    .describe(`End of the last day shown (exclusive); at most ${CALENDAR_MAX_DAYS} days after from; a week after from when omitted`),
});
export const calendarItemSchema = z
  .object({
    id: z.string(),
    kind: z.enum(["task", "meeting"]),
    subject: z.string().nullable(),
    /** dueAt for a task, happenedAt for a meeting: what dragging to another day changes. */
    at: z.string(),
    ownerId: z.string().nullable(),
    target: taskItemSchema.shape.target,
  })
  .meta({ id: "CalendarItem" });
export type CalendarItem = z.infer<typeof calendarItemSchema>;
export const calendarSchema = z.object({
  items: z.array(calendarItemSchema),
  /** More than CALENDAR_MAX_ITEMS tasks or meetings fell in the range: the first ones by time are returned. */
  truncated: z.boolean(),
});
export type Calendar = z.infer<typeof calendarSchema>;
