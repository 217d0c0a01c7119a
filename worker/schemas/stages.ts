import { z } from "zod";

/** Pipeline stage configuration. The SPA imports these; they import only zod. */

export const MAX_STAGES = 30;

/** A slug handle: lower-case letters, digits, _ and -, starting with a letter. */
export const stageKeySchema = z
  .string()
  .trim()
  .min(1, "is required")
  .max(60, "must be at most 60 characters")
  .regex(/^[a-z][a-z0-9_-]*$/, "must be lower-case letters, digits, _ or -, starting with a letter");
export const stageKinds = ["open", "won", "lost"] as const;

export const configuredStageSchema = z
  .object({
    id: z.uuid(),
    pipelineId: z.uuid(),
    key: z.string().nullable().describe("Stable handle used by the configuration file; null for stages made in the UI"),
    name: z.string(),
    position: z.number().int(),
    probability: z.number().int().min(0).max(100),
    kind: z.enum(stageKinds),
    agingDays: z.number().int().nullable().describe("Days a deal may sit here before it counts as rotting; null = no limit set"),
    opportunityCount: z.number().int().describe("Live (not deleted) deals in the stage"),
  })
  .meta({ id: "ConfiguredStage" });
export type ConfiguredStage = z.infer<typeof configuredStageSchema>;

export const stageListSchema = z.object({ stages: z.array(configuredStageSchema) });

export const stageInputSchema = z.strictObject({
  id: z.uuid({ error: "must be a UUID" }).optional().describe("An existing stage to keep; omit for a new one"),
  name: z.string().trim().min(1, "is required").max(80, "must be at most 80 characters"),
  probability: z.number().int("must be a whole number").min(0, "must be 0–100").max(100, "must be 0–100"),
  kind: z.enum(stageKinds, { error: "must be open, won or lost" }),
  agingDays: z
    .number()
    .int("must be a whole number")
    .min(1, "must be at least 1 day")
    .max(3650, "must be at most 3650 days")
    .nullable()
    .optional()
    .describe("Aging limit in days (null: none; omitted: unchanged for a kept stage)"),
  key: stageKeySchema.optional().describe("Stable handle for the configuration file; omitted: unchanged"),
});
export type StageInput = z.infer<typeof stageInputSchema>;

export const stagesPutSchema = z.strictObject({
  stages: z
    .array(stageInputSchema)
    .min(1, "needs at least one stage")
    .max(MAX_STAGES, `at most ${MAX_STAGES} stages`)
    .describe("The whole ordered list: position = index. Stages left out are removed."),
  moveTo: z
    .record(
      z.uuid({ error: "keys must be the ids of removed stages" }),
      z.union([z.uuid(), z.number().int().min(0)], { error: "must be a stage id or an index into stages" }),
    )
    .optional()
    .describe("For each removed stage that still holds deals: where they go (a stage id, or an index into `stages` for a new one)"),
});
export type StagesPut = z.infer<typeof stagesPutSchema>;
