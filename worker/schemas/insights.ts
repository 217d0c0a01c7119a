import { z } from "zod";
import { currencySchema } from "./common";

/** Win score, score quality and forecast accuracy contracts (GET /api/insights/*, GET /api/opportunities/{id}/score). */

export const scoreCitationSchema = z.object({
  type: z.enum(["opportunity", "activity", "contact", "user", "edit"]).describe("edit = an audit-log entry (a field change)"),
  id: z.string(),
  label: z.string().optional(),
  at: z.string().optional(),
});
export type ScoreCitation = z.infer<typeof scoreCitationSchema>;

export const scoreReasonSchema = z.object({
  key: z.string(),
  label: z.string(),
  detail: z.string(),
  /** Percentage points this signal adds (negative: takes away) against a typical deal of the workspace. */
  effect: z.number().int(),
  citations: z.array(scoreCitationSchema),
});
export type ScoreReason = z.infer<typeof scoreReasonSchema>;

export const dealScoreSchema = z.object({
  opportunityId: z.string(),
  score: z.number().int().min(0).max(100).describe("Calibrated win probability, 0–100"),
  baseline: z.number().int().describe("The stage's probability, for comparison"),
  source: z.enum(["model", "stage_probability"]).describe("stage_probability: not enough closed deals to fit a model"),
  modelVersion: z.number().int().nullable(),
  fittedAt: z.string().nullable(),
  explanation: z.string(),
  reasons: z.array(scoreReasonSchema).describe("The stage first, then the signals that move the score most"),
  slipRisk: z.object({ flagged: z.boolean(), why: z.string().nullable() }).describe("The slip detector: likely to push its close date"),
});
export type DealScore = z.infer<typeof dealScoreSchema>;

const binSchema = z.object({ from: z.number(), to: z.number(), count: z.number().int(), meanPredicted: z.number().nullable(), observed: z.number().nullable() });
const figuresSchema = z.object({
  auc: z.number().nullable(),
  brier: z.number().nullable(),
  calibrationError: z.number().nullable().describe("Expected calibration error over ten bins"),
  bins: z.array(binSchema).describe("Reliability: mean prediction vs observed win rate per bin"),
});

export const scoreQualitySchema = z.object({
  model: z
    .object({
      version: z.number().int(),
      kind: z.enum(["logistic", "stage_probability"]),
      closedDeals: z.number().int(),
      trainingRows: z.number().int(),
      fittedAt: z.string(),
      weights: z.array(z.object({ key: z.string(), label: z.string(), weight: z.number() })),
    })
    .nullable()
    .describe("null: never fitted (the nightly job or POST /api/insights/refit fits it)"),
  minClosedDeals: z.number().int(),
  backtest: z
    .object({
      cutoff: z.string().nullable().describe("Fit on deals closed before, scored the deals open at this moment"),
      trainDeals: z.number().int(),
      testDeals: z.number().int(),
      ours: figuresSchema,
      baseline: figuresSchema.describe("The stage probability"),
    })
    .nullable(),
  slip: z
    .object({ weeks: z.number().int(), candidates: z.number().int(), flagged: z.number().int(), slipped: z.number().int(), precision: z.number().nullable(), recall: z.number().nullable() })
    .nullable(),
});
export type ScoreQuality = z.infer<typeof scoreQualitySchema>;

export const refitResultSchema = z.object({ version: z.number().int(), kind: z.enum(["logistic", "stage_probability"]), scored: z.number().int(), snapshots: z.number().int() });

export const forecastAccuracyQuerySchema = z.object({
  currency: currencySchema.optional().describe("Default: the workspace's most used currency"),
  months: z.coerce.number().int().min(1).max(24).default(6),
});

const predictionSchema = z.object({
  weighted: z.number().int().nullable(),
  scoreWeighted: z.number().int().nullable(),
  committed: z.number().int().nullable(),
  snapshotWeek: z.string().nullable(),
});
export const forecastAccuracySchema = z.object({
  currency: z.string(),
  horizons: z.array(z.number().int()).describe("Weeks before the period starts"),
  periods: z.array(
    z.object({
      period: z.object({ from: z.string(), to: z.string() }),
      actual: z.number().int().describe("Won amount with a close in the period (minor units)"),
      predictions: z.record(z.string(), predictionSchema).describe("By horizon (weeks before): what each method predicted"),
    }),
  ),
  mape: z.record(z.string(), z.object({ weighted: z.number().nullable(), scoreWeighted: z.number().nullable(), committed: z.number().nullable() })).describe("Mean absolute percentage error by horizon"),
});
export type ForecastAccuracy = z.infer<typeof forecastAccuracySchema>;

export const insightsSettingsSchema = z.object({
  inactivityDays: z.number().int().min(1).max(365).describe("A deal with no activity for this many days is flagged inactive"),
});
export type InsightsSettings = z.infer<typeof insightsSettingsSchema>;
