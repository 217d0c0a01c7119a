import { createRoute, z } from "@hono/zod-openapi";
import { customParams, problemResponses, router } from "../lib/router";
import { opportunityFiltersSchema, pipelineQuerySchema, pipelineSchema, pipelineTotalsSchema, stageCardsPageSchema, stageCardsQuerySchema } from "../schemas/pipeline";
import { listStageCards } from "../services/pipeline/cards";
import { getPipeline } from "../services/pipeline/get";
import { getPipelineTotals } from "../services/pipeline/totals";

const CUSTOM_FILTERS =
  "Custom fields filter as on lists: `custom.<key>=value` (a multi select: one of its options), and for number, money, percent, date and date-time fields `custom.<key>[gte|gt|lte|lt]=value`; `custom.<key>[empty]=true|false`. Fields marked filterable have an index.";

const getPipelineRoute = createRoute({
  method: "get",
  path: "/opportunities/pipeline",
  tags: ["Pipeline"],
  summary: "The Kanban board: stages with their first cards, counts, totals and weighted amounts per currency",
  description: CUSTOM_FILTERS,
  request: { query: pipelineQuerySchema },
  responses: {
    200: { description: "The board", content: { "application/json": { schema: pipelineSchema } } },
    ...problemResponses(400, 401),
  },
});

const totalsRoute = createRoute({
  method: "get",
  path: "/opportunities/pipeline/totals",
  tags: ["Pipeline"],
  summary: "The board's counts and totals only (no cards), for the same filters",
  description: CUSTOM_FILTERS,
  request: { query: opportunityFiltersSchema },
  responses: {
    200: { description: "Counts and totals", content: { "application/json": { schema: pipelineTotalsSchema } } },
    ...problemResponses(400, 401),
  },
});

const stageCardsRoute = createRoute({
  method: "get",
  path: "/opportunities/pipeline/stages/{stageId}/cards",
  tags: ["Pipeline"],
  summary: "The next cards of one column, in Kanban order (keyset on position, id)",
  description: CUSTOM_FILTERS,
  request: { params: z.object({ stageId: z.uuid().openapi({ param: { name: "stageId", in: "path" } }) }), query: stageCardsQuerySchema },
  responses: {
    200: { description: "A page of cards", content: { "application/json": { schema: stageCardsPageSchema } } },
    ...problemResponses(400, 401),
  },
});

export const pipelineRoutes = router()
  .openapi(getPipelineRoute, async (c) => {
    const { cardsPerStage, ...filters } = c.req.valid("query");
    const board = await getPipeline({ db: c.var.services.db, workspaceId: c.var.auth.workspaceId, filters, custom: customParams(c), cardsPerStage });
    return c.json(board, 200);
  })
  .openapi(totalsRoute, async (c) => {
    const totals = await getPipelineTotals({ db: c.var.services.db, workspaceId: c.var.auth.workspaceId, filters: c.req.valid("query"), custom: customParams(c) });
    return c.json(totals, 200);
  })
  .openapi(stageCardsRoute, async (c) => {
    const { cursor, limit, ...filters } = c.req.valid("query");
    const page = await listStageCards({ db: c.var.services.db, workspaceId: c.var.auth.workspaceId, stageId: c.req.valid("param").stageId, filters, custom: customParams(c), cursor, limit });
    return c.json(page, 200);
  });
