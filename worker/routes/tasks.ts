import { createRoute } from "@hono/zod-openapi";
import { problemResponses, router } from "../lib/router";
import { calendarQuerySchema, calendarSchema, taskListQuerySchema, taskPageSchema, taskSummaryQuerySchema, taskSummarySchema } from "../schemas/tasks";
import { getCalendar } from "../services/tasks/calendar";
import { taskBounds } from "../services/tasks/bounds";
import { listTasks } from "../services/tasks/list";
import { summarizeTasks } from "../services/tasks/summarize";

const json = <T,>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });

/**
 * The Tasks page: exact counts per group and keyset pages of one group. Completing, snoozing and reassigning are
 * PATCH /api/activities/{id} (completed, dueAt, ownerId), the same verb as everywhere else.
 */
export const taskRoutes = router()
  .openapi(
    createRoute({
      method: "get",
      path: "/tasks/calendar",
      tags: ["Tasks"],
      summary: "Open tasks and meetings in a date range (at most 43 days), for the week and month calendar",
      request: { query: calendarQuerySchema },
      responses: { 200: json(calendarSchema, "Tasks and meetings by time"), ...problemResponses(400, 401) },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const { workspaceId, userId } = c.var.auth;
      return c.json(await getCalendar({ db: c.var.services.db, workspaceId, ownerId: q.scope === "mine" ? userId : null, from: new Date(q.from), to: q.to ? new Date(q.to) : new Date(Date.parse(q.from) + 7 * 86_400_000) }), 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/tasks/summary",
      tags: ["Tasks"],
      summary: "Exact open-task counts per group: overdue, today, this week, later, no date",
      request: { query: taskSummaryQuerySchema },
      responses: { 200: json(taskSummarySchema, "The counts"), ...problemResponses(400, 401) },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const { workspaceId, userId } = c.var.auth;
      return c.json(await summarizeTasks({ db: c.var.services.db, workspaceId, ownerId: q.scope === "mine" ? userId : null, bounds: taskBounds(q) }), 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/tasks",
      tags: ["Tasks"],
      summary: "A page of open tasks in one group, due first (keyset)",
      request: { query: taskListQuerySchema },
      responses: { 200: json(taskPageSchema, "A page"), ...problemResponses(400, 401) },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const { workspaceId, userId } = c.var.auth;
      const page = await listTasks({
        db: c.var.services.db,
        workspaceId,
        ownerId: q.scope === "mine" ? userId : null,
        group: q.group,
        bounds: taskBounds(q),
        limit: q.limit,
        cursor: q.cursor,
      });
      return c.json(page, 200);
    },
  );
