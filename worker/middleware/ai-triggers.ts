import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";
import { significantTargets, summarizeAfterEvents } from "../services/ai/summarize-after-events";

/**
 * After a successful mutation, queues a fresh AI summary for records that changed significantly (a stage change, a
 * new meeting or call), debounced per record. It reads only the request's domain events, so record services stay
 * unaware of the AI layer. Awaited rather than deferred: it is one statement and a queue send, and only on those
 * events, so the job exists by the time the response arrives.
 */
export const aiTriggers = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  if (c.error || c.res.status >= 400) return;
  // bespoke.config.ts features.aiAutoSummaries: false: summaries are then written only when someone asks for one.
  if (c.var.config?.bespoke?.features.aiAutoSummaries === false) return;
  // A bulk import can move thousands of deals: re-summarising each one would spend the AI budget on noise, and the
  // next interactive change to a deal refreshes its summary anyway.
  if (c.req.path.startsWith("/api/import/")) return;
  const events = c.var.events;
  const auth = c.var.auth;
  if (!events?.length || !auth || !significantTargets(events).length) return;
  await summarizeAfterEvents({ db: c.var.services.db, queues: c.var.services.queues, config: c.var.config, workspaceId: auth.workspaceId, events });
});
