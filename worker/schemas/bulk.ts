import { z } from "@hono/zod-openapi";

export const bulkEntities = ["accounts", "contacts", "leads", "opportunities", "activities"] as const;
export type BulkEntity = (typeof bulkEntities)[number];

/** The most records one job changes: "select all matching" beyond this asks for a narrower filter. */
export const BULK_MAX = 10_000;

export const bulkCreateSchema = z
  .object({
    action: z.enum(["update", "delete"]),
    changes: z.record(z.string(), z.unknown()).optional().describe("update: the fields to set on each record, as in PATCH (a stage change needs stageChangeReason)"),
    ids: z.array(z.uuid()).min(1).max(BULK_MAX).optional().describe("The selected records"),
    filter: z.record(z.string(), z.string()).optional().describe("Instead of ids: every record matching these list filters (the list's query parameters)"),
  })
  .meta({ id: "BulkCreate" });

export const bulkJobSchema = z
  .object({
    id: z.uuid(),
    entity: z.enum(bulkEntities),
    action: z.enum(["update", "delete"]),
    status: z.enum(["queued", "running", "done"]),
    total: z.number().int(),
    processed: z.number().int(),
    succeeded: z.number().int(),
    failed: z.number().int(),
    failures: z.array(z.object({ id: z.string(), message: z.string() })),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .meta({ id: "BulkJob" });

export type BulkCreate = z.infer<typeof bulkCreateSchema>;
