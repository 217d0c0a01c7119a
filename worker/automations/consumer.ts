import type { OutboxMessage } from "../events/types";
import type { Services } from "../lib/services";

/**
 * The automations' entry point from the one event consumer (worker/events): called once per delivered outbox event.
 * It must be idempotent per (eventId, rule): the consumer is at-least-once. Owned by the automation engine
 * (issue 13); until that lands it does nothing.
 */
export async function onDomainEvent(_message: OutboxMessage, _services: Services): Promise<void> {
  // Filled in by the automation engine: match enabled rules, apply the loop guard and per-workspace cap, start runs.
}
