import { z } from "zod";

/** The audit log as the API shows it. The SPA imports these; they import only zod. */

const isoDateTime = z.iso.datetime({ offset: true, error: "must be an ISO 8601 date-time" });

export const auditQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
  entityType: z.string().trim().min(1).max(60).optional(),
  entityId: z.uuid({ error: "must be a UUID" }).optional(),
  actorId: z.uuid({ error: "must be a UUID" }).optional(),
  action: z
    .string()
    .trim()
    .min(1)
    .max(60)
    .optional()
    .describe('An action, e.g. "user.create", or a family ending in ".*", e.g. "user.*"'),
  from: isoDateTime.optional().describe("Entries at or after this instant"),
  to: isoDateTime.optional().describe("Entries before this instant"),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;

export const auditEntrySchema = z
  .object({
    id: z.uuid(),
    at: z.string().describe("ISO 8601 UTC timestamp"),
    action: z.string(),
    entityType: z.string(),
    entityId: z.uuid().nullable(),
    changes: z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() })),
    actor: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    requestId: z.string().nullable(),
    /** Set when the change came through an API key; `actor` is then the key's creator. */
    apiKey: z.object({ id: z.uuid(), name: z.string(), prefix: z.string() }).nullable(),
  })
  .meta({ id: "AuditEntry" });
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const auditPageSchema = z.object({ data: z.array(auditEntrySchema), nextCursor: z.string().nullable() });
