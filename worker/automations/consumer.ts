import { and, eq, inArray, isNull } from "drizzle-orm";
import { automations } from "../../db/schema";
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
      ),
    );
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
