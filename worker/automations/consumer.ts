import { and, eq, inArray, isNull, lte } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { automations, pipelineStages } from "../../db/schema";
import type { OutboxMessage } from "../events/types";
import type { Services } from "../lib/services";
import type { AutomationCondition, AutomationTrigger } from "../schemas/automations";
import { evaluateConditions } from "./conditions";
import { matchTrigger, triggerTypesFor } from "./match";
import { startRun, type StartRunOutcome } from "./start-run";
import { loadSubject } from "./subject";

/**
 * The automations' entry point from the one event consumer (worker/events): called once per delivered outbox event.
 * Idempotent per (eventId, rule): a run's trigger key is the event id (or the time trigger's (record, day)), unique
 * per rule, so a redelivered event starts nothing new. A rule never fires on an event its own actions caused
 * (loop guard: the event's causedByRuleId). Conditions are checked against the record as it is now.
 */
export async function onDomainEvent(message: OutboxMessage, services: Services): Promise<StartRunOutcome[]> {
  const types = triggerTypesFor(message.event.type);
  if (!types.length) return [];
  const { db } = services;
  const rules = await db.http
    .select()
    .from(automations)
    .where(
      and(
        eq(automations.workspaceId, message.workspaceId),
        inArray(automations.triggerType, types),
        eq(automations.enabled, true),
        isNull(automations.deletedAt),
        // A rule acts on what happens after it was created, not on a backlog the queue still held then.
        lte(automations.createdAt, new Date(message.occurredAt)),
      ),
    );
  if (message.event.type === "opportunity.stage_changed") await withStageKeys(db.http, message);
  const outcomes: StartRunOutcome[] = [];
  let subject: Awaited<ReturnType<typeof loadSubject>> | undefined;
  for (const rule of rules) {
    if (message.causedByRuleId && message.causedByRuleId === rule.id) continue;
    const hit = matchTrigger(rule.trigger as AutomationTrigger, message);
    if (!hit) continue;
    subject ??= await loadSubject(db.http, message.workspaceId, hit.recordType, hit.recordId);
    if (!subject) continue;
    if (!evaluateConditions(subject.record, rule.conditions as AutomationCondition[]).matches) continue;
    outcomes.push(
      await startRun({
        db: db.http,
        runner: services.automations,
        automation: rule,
        triggerKey: hit.triggerKey,
        triggerEvent: { type: message.event.type, eventId: message.eventId, occurredAt: message.occurredAt, entityType: message.event.entityType, entityId: message.event.entityId },
        recordType: hit.recordType,
        recordId: hit.recordId,
      }),
    );
  }
  return outcomes;
}

/** Rules from the configuration file name stages by key: fill in the keys when the event's stages lack them. */
async function withStageKeys(db: Executor, message: OutboxMessage): Promise<void> {
  const data = message.event.data as Record<string, { id?: string; key?: string | null } | undefined>;
  const stages = [data.fromStage, data.toStage].filter((s): s is { id: string; key?: string | null } => typeof s?.id === "string" && s.key === undefined);
  if (!stages.length) return;
  const rows = await db
    .select({ id: pipelineStages.id, key: pipelineStages.key })
    .from(pipelineStages)
    .where(and(eq(pipelineStages.workspaceId, message.workspaceId), inArray(pipelineStages.id, stages.map((s) => s.id))));
  for (const s of stages) s.key = rows.find((r) => r.id === s.id)?.key ?? null;
}
