import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";
import { fanOutEvents } from "../services/webhooks/fanout";

/**
 * After a successful (2xx) mutation, hands the request's domain events to the webhook fan-out. The services push
 * events only after their transaction commits, and a request that ends in an error emits nothing, even if it raised
 * events before failing. The work runs after the response (waitUntil): webhooks never delay or fail the request.
 */
export const webhookFanout = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  const events = c.var.events;
  if (!events?.length || c.res.status < 200 || c.res.status >= 300) return;
  const auth = c.get("auth");
  if (!auth) return;
  const work = fanOutEvents({ db: c.var.services.db, queue: c.var.services.queues.webhooks, workspaceId: auth.workspaceId, events: [...events] }).catch((err) => {
    console.error(JSON.stringify({ level: "error", msg: "webhook fan-out failed", requestId: c.var.requestId, events: events.length, error: String(err) }));
  });
  try {
    c.executionCtx.waitUntil(work);
  } catch {
    await work;
  }
});
