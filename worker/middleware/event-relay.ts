import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";
import { relayOutbox } from "../events/outbox";

/**
 * The relay for a request: after the response (waitUntil), the outbox rows its mutations committed go to the EVENTS
 * queue and are marked dispatched. Whatever the response status: a row exists only if its change committed. If the
 * isolate dies or the send fails, the rows stay undispatched and the cron's sweep sends them (worker/events/outbox.ts).
 */
export const eventRelay = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  const ids = c.var.outbox;
  if (!ids?.length) return;
  const { db, queues } = c.var.services;
  const work = relayOutbox({ db, queue: queues.events, ids: [...ids] }).catch((err) => {
    console.error(JSON.stringify({ level: "warn", msg: "event relay failed; the cron sweep will send them", requestId: c.var.requestId, events: ids.length, error: String(err) }));
  });
  try {
    c.executionCtx.waitUntil(work);
  } catch {
    await work;
  }
});
