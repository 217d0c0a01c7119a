import { createRoute, z } from "@hono/zod-openapi";
import { problemResponses, router } from "../lib/router";
import {
  dealScoreSchema,
  forecastAccuracyQuerySchema,
  forecastAccuracySchema,
  insightsSettingsSchema,
  refitResultSchema,
  scoreQualitySchema,
} from "../schemas/insights";
import { forecastAccuracy } from "../services/insights/forecast-accuracy";
import { getDealScore } from "../services/insights/get-score";
import { refreshInsights } from "../services/insights/refresh";
import { scoreQuality } from "../services/insights/score-quality";
import { getInsightsSettings } from "../services/insights/settings";
import { updateInsightsSettings } from "../services/insights/update-settings";
import { actorOf } from "./records";

const tags = ["Insights"];
const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });

/** The win score, its honest evaluation, forecast accuracy, and the insights settings. */
export const insightsRoutes = router()
  .openapi(
    createRoute({
      method: "get",
      path: "/opportunities/{id}/score",
      tags,
      summary: "A deal's calibrated win probability with its top reasons, each citing the records it rests on",
      request: { params: z.object({ id: z.uuid().openapi({ param: { name: "id", in: "path" } }) }) },
      responses: { 200: json(dealScoreSchema, "The score"), ...problemResponses(400, 401, 404) },
    }),
    async (c) => c.json(await getDealScore({ db: c.var.services.db.http, workspaceId: c.var.auth.workspaceId, id: c.req.valid("param").id }), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/insights/score-quality",
      tags,
      summary: "Time-split backtest of the win score: AUC, Brier and calibration error beside the stage-probability baseline; slip detector precision/recall",
      responses: { 200: json(scoreQualitySchema, "The figures"), ...problemResponses(401) },
    }),
    async (c) => c.json(await scoreQuality({ db: c.var.services.db.http, workspaceId: c.var.auth.workspaceId }), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/insights/forecast-accuracy",
      tags,
      summary: "Per past month: weighted, score-weighted and committed forecasts at weeks −8, −4, −1 against what was won; MAPE",
      request: { query: forecastAccuracyQuerySchema },
      responses: { 200: json(forecastAccuracySchema, "The figures"), ...problemResponses(400, 401) },
    }),
    async (c) => {
      const q = c.req.valid("query");
      return c.json(await forecastAccuracy({ db: c.var.services.db.http, workspaceId: c.var.auth.workspaceId, currency: q.currency, months: q.months }), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/insights/refit",
      tags,
      summary: "Refit the win-score model now, rescore open deals and take this week's forecast snapshot (ADMIN; the cron does it nightly)",
      responses: { 200: json(refitResultSchema, "What was done"), ...problemResponses(401, 403) },
    }),
    async (c) => c.json(await refreshInsights({ db: c.var.services.db, workspaceId: c.var.auth.workspaceId }), 200),
  )
  .openapi(
    createRoute({ method: "get", path: "/insights/settings", tags, summary: "Insights settings (inactivity limit)", responses: { 200: json(insightsSettingsSchema, "The settings"), ...problemResponses(401) } }),
    async (c) => c.json(await getInsightsSettings({ db: c.var.services.db.http, workspaceId: c.var.auth.workspaceId }), 200),
  )
  .openapi(
    createRoute({
      method: "put",
      path: "/insights/settings",
      tags,
      summary: "Change the insights settings (ADMIN)",
      request: { body: { content: { "application/json": { schema: insightsSettingsSchema } }, required: true } },
      responses: { 200: json(insightsSettingsSchema, "The settings"), ...problemResponses(401, 403, 422) },
    }),
    async (c) => c.json(await updateInsightsSettings({ db: c.var.services.db, actor: actorOf(c), body: c.req.valid("json") }), 200),
  );
