import { z } from "zod";

/**
 * The domain events (issue 13), one list. Mutations write them to the outbox (db/schema/events.ts) inside their
 * transaction; the relay → Queue → consumer fans them out to webhooks, AI summaries, automations and notifications.
 *
 * Record lifecycle events exist per entity: `<entity>.created | updated | deleted | restored`; `updated` carries the
 * changed fields as `data.changes: { field: { from, to } }`. `opportunity.stage_changed` has ONE payload shape:
 * `{ opportunity, fromStage: {id,key,name,kind}, toStage: {…}, fromPipelineId, toPipelineId, reason, reasonCode }`.
 * Time-based events (`task.overdue`, `opportunity.aging`, `opportunity.close_date_passed`) are raised by the cron.
 */
export const recordEntities = ["account", "contact", "lead", "opportunity", "activity"] as const;
const lifecycle = ["created", "updated", "deleted", "restored"] as const;

export const domainEventTypes = [
  ...recordEntities.flatMap((e) => lifecycle.map((l) => `${e}.${l}` as const)),
  "opportunity.stage_changed",
  "lead.converted",
  "task.overdue",
  "opportunity.aging",
  "opportunity.close_date_passed",
  "comment.created",
] as const;
export type DomainEventType = (typeof domainEventTypes)[number];

export const domainEventSchema = z.object({
  type: z.enum(domainEventTypes),
  entityType: z.string(),
  entityId: z.string(),
  data: z.record(z.string(), z.unknown()),
});
export type DomainEventEnvelope = z.infer<typeof domainEventSchema>;

/** What the relay puts on the events Queue: the outbox row's identity plus the event. */
export interface OutboxMessage {
  /** outbox_events.event_id: consumers de-duplicate effects on it. */
  eventId: string;
  workspaceId: string;
  occurredAt: string;
  actorId: string | null;
  apiKeyId: string | null;
  causedByRuleId: string | null;
  event: DomainEventEnvelope;
}
