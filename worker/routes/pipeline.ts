import { createRoute } from "@hono/zod-openapi";
import { problemResponses, router } from "../lib/router";
import { pipelineQuerySchema, pipelineSchema } from "../schemas/pipeline";
import { getPipeline } from "../services/pipeline/get";

const getPipelineRoute = createRoute({
  method: "get",
  path: "/opportunities/pipeline",
  tags: ["Pipeline"],
  summary: "The Kanban board: stages with cards, counts, totals and weighted amounts per currency",
  request: { query: pipelineQuerySchema },
  responses: {
    200: { description: "The board", content: { "application/json": { schema: pipelineSchema } } },
    ...problemResponses(400, 401),
  },
});

export const pipelineRoutes = router().openapi(getPipelineRoute, async (c) => {
  const { cardsPerStage, ...filters } = c.req.valid("query");
  const board = await getPipeline({ db: c.var.services.db, workspaceId: c.var.auth.workspaceId, filters, cardsPerStage });
  return c.json(board, 200);
});
