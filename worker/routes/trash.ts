import { createRoute, z } from "@hono/zod-openapi";
import { problemResponses, router } from "../lib/router";
import { trashEntities, trashPageSchema, trashQuerySchema } from "../schemas/trash";
import { listTrash } from "../services/trash/list";

const params = z.object({ entity: z.enum(trashEntities).openapi({ param: { name: "entity", in: "path" } }) });

/**
 * GET /api/trash/{entity} — Recently deleted records, for every role to see; restoring is
 * POST /api/{entity}/{id}/restore (ADMIN), the same route the delete's Undo toast calls.
 */
export const trashRoutes = router().openapi(
  createRoute({
    method: "get",
    path: "/trash/{entity}",
    tags: ["Trash"],
    summary: "Recently deleted records of one type, newest first, with who deleted them and the days left before the purge",
    request: { params, query: trashQuerySchema },
    responses: { 200: { description: "A page", content: { "application/json": { schema: trashPageSchema } } }, ...problemResponses(400, 401) },
  }),
  async (c) => {
    const { entity } = c.req.valid("param");
    const { limit, cursor } = c.req.valid("query");
    return c.json(await listTrash({ db: c.var.services.db, workspaceId: c.var.auth.workspaceId, entity, limit, cursor }), 200);
  },
);
