import { z } from "zod";

/** Every message on the AI queue; consumers reject what does not parse instead of guessing. */
export const queueMessageSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("ai.summary"),
    jobId: z.uuid(),
    workspaceId: z.uuid(),
    targetType: z.enum(["account", "contact", "lead", "opportunity"]),
    targetId: z.uuid(),
    requestedBy: z.uuid().nullable(),
    /** What asked for it: a user, or a significant event on the record (debounced). */
    trigger: z.enum(["manual", "stage_change", "meeting", "call", "retry", "automation"]).optional(),
  }),
]);
export type QueueMessage = z.infer<typeof queueMessageSchema>;
