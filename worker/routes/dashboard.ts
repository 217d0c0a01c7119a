import { createRoute } from "@hono/zod-openapi";
import { problemResponses, router } from "../lib/router";
import { taskCountsQuerySchema, taskCountsSchema } from "../schemas/dashboard";
import { countOpenTasks } from "../services/dashboard/count-open-tasks";

/** GET /api/dashboard/tasks — exact open/overdue task counts for the dashboard's "My open tasks" panel. */
export const dashboardRoutes = router().openapi(
  createRoute({
    method: "get",
    path: "/dashboard/tasks",
    tags: ["Dashboard"],
    summary: "How many open tasks an owner has, and how many of them are overdue (exact, server-side)",
    request: { query: taskCountsQuerySchema },
    responses: {
      200: { description: "The counts", content: { "application/json": { schema: taskCountsSchema } } },
      ...problemResponses(400, 401),
    },
  }),
  async (c) => {
    const { ownerId, overdueBefore } = c.req.valid("query");
    const { db, clock } = c.var.services;
    const { workspaceId, userId } = c.var.auth;
    return c.json(await countOpenTasks({ db, workspaceId, ownerId: ownerId ?? userId, overdueBefore: overdueBefore ? new Date(overdueBefore) : clock.now() }), 200);
  },
);
