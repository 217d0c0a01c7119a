import { z } from "zod";

/** Dashboard contracts. The SPA imports these; they import only zod. */

export const taskCountsQuerySchema = z.object({
  ownerId: z.uuid("must be a user id").optional().describe("Whose open tasks; the caller's when omitted"),
  overdueBefore: z.iso
    .datetime({ offset: true, error: "must be an ISO date-time, e.g. 2026-12-03T00:00:00Z" })
    .optional()
    .describe("Tasks due before this moment count as overdue (the SPA sends the start of the user's local day); now when omitted"),
});

export const taskCountsSchema = z.object({
  ownerId: z.string(),
  /** Every open task the owner has, whatever its due date (none included). */
  open: z.number().int(),
  overdue: z.number().int(),
});
export type TaskCounts = z.infer<typeof taskCountsSchema>;
