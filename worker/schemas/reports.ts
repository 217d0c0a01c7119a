import { z } from "zod";
import { currencySchema, dateOnlySchema, uuidSchema } from "./common";

/**
 * Report contracts (GET /api/reports/*). The SPA imports these; they import only zod.
 *
 * Every report takes the same filters: `pipelineId`, `ownerId`, `currency` and a period `from` (inclusive) – `to`
 * (exclusive), both dates YYYY-MM-DD read as UTC days. Money is never summed across currencies: each amount is a list
 * of `{ currency, amount }` in integer minor units.
 */

export const reportFiltersSchema = z.object({
  from: dateOnlySchema.optional().describe("First day of the period (inclusive, UTC); each report documents its default"),
  to: dateOnlySchema.optional().describe("Day after the period (exclusive, UTC)"),
  pipelineId: uuidSchema.optional().describe("Only deals whose stage belongs to this pipeline"),
  ownerId: uuidSchema.optional().describe("Only this owner's deals (activity-volume: this owner's activities)"),
  currency: currencySchema.optional().describe("Only deals in this currency"),
});
export type ReportFilters = z.infer<typeof reportFiltersSchema>;

export const winLossGroupBys = ["owner", "account", "reason", "pipeline", "source", "month"] as const;
export const winLossQuerySchema = reportFiltersSchema.extend({
  groupBy: z.enum(winLossGroupBys, { error: `must be one of ${winLossGroupBys.join(", ")}` }).default("owner"),
});
export type WinLossQuery = z.infer<typeof winLossQuerySchema>;

export const moneySchema = z.object({ currency: z.string(), amount: z.number().int() });
export type Money = z.infer<typeof moneySchema>;

const periodSchema = z.object({ from: z.string(), to: z.string() }).describe("The period the numbers cover: [from, to)");

export const winLossGroupSchema = z.object({
  /** Owner / account / pipeline id, reason code value, source text, or month YYYY-MM; null = none (no owner…). */
  key: z.string().nullable(),
  label: z.string(),
  won: z.object({ count: z.number().int(), amounts: z.array(moneySchema) }),
  lost: z.object({ count: z.number().int(), amounts: z.array(moneySchema) }),
  /** won / (won + lost), 0–1; null when nothing closed. */
  winRate: z.number().nullable(),
});
export const winLossReportSchema = z.object({
  groupBy: z.enum(winLossGroupBys),
  period: periodSchema,
  groups: z.array(winLossGroupSchema),
  total: winLossGroupSchema,
});
export type WinLossGroup = z.infer<typeof winLossGroupSchema>;
export type WinLossReport = z.infer<typeof winLossReportSchema>;

/** A stage as every per-stage report names it (in pipeline order: pipeline position, then stage position). */
const reportStageSchema = z.object({ stageId: z.string(), name: z.string(), pipelineId: z.string(), pipelineName: z.string(), position: z.number().int() });

export const pipelineByStageSchema = z.object({
  period: periodSchema.nullable().describe("Expected close dates the open deals were limited to; null = every open deal"),
  stages: z.array(
    reportStageSchema.extend({
      probability: z.number().int(),
      count: z.number().int(),
      amounts: z.array(moneySchema),
    }),
  ),
});
export type PipelineByStageReport = z.infer<typeof pipelineByStageSchema>;

export const conversionReportSchema = z.object({
  period: periodSchema,
  stages: z.array(
    reportStageSchema.extend({
      kind: z.string(),
      /** Deals that moved into this stage during the period. */
      entered: z.number().int(),
      /** Of those, how many moved on to a later stage of the same pipeline or to won (at any time since). */
      advanced: z.number().int(),
      /** advanced / entered, 0–1; null when none entered. */
      conversionRate: z.number().nullable(),
      /** Median days deals spent in this stage, over the moves out of it during the period (velocity). */
      medianDays: z.number().nullable(),
      exits: z.number().int(),
    }),
  ),
});
export type ConversionReport = z.infer<typeof conversionReportSchema>;

export const forecastReportSchema = z.object({
  period: periodSchema,
  /** Stage probability (or the deal's own) at or above this counts as committed. */
  committedFrom: z.number().int(),
  months: z.array(
    z.object({
      month: z.string().describe("Close month YYYY-MM"),
      currency: z.string(),
      count: z.number().int(),
      committed: z.number().int(),
      bestCase: z.number().int(),
      weighted: z.number().int(),
    }),
  ),
});
export type ForecastReport = z.infer<typeof forecastReportSchema>;

export const activityVolumeSchema = z.object({
  period: periodSchema,
  rows: z.array(
    z.object({
      week: z.string().describe("Monday of the ISO week, YYYY-MM-DD (UTC)"),
      ownerId: z.string().nullable(),
      ownerName: z.string(),
      type: z.string(),
      count: z.number().int(),
    }),
  ),
});
export type ActivityVolumeReport = z.infer<typeof activityVolumeSchema>;

/** Activity types a person logs; stage changes, AI output and system entries are not "activity volume". */
export const humanActivityTypes = ["call", "email", "meeting", "note", "task"] as const;

export const dealWatchQuerySchema = z.object({
  ownerId: uuidSchema.optional().describe("Only this owner's deals; everyone's when omitted"),
  currency: currencySchema.optional(),
  pipelineId: uuidSchema.optional(),
});
export const dealWatchSchema = z.object({
  rotting: z.object({ asOf: z.string(), count: z.number().int() }).describe("Open deals past their stage's aging limit now"),
  closingThisMonth: z.object({ period: periodSchema, count: z.number().int(), amounts: z.array(moneySchema) }),
  slipped: z.object({
    period: periodSchema,
    count: z.number().int(),
    deals: z.array(z.object({ id: z.string(), name: z.string(), from: z.string().nullable(), to: z.string(), currency: z.string(), amount: z.number().int().nullable() })),
  }),
});
export type DealWatch = z.infer<typeof dealWatchSchema>;

export const pipelineOverTimeSchema = z.object({
  period: periodSchema,
  stages: z.array(reportStageSchema),
  /** Open deals per stage as they stood at 00:00 UTC on each Monday of the period (from stage-change history). */
  weeks: z.array(z.object({ asOf: z.string(), counts: z.record(z.string(), z.number().int()) })),
});
export type PipelineOverTimeReport = z.infer<typeof pipelineOverTimeSchema>;

/** At most this many rotting deals are listed (the worst first); `total` counts them all. */
export const ROTTING_DEALS_LISTED = 100;

export const rottingReportSchema = z.object({
  asOf: z.string().describe("The moment the days were counted (ISO date-time)"),
  period: periodSchema.nullable().describe("Expected close dates the open deals were limited to; null = every open deal"),
  stages: z.array(
    reportStageSchema.extend({
      /** The stage's aging limit in days: its own, else the workspace's median days in it; null = no limit (nothing rots). */
      agingLimit: z.number().int().nullable(),
      limitSource: z.enum(["stage", "median"]).nullable().describe("Where the limit comes from: set on the stage, or the workspace's median"),
      /** Open deals past the limit. */
      count: z.number().int(),
      amounts: z.array(moneySchema),
      /** The most days any of them is past the limit; null when none. */
      worstDaysOver: z.number().int().nullable(),
    }),
  ),
  /** Every rotting deal the filters keep (the sum of the stages' counts). */
  total: z.number().int(),
  /** The most rotting deals first, at most `dealsLimit` of them. */
  deals: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      ownerId: z.string().nullable(),
      ownerName: z.string().nullable(),
      stageId: z.string(),
      stageName: z.string(),
      pipelineName: z.string(),
      stageEnteredAt: z.string(),
      daysInStage: z.number().int(),
      agingLimit: z.number().int(),
      daysOver: z.number().int(),
      currency: z.string(),
      amount: z.number().int().nullable(),
    }),
  ),
  dealsLimit: z.number().int(),
});
export type RottingReport = z.infer<typeof rottingReportSchema>;
