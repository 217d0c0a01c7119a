import { and, arrayOverlaps, eq, isNull, lte } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { webhookDeliveries, webhookEndpoints } from "../../../db/schema";
import type { OutboxMessage } from "../../events/types";

/** Queue messages per sendBatch call (the Queues limit). */
const SEND_BATCH = 100;
/** Delivery rows per INSERT: an import of 10,000 rows raises 10,000 events. */
const INSERT_BATCH = 500;

export interface WebhookMessage {
  type: "webhook.deliver";
  deliveryId: string;
}

export async function enqueueDeliveries(queue: Queue, ids: string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += SEND_BATCH) {
    await queue.sendBatch(ids.slice(i, i + SEND_BATCH).map((deliveryId) => ({ body: { type: "webhook.deliver", deliveryId } satisfies WebhookMessage, contentType: "json" as const })));
  }
}

/**
 * Turns delivered outbox events into webhook deliveries: one pending row per (event, subscribed active endpoint that
 * existed when the event happened),
 * then one queue message per row. Runs in the events consumer (worker/queues/events.ts), after the change committed.
 * Idempotent: (endpoint, event id) is unique, so an event delivered twice to the consumer creates no second delivery
 * and sends no second message. The row is written before the message is sent: a message never points at nothing,
 * and a row whose message was lost stays pending in the log, where an admin can redeliver it.
 */
export async function fanOutEvents(input: { db: Database; queue: Queue; messages: OutboxMessage[] }): Promise<number> {
  const { db, messages } = input;
  if (!messages.length) return 0;
  let made = 0;
  for (const workspaceId of new Set(messages.map((m) => m.workspaceId))) {
    const mine = messages.filter((m) => m.workspaceId === workspaceId);
    const types = [...new Set(mine.map((m) => m.event.type))];
    const latest = new Date(Math.max(...mine.map((m) => Date.parse(m.occurredAt))));
    const endpoints = await db.http
      .select({ id: webhookEndpoints.id, events: webhookEndpoints.events, createdAt: webhookEndpoints.createdAt })
      .from(webhookEndpoints)
      .where(
        and(
          eq(webhookEndpoints.workspaceId, workspaceId),
          eq(webhookEndpoints.active, true),
          isNull(webhookEndpoints.deletedAt),
          arrayOverlaps(webhookEndpoints.events, types),
          lte(webhookEndpoints.createdAt, latest),
        ),
      );
    if (!endpoints.length) continue;
    const rows: (typeof webhookDeliveries.$inferInsert)[] = [];
    for (const m of mine) {
      const e = m.event;
      const payload = { id: m.eventId, type: e.type, createdAt: m.occurredAt, workspaceId, data: e.data };
      // An endpoint receives what happened after it was added, never a backlog the queue still held when it was.
      const at = Date.parse(m.occurredAt);
      for (const ep of endpoints) if (ep.events.includes(e.type) && ep.createdAt.getTime() <= at) rows.push({ workspaceId, endpointId: ep.id, eventId: m.eventId, eventType: e.type, payload });
    }
    for (let i = 0; i < rows.length; i += INSERT_BATCH) {
      const created = await db.http
        .insert(webhookDeliveries)
        .values(rows.slice(i, i + INSERT_BATCH))
        .onConflictDoNothing({ target: [webhookDeliveries.endpointId, webhookDeliveries.eventId] })
        .returning({ id: webhookDeliveries.id });
      await enqueueDeliveries(input.queue, created.map((c) => c.id));
      made += created.length;
    }
  }
  return made;
}
