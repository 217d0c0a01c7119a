import type { OutboxMessage } from "../events/types";
import type { AutomationTrigger, TriggerType } from "../schemas/automations";

/** Which trigger types a domain event can fire, so the consumer reads only those rules (automations_ws_trigger_idx). */
export function triggerTypesFor(eventType: string): TriggerType[] {
  if (eventType === "opportunity.stage_changed") return ["stage_entered", "stage_left"];
  if (eventType === "opportunity.aging") return ["deal_aging"];
  if (eventType === "opportunity.close_date_passed") return ["close_date_passed"];
  if (eventType === "task.overdue") return ["task_overdue"];
  if (eventType.endsWith(".created")) return ["record_created"];
  if (eventType.endsWith(".updated")) return ["field_changed"];
  return [];
}

type StageRef = { id?: unknown; key?: unknown } | undefined;
const stageMatches = (wanted: string[], stage: StageRef) =>
  wanted.length === 0 || (!!stage && wanted.some((w) => w === stage.id || (typeof stage.key === "string" && w === stage.key)));

export interface TriggerHit {
  recordType: string;
  recordId: string;
  /** The run's identity for this trigger: one run per (rule, key). */
  triggerKey: string;
}

const day = (iso: string) => iso.slice(0, 10);

/** Does this event fire this trigger? The record it is about and the trigger's de-duplication key, or null. */
export function matchTrigger(trigger: AutomationTrigger, message: OutboxMessage): TriggerHit | null {
  const { event } = message;
  const data = event.data;
  const hit = (recordType: string, key = `evt:${message.eventId}`): TriggerHit => ({ recordType, recordId: event.entityId, triggerKey: key });
  switch (trigger.type) {
    case "record_created":
      return event.type === `${trigger.entity}.created` ? hit(trigger.entity) : null;
    case "field_changed": {
      if (event.type !== `${trigger.entity}.updated`) return null;
      const changes = (data.changes ?? {}) as Record<string, unknown>;
      return trigger.fields.some((f) => f in changes) ? hit(trigger.entity) : null;
    }
    case "stage_entered":
      return event.type === "opportunity.stage_changed" && stageMatches(trigger.stages, data.toStage as StageRef) ? hit("opportunity") : null;
    case "stage_left":
      return event.type === "opportunity.stage_changed" && stageMatches(trigger.stages, data.fromStage as StageRef) ? hit("opportunity") : null;
    // Time-based events share the cron's key, so the same (rule, record, day) runs once whichever raised it.
    case "deal_aging":
      return event.type === "opportunity.aging" ? hit("opportunity", `deal_aging:${event.entityId}:${day(message.occurredAt)}`) : null;
    case "close_date_passed":
      return event.type === "opportunity.close_date_passed" ? hit("opportunity", `close_date_passed:${event.entityId}:${day(message.occurredAt)}`) : null;
    case "task_overdue":
      return event.type === "task.overdue" ? hit("activity", `task_overdue:${event.entityId}:${day(message.occurredAt)}`) : null;
    default:
      return null;
  }
}
