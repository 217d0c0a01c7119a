import { z } from "zod";
import { MAX_STAGES, configuredStageSchema, stageInputSchema, stageKeySchema } from "./stages";

/** Pipelines (a workspace's sales processes, each with its own stages). The SPA imports these; they import only zod. */

export const MAX_PIPELINES = 20;

export const pipelineInfoSchema = z
  .object({
    id: z.uuid(),
    key: z.string(),
    name: z.string(),
    position: z.number().int(),
    isDefault: z.boolean(),
    source: z.enum(["config", "ui"]),
    stages: z.array(configuredStageSchema).describe("In board order, each with its live deal count"),
  })
  .meta({ id: "PipelineInfo" });
export type PipelineInfo = z.infer<typeof pipelineInfoSchema>;

export const pipelineListSchema = z.object({ pipelines: z.array(pipelineInfoSchema) });

const pipelineName = z.string().trim().min(1, "is required").max(80, "must be at most 80 characters");

export const pipelineCreateSchema = z.strictObject({
  name: pipelineName,
  key: stageKeySchema.optional().describe("Stable handle; defaults to a slug of the name"),
  position: z.number().int("must be a whole number").min(0, "must be 0 or more").optional().describe("Defaults to after the last pipeline"),
  isDefault: z.boolean().optional().describe("Make it the workspace's default pipeline"),
  stages: z
    .array(stageInputSchema.omit({ id: true }))
    .min(1, "needs at least one stage")
    .max(MAX_STAGES, `at most ${MAX_STAGES} stages`)
    .optional()
    .describe("Ordered stages; defaults to a sensible set (Qualification … Closed Won / Closed Lost)"),
});
export type PipelineCreate = z.infer<typeof pipelineCreateSchema>;

export const pipelinePatchSchema = z.strictObject({
  name: pipelineName.optional(),
  position: z.number().int("must be a whole number").min(0, "must be 0 or more").optional().describe("New place in the list (0 = first); the others shift"),
  isDefault: z.boolean().optional().describe("true makes it the default (the previous default stops being one); a workspace always has exactly one"),
});
export type PipelinePatch = z.infer<typeof pipelinePatchSchema>;

export const pipelineDeleteQuerySchema = z.object({
  moveTo: z.uuid({ error: "must be a stage id" }).optional().describe("A stage of another pipeline: where the pipeline's deals go"),
});

export const pipelineDeletedSchema = z.object({
  id: z.uuid(),
  movedOpportunities: z.number().int().describe("Live deals moved to `moveTo`"),
});
