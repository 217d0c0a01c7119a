import { createRoute, type z } from "@hono/zod-openapi";
import { problemResponses, router } from "../lib/router";
import {
  activityVolumeSchema,
  conversionReportSchema,
  dealWatchQuerySchema,
  dealWatchSchema,
  forecastReportSchema,
  pipelineByStageSchema,
  pipelineOverTimeSchema,
  reportFiltersSchema,
  rottingReportSchema,
  winLossQuerySchema,
  winLossReportSchema,
} from "../schemas/reports";
import { activityVolume } from "../services/reports/activity-volume";
import { conversion } from "../services/reports/conversion";
import { dealWatch } from "../services/reports/deal-watch";
import { forecast } from "../services/reports/forecast";
import { pipelineByStage } from "../services/reports/pipeline-by-stage";
import { pipelineOverTime } from "../services/reports/pipeline-over-time";
import { rotting } from "../services/reports/rotting";
import { winLoss } from "../services/reports/win-loss";

const report = <Q extends z.ZodObject, R extends z.ZodType>(path: string, summary: string, query: Q, schema: R) =>
  createRoute({
    method: "get",
    path,
    tags: ["Reports"],
    summary,
    request: { query },
    responses: {
      200: { description: "The report's numbers", content: { "application/json": { schema } } },
      ...problemResponses(400, 401),
    },
  });

/** GET /api/reports/* — the numbers behind the Reports section; every report takes pipelineId, ownerId, currency, from, to. */
export const reportRoutes = router()
  .openapi(
    report("/reports/win-loss", "Won and lost deals (count, amount per currency, win rate) by owner, account, reason, pipeline, source or close month", winLossQuerySchema, winLossReportSchema),
    async (c) => c.json(await winLoss({ db: c.var.services.db, workspaceId: c.var.auth.workspaceId, query: c.req.valid("query") }), 200),
  )
  .openapi(
    report("/reports/win-rate", "Win rate by owner, account, pipeline, source, reason or period (same numbers as win-loss)", winLossQuerySchema, winLossReportSchema),
    async (c) => c.json(await winLoss({ db: c.var.services.db, workspaceId: c.var.auth.workspaceId, query: c.req.valid("query") }), 200),
  )
  .openapi(
    report("/reports/pipeline-by-stage", "Open deals per stage: count and amount per currency", reportFiltersSchema, pipelineByStageSchema),
    async (c) => c.json(await pipelineByStage({ db: c.var.services.db, workspaceId: c.var.auth.workspaceId, query: c.req.valid("query") }), 200),
  )
  .openapi(
    report("/reports/pipeline-over-time", "Open deals per stage each Monday of the period, rebuilt from stage-change history", reportFiltersSchema, pipelineOverTimeSchema),
    async (c) => c.json(await pipelineOverTime({ db: c.var.services.db, workspaceId: c.var.auth.workspaceId, query: c.req.valid("query") }), 200),
  )
  .openapi(
    report("/reports/conversion", "Stage-to-stage conversion and median days per stage (velocity) from stage-change history", reportFiltersSchema, conversionReportSchema),
    async (c) => c.json(await conversion({ db: c.var.services.db, workspaceId: c.var.auth.workspaceId, query: c.req.valid("query") }), 200),
  )
  .openapi(
    report("/reports/forecast", "Open pipeline by close month: committed (probability ≥ 75), best case, weighted", reportFiltersSchema, forecastReportSchema),
    async (c) => c.json(await forecast({ db: c.var.services.db, workspaceId: c.var.auth.workspaceId, query: c.req.valid("query") }), 200),
  )
  .openapi(
    report("/reports/activity-volume", "Logged activities per week, owner and type", reportFiltersSchema, activityVolumeSchema),
    async (c) => c.json(await activityVolume({ db: c.var.services.db, workspaceId: c.var.auth.workspaceId, query: c.req.valid("query") }), 200),
  )
  .openapi(
    report(
      "/reports/rotting",
      "Rotting deals: open deals past their stage's aging limit (the stage's own, else the workspace's median days in it), per stage with amount per currency and worst days over, and the worst deals listed",
      reportFiltersSchema,
      rottingReportSchema,
    ),
    async (c) => c.json(await rotting({ db: c.var.services.db, workspaceId: c.var.auth.workspaceId, query: c.req.valid("query") }), 200),
  )
  .openapi(
    { ...report("/dashboard/deal-watch", "Closing this month and slipped since last week (close date moved later in the last 7 days), each with its period", dealWatchQuerySchema, dealWatchSchema), tags: ["Dashboard"] },
    async (c) => c.json(await dealWatch({ db: c.var.services.db, workspaceId: c.var.auth.workspaceId, query: c.req.valid("query") }), 200),
  );
