import { createRoute } from "@hono/zod-openapi";
import { problemResponses, router } from "../lib/router";
import { searchQuerySchema, searchResponseSchema } from "../schemas/search";
import { searchRecords } from "../services/search/search";

/** GET /api/search — the header's type-ahead: accounts, contacts, leads and deals, grouped by type. */
export const searchRoutes = router().openapi(
  createRoute({
    method: "get",
    path: "/search",
    tags: ["Search"],
    summary: "Search accounts, contacts, leads and opportunities as you type (prefix first, tolerant of small typos)",
    request: { query: searchQuerySchema },
    responses: {
      200: { description: "At most `limit` (≤ 20) results, grouped by type", content: { "application/json": { schema: searchResponseSchema } } },
      ...problemResponses(400, 401),
    },
  }),
  async (c) => {
    const { q, types, limit } = c.req.valid("query");
    return c.json(await searchRecords({ db: c.var.services.db, workspaceId: c.var.auth.workspaceId, q, types, limit }), 200);
  },
);
