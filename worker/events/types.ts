import { z } from "zod";

/**
 * The domain events (issue 13), one list. Mutations write them to the outbox (db/schema/events.ts) inside their
 * transaction (worker/events/outbox.ts `emit`); the relay → EVENTS Queue → one consumer (worker/queues/events.ts) fans
 * them out to webhooks, notifications, AI summaries and automations.
 *
 * Record lifecycle events exist per entity: `<entity>.created | updated | deleted | restored`; `updated` carries the
 * changed fields as `data.changes: { field: { from, to } }`. `opportunity.stage_changed` has ONE payload shape
 * (`StageChangedData`), written only by the stage-move verb (worker/services/opportunities/move-stage.ts).
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
  "user.created",
  "user.updated",
  "user.deactivated",
  "user.reactivated",
  "user.password_reset",
  "pipeline.created",
  "pipeline.updated",
  "pipeline.deleted",
  "pipeline.stages_updated",
] as const;
export type DomainEventType = (typeof domainEventTypes)[number];

/** `{ field: { from, to } }`, as the audit trail writes it. */
export type Changes = Record<string, { from: unknown; to: unknown }>;

/** A stage as events name it. */
export interface StageRef {
  id: string;
  key: string | null;
  name: string;
  kind: "open" | "won" | "lost";
}

/** Where a stage move came from: a person's edit, an import, a stage list or pipeline change, or an automation rule. */
export const stageMoveSources = ["edit", "import", "stages", "pipeline", "automation", "create"] as const;
export type StageMoveSource = (typeof stageMoveSources)[number];

/** The one payload of `opportunity.stage_changed`. */
export interface StageChangedData extends Record<string, unknown> {
  /** The deal after the move (the API's shape, with pipelineId). */
  opportunity: Record<string, unknown>;
  fromStage: StageRef;
  toStage: StageRef;
  fromPipelineId: string;
  toPipelineId: string;
  reason: string;
  reasonCode: string | null;
  source: StageMoveSource;
}

/** What services hand to `emit`: the type, the record it is about, and its data. */
export interface DomainEvent {
  type: DomainEventType;
  entityType: string;
  entityId: string;
  data: Record<string, unknown>;
}

const stageRef = z.object({ id: z.string(), key: z.string().nullable(), name: z.string(), kind: z.enum(["open", "won", "lost"]) });
const changes = z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() }));
const anyData = z.record(z.string(), z.unknown());

/**
 * Per-type data shapes, checked when an event is written (a mutation that raises a malformed event fails in its own
 * transaction, not in a consumer later). Types not listed carry their record's API shape (`anyData`).
 */
const dataShapes: Partial<Record<DomainEventType, () => z.ZodType>> = {
  "opportunity.stage_changed": () =>
    z.object({
      opportunity: z.looseObject({ id: z.string() }),
      fromStage: stageRef,
      toStage: stageRef,
      fromPipelineId: z.string(),
      toPipelineId: z.string(),
      reason: z.string(),
      reasonCode: z.string().nullable(),
      source: z.enum(stageMoveSources),
    }),
  "lead.converted": () => z.looseObject({ lead: anyData }),
  "task.overdue": () => z.looseObject({ task: anyData }),
  "opportunity.aging": () => z.looseObject({ opportunity: anyData, stage: stageRef.partial({ key: true }), daysInStage: z.number() }),
  "opportunity.close_date_passed": () => z.looseObject({ opportunity: anyData }),
  "comment.created": () => z.looseObject({ comment: anyData }),
  "pipeline.stages_updated": () => z.looseObject({ pipelineId: z.string(), changes }),
};
for (const e of recordEntities) dataShapes[`${e}.updated`] = () => z.looseObject({ id: z.string(), changes });
dataShapes["user.updated"] = () => z.looseObject({ changes });

let schema: z.ZodType<DomainEvent> | undefined;

/** One zod union of every domain event (built on first use: no zod at module scope on the request path). */
export function domainEventSchema(): z.ZodType<DomainEvent> {
  schema ??= z.discriminatedUnion(
    "type",
    domainEventTypes.map((type) =>
      z.object({ type: z.literal(type), entityType: z.string().min(1), entityId: z.uuid(), data: dataShapes[type]?.() ?? anyData }),
    ) as unknown as [z.ZodObject, ...z.ZodObject[]],
  ) as unknown as z.ZodType<DomainEvent>;
  return schema;
}
export type DomainEventEnvelope = DomainEvent;

/** What the relay puts on the EVENTS Queue: the outbox row's identity plus the event. */
export interface OutboxMessage {
  /** outbox_events.event_id: consumers de-duplicate effects on it. */
  eventId: string;
  workspaceId: string;
  occurredAt: string;
  actorId: string | null;
  apiKeyId: string | null;
  /** The automation rule whose run made the change (loop guard), else null. */
  causedByRuleId: string | null;
  /** The request that made the change (one import = one request), when there was one. */
  requestId?: string | null;
  event: DomainEvent;
}

export const outboxMessageSchema = () =>
  z.object({
    eventId: z.uuid(),
    workspaceId: z.uuid(),
    occurredAt: z.string(),
    actorId: z.string().nullable(),
    apiKeyId: z.string().nullable(),
    causedByRuleId: z.string().nullable(),
    requestId: z.string().nullable().optional(),
    event: z.object({ type: z.enum(domainEventTypes), entityType: z.string(), entityId: z.string(), data: anyData }),
  });
