import { z } from "zod";
import { currencySchema, dateOnlySchema } from "./common";

const intFromQuery = z.coerce.number().int().min(0);

export const opportunityFiltersSchema = z.object({
  pipelineId: z.uuid().optional().describe("The pipeline (board and totals: default = the workspace's default pipeline)"),
  ownerId: z.uuid().optional(),
  accountId: z.uuid().optional(),
  closeFrom: dateOnlySchema.optional(),
  closeTo: dateOnlySchema.optional(),
  amountMin: intFromQuery.optional(),
  amountMax: intFromQuery.optional(),
  currency: currencySchema.optional(),
  q: z.string().trim().max(200).optional(),
  rotting: z
    .enum(["true", "false"])
    .optional()
    .describe("true: only deals past their stage's aging limit (rotting)"),
});
export type OpportunityFilters = z.infer<typeof opportunityFiltersSchema>;

export const pipelineQuerySchema = opportunityFiltersSchema.extend({
  /** Cards returned per stage (totals always cover every matching deal); a stage's `nextCursor` pages on. */
  cardsPerStage: z.coerce.number().int().min(0).max(2000).default(50),
});

export const stageCardsQuerySchema = opportunityFiltersSchema.extend({
  cursor: z.string().max(500).optional().describe("A stage's nextCursor from the board or the previous page"),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

export const currencyTotalSchema = z.object({
  currency: z.string(),
  amount: z.number().int(),
  weighted: z.number().int(),
  count: z.number().int(),
});

export const pipelineCardSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  accountName: z.string().nullable(),
  amount: z.number().int().nullable(),
  currency: z.string(),
  probability: z.number().int().describe("Effective probability: the deal's override, else the stage's"),
  probabilityOverride: z.number().int().nullable(),
  closeDate: z.string().nullable(),
  ownerId: z.uuid().nullable(),
  ownerName: z.string().nullable(),
  stageId: z.uuid(),
  stageEnteredAt: z.string(),
  daysInStage: z.number().int(),
  rotting: z.boolean().describe("Past the stage's aging limit"),
  daysOver: z.number().int().nullable().describe("Days past the aging limit (rotting deals only)"),
  agingLimit: z.number().int().nullable().describe("The stage's effective aging limit: its own, else the workspace's median days in it"),
  inactiveDays: z.number().int().nullable().describe("Days without any logged activity, when at least the workspace's inactivity limit"),
  winScore: z.number().int().nullable().describe("Calibrated win probability 0–100 (nightly); null until scored"),
  position: z.number(),
  version: z.number().int(),
  custom: z.record(z.string(), z.unknown()).describe("Values of the custom fields marked showOnCard, by key"),
});
export type PipelineCard = z.infer<typeof pipelineCardSchema>;

export const stageSchema = z.object({
  id: z.uuid(),
  agingDays: z.number().int().nullable().describe("Aging limit in days; null = none"),
  name: z.string(),
  position: z.number().int(),
  probability: z.number().int().min(0).max(100),
  kind: z.enum(["open", "won", "lost"]),
});
export type Stage = z.infer<typeof stageSchema>;

export const pipelineStageSchema = stageSchema.extend({
  count: z.number().int(),
  totals: z.array(currencyTotalSchema).describe("Per currency: amounts in different currencies are never summed"),
  cards: z.array(pipelineCardSchema),
  rottingCount: z.number().int().describe("Deals of this stage past its aging limit (matching the filters)"),
  agingLimit: z.number().int().nullable().describe("Effective aging limit: the stage's own, else the workspace's median days in it"),
  nextCursor: z.string().nullable().describe("More cards: GET /api/opportunities/pipeline/stages/{stageId}/cards?cursor=…"),
});

export const pipelineRefSchema = z.object({ id: z.uuid(), key: z.string(), name: z.string(), isDefault: z.boolean() });

export const pipelineSchema = z.object({
  pipeline: pipelineRefSchema.describe("The pipeline this board shows"),
  stages: z.array(pipelineStageSchema),
  totals: z.array(currencyTotalSchema).describe("Open deals only, per currency"),
});
export type Pipeline = z.infer<typeof pipelineSchema>;

export const stageCardsPageSchema = z.object({ cards: z.array(pipelineCardSchema), nextCursor: z.string().nullable() });
export type StageCardsPage = z.infer<typeof stageCardsPageSchema>;

/** The board's numbers without cards: what the SPA refetches after a move or an edit. */
export const pipelineTotalsSchema = z.object({
  pipelineId: z.uuid(),
  stages: z.array(z.object({ id: z.uuid(), count: z.number().int(), totals: z.array(currencyTotalSchema) })),
  totals: z.array(currencyTotalSchema).describe("Open deals only, per currency"),
});
export type PipelineTotals = z.infer<typeof pipelineTotalsSchema>;
