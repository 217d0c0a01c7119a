import { and, asc, inArray, isNull, lt, sql } from "drizzle-orm";
import type { Database, Executor } from "../../db/client";
import { outboxEvents } from "../../db/schema";
import type { Actor } from "../services/audit/record";
import { domainEventSchema, type DomainEvent, type OutboxMessage } from "./types";

/** Outbox rows per INSERT: an import of 10,000 rows raises 10,000 events. */
const INSERT_BATCH = 500;
/** Queue messages per sendBatch call (the Queues limit is 100 messages / 256 KB). */
const SEND_BATCH = 50;

/**
 * Writes domain events to the outbox inside the caller's transaction: they exist exactly when the change does, and
 * leave through the relay after the commit (never lost if the isolate dies: the cron sweeps what was not sent).
 * Each event is checked against the one zod union (worker/events/types.ts). The new rows' ids go on `actor.outbox`,
 * which the request's relay dispatches right after the response.
 */
export async function emit(tx: Executor, actor: Actor, events: DomainEvent | DomainEvent[]): Promise<void> {
  const list = Array.isArray(events) ? events : [events];
  if (!list.length) return;
  const schema = domainEventSchema();
  for (const e of list) {
    const parsed = schema.safeParse(e);
    if (!parsed.success) throw new Error(`emit: malformed ${e.type} event: ${JSON.stringify(parsed.error.issues.slice(0, 3))}`);
  }
  for (let i = 0; i < list.length; i += INSERT_BATCH) {
    const rows = await tx
      .insert(outboxEvents)
      .values(
        list.slice(i, i + INSERT_BATCH).map((e) => ({
          workspaceId: actor.workspaceId,
          type: e.type,
          entityType: e.entityType,
          entityId: e.entityId,
          data: e.data,
          actorId: actor.userId,
          apiKeyId: actor.apiKeyId ?? null,
          requestId: actor.requestId ?? null,
          causedByRuleId: actor.causedByRuleId ?? null,
        })),
      )
      .returning({ id: outboxEvents.id });
    actor.outbox?.push(...rows.map((r) => r.id));
  }
}

type OutboxRow = typeof outboxEvents.$inferSelect;

export function toMessage(r: OutboxRow): OutboxMessage {
  return {
    eventId: r.eventId,
    workspaceId: r.workspaceId,
    occurredAt: new Date(r.occurredAt).toISOString(),
    actorId: r.actorId,
    apiKeyId: r.apiKeyId,
    causedByRuleId: r.causedByRuleId,
    requestId: r.requestId,
    event: { type: r.type as DomainEvent["type"], entityType: r.entityType, entityId: r.entityId ?? "", data: r.data },
  };
}

/**
 * Hands undispatched outbox rows to the EVENTS queue and marks them dispatched. A row is marked only after its
 * message was accepted, so a failed send leaves it for the sweep (at-least-once; consumers are idempotent). Returns
 * how many rows it dispatched.
 */
async function dispatchRows(db: Database, queue: Queue, rows: OutboxRow[]): Promise<number> {
  let sent = 0;
  for (let i = 0; i < rows.length; i += SEND_BATCH) {
    const slice = rows.slice(i, i + SEND_BATCH);
    try {
      await queue.sendBatch(slice.map((r) => ({ body: toMessage(r), contentType: "json" as const })));
    } catch (err) {
      await db.http
        .update(outboxEvents)
        .set({ attempts: sql`${outboxEvents.attempts} + 1` })
        .where(inArray(outboxEvents.id, slice.map((r) => r.id)));
      throw err;
    }
    await db.http
      .update(outboxEvents)
      .set({ dispatchedAt: new Date(), attempts: sql`${outboxEvents.attempts} + 1` })
      .where(inArray(outboxEvents.id, slice.map((r) => r.id)));
    sent += slice.length;
  }
  return sent;
}

/** The relay for one request (or queue batch, or automation step): its own rows, right after the response. */
export async function relayOutbox(input: { db: Database; queue: Queue; ids: number[] }): Promise<number> {
  const ids = [...new Set(input.ids)];
  let sent = 0;
  for (let i = 0; i < ids.length; i += INSERT_BATCH) {
    const rows = await input.db.http
      .select()
      .from(outboxEvents)
      .where(and(inArray(outboxEvents.id, ids.slice(i, i + INSERT_BATCH)), isNull(outboxEvents.dispatchedAt)))
      .orderBy(asc(outboxEvents.id));
    sent += await dispatchRows(input.db, input.queue, rows);
  }
  return sent;
}

/**
 * The cron's sweep: rows still undispatched after `minAgeSeconds` (their request's relay died with its isolate, or
 * the enqueue failed after the commit) are sent now, oldest first, `limit` per run. Reads the partial index of
 * pending rows, so it costs nothing when the outbox is empty.
 */
export async function sweepOutbox(input: { db: Database; queue: Queue; minAgeSeconds?: number; limit?: number }): Promise<number> {
  const minAge = input.minAgeSeconds ?? 30;
  const limit = input.limit ?? 5_000;
  let sent = 0;
  while (sent < limit) {
    const rows = await input.db.http
      .select()
      .from(outboxEvents)
      .where(and(isNull(outboxEvents.dispatchedAt), lt(outboxEvents.occurredAt, sql`now() - make_interval(secs => ${minAge})`)))
      .orderBy(asc(outboxEvents.id))
      .limit(Math.min(500, limit - sent));
    if (!rows.length) break;
    sent += await dispatchRows(input.db, input.queue, rows);
    if (rows.length < 500) break;
  }
  return sent;
}
