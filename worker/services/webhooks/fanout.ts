import { and, arrayOverlaps, eq, isNull } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { webhookDeliveries, webhookEndpoints } from "../../../db/schema";
import type { DomainEvent } from "../audit/record";

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
 * Turns a request's committed domain events into deliveries: one pending row per (event, subscribed active
 * endpoint), then one queue message per row. Runs after the response (waitUntil), so webhooks never slow down or
 * fail the request that raised them. The row is written before the message is sent: a message never points at
 * nothing, and a row whose message was lost stays pending in the log, where an admin can redeliver it.
 */
export async function fanOutEvents(input: { db: Database; queue: Queue; workspaceId: string; events: DomainEvent[] }): Promise<number> {
  const { db, workspaceId, events } = input;
  if (!events.length) return 0;
  const types = [...new Set(events.map((e) => e.type))];
  const endpoints = await db.http
    .select({ id: webhookEndpoints.id, events: webhookEndpoints.events })
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.workspaceId, workspaceId), eq(webhookEndpoints.active, true), isNull(webhookEndpoints.deletedAt), arrayOverlaps(webhookEndpoints.events, types)));
  if (!endpoints.length) return 0;

  const createdAt = new Date().toISOString();
  const rows: (typeof webhookDeliveries.$inferInsert)[] = [];
  for (const e of events) {
    const targets = endpoints.filter((ep) => ep.events.includes(e.type));
    if (!targets.length) continue;
    const eventId = crypto.randomUUID();
    const payload = { id: eventId, type: e.type, createdAt, workspaceId, data: e.data };
    for (const ep of targets) rows.push({ workspaceId, endpointId: ep.id, eventId, eventType: e.type, payload });
  }
  for (let i = 0; i < rows.length; i += INSERT_BATCH) {
    const made = await db.http.insert(webhookDeliveries).values(rows.slice(i, i + INSERT_BATCH)).returning({ id: webhookDeliveries.id });
    await enqueueDeliveries(input.queue, made.map((m) => m.id));
  }
  return rows.length;
}
