import { onDomainEvent } from "../automations/consumer";
import { loadConfig, type Config } from "../config";
import { outboxMessageSchema, type OutboxMessage } from "../events/types";
import { createServices, type Services } from "../lib/services";
import { summarizeAfterEvents } from "../services/ai/summarize-after-events";
import { notifyFromEvent } from "../services/notifications/from-event";
import { fanOutEvents } from "../services/webhooks/fanout";

/** Queue names as in wrangler.toml; the queue handler dispatches on them. */
export const EVENTS_QUEUE = "bespoke-crm-events";
export const EVENTS_DLQ = "bespoke-crm-events-dlq";
export const isEventsQueue = (name: string) => name === EVENTS_QUEUE || name === EVENTS_DLQ;

/**
 * THE consumer of domain events (the outbox relay's queue). For each batch, in this order:
 *  1. webhooks — one delivery per (subscribed endpoint, event id), queued to WEBHOOK_QUEUE (one query per workspace);
 *  then per message:
 *  2. notifications — assignment (new owner) via notify(), deduplicated per event id;
 *  3. AI summaries — a stage change (not from an import) or a new meeting / call queues a fresh summary of the record,
 *     debounced per record (so a redelivery queues none);
 *  4. automations — onDomainEvent (worker/automations/consumer.ts), idempotent per (event id, rule).
 * Delivery is at-least-once; every effect is idempotent, so a failed step retries the whole message safely.
 */
export async function handleEventsBatch(batch: MessageBatch<unknown>, env: Env, deps?: { services?: Services; config?: Config }): Promise<void> {
  if (batch.queue === EVENTS_DLQ) {
    for (const msg of batch.messages) {
      console.error(JSON.stringify({ level: "error", msg: "events: gave up on an event after retries", id: msg.id, event: msg.body }));
      msg.ack();
    }
    return;
  }
  let config = deps?.config;
  if (!config) {
    const loaded = loadConfig(env);
    if (!loaded.ok) {
      console.error(JSON.stringify({ level: "error", msg: "events: misconfigured, retrying batch", problems: loaded.problems }));
      batch.retryAll({ delaySeconds: 60 });
      return;
    }
    config = loaded.config;
  }
  const services = deps?.services ?? createServices(env, config);
  try {
    const parsed: { msg: Message<unknown>; m: OutboxMessage }[] = [];
    const schema = outboxMessageSchema();
    for (const msg of batch.messages) {
      const r = schema.safeParse(msg.body);
      if (r.success) parsed.push({ msg, m: r.data as OutboxMessage });
      else {
        console.error(JSON.stringify({ level: "error", msg: "events: unparseable message dropped", id: msg.id, issues: r.error.issues.slice(0, 3) }));
        msg.ack();
      }
    }
    try {
      await fanOutEvents({ db: services.db, queue: services.queues.webhooks, messages: parsed.map((p) => p.m) });
    } catch (err) {
      console.error(JSON.stringify({ level: "error", msg: "events: webhook fan-out failed, retrying batch", error: String(err) }));
      for (const p of parsed) p.msg.retry({ delaySeconds: Math.min(2 ** p.msg.attempts, 300) });
      return;
    }
    for (const { msg, m } of parsed) {
      try {
        await consumeOne(m, services, config);
        msg.ack();
      } catch (err) {
        console.error(JSON.stringify({ level: "error", msg: "events: message failed", eventId: m.eventId, type: m.event.type, attempts: msg.attempts, error: String(err) }));
        msg.retry({ delaySeconds: Math.min(2 ** msg.attempts, 300) });
      }
    }
  } finally {
    if (!deps?.services) await services.db.close();
  }
}

/** Steps 2–4 for one event. */
async function consumeOne(m: OutboxMessage, services: Services, config: Config): Promise<void> {
  await notifyFromEvent(services.db.http, m);
  const fromImport = m.event.type === "opportunity.stage_changed" && m.event.data.source === "import";
  // bespoke.config.ts features.aiAutoSummaries: false: summaries are then written only when someone asks for one.
  // A bulk import can move thousands of deals: re-summarising each would spend the AI budget on noise.
  if (config.bespoke?.features.aiAutoSummaries !== false && !fromImport) {
    await summarizeAfterEvents({ db: services.db, queues: services.queues, config, workspaceId: m.workspaceId, events: [m.event] });
  }
  await onDomainEvent(m, services);
}
