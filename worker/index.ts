import { loadSentry, sentryEnabled, sentryOptions } from "./lib/sentry";

export { RateLimiter } from "./durable-objects/rate-limiter";
export { AutomationRunWorkflow } from "./automations/workflow";
export type { AppType } from "./app";

type Handlers = Required<Pick<ExportedHandler<Env>, "fetch" | "queue" | "scheduled" | "email">>;

/*
 * Start-up: a new isolate runs only this file's global scope. The app (routes, their zod contracts, the database
 * driver), the queue consumer and the cron jobs are each built on their first use, once per isolate, and kept: an
 * isolate that only serves requests never builds the queue consumer or the cron jobs, and vice versa. `wrangler check
 * startup` / scripts/bench/startup.ts measure what is left.
 */
const once = <T>(load: () => Promise<T>) => {
  let loaded: Promise<T> | undefined;
  return () =>
    (loaded ??= withZodOpenApi(load).catch((error: unknown) => {
      loaded = undefined;
      throw error;
    }));
};
/**
 * Every entry loads @hono/zod-openapi before its own modules: it adds `.openapi()` to zod's prototype, and zod copies
 * prototype methods onto each schema when it is created, so a schema built earlier (by the queue consumer, loaded
 * first in a fresh isolate) would lack it and break the app's OpenAPI registration. Loaded here, not at the top of
 * this file, so that a new isolate's global scope does not pay for it.
 */
const withZodOpenApi = <T>(load: () => Promise<T>): Promise<T> => import("@hono/zod-openapi").then(load);
const loadApp = once(() => import("./app").then((m) => m.app));
const loadConsumer = once(() => import("./queues/consumer"));
const loadInbound = once(() => import("./inbound/email"));
const loadScheduled = once(() => Promise.all([import("./scheduled/backups"), import("./scheduled/maintenance"), import("./scheduled/insights")]));
const loadEventCron = once(() => import("./scheduled/events"));
const loadAutomationCron = once(() => import("./scheduled/automations"));
/** The automations' time-based triggers run on every tenth minute's tick of the per-minute cron. */
const AUTOMATION_TICK_MINUTES = 10;

const handlers: Handlers = {
  fetch: async (request, env, ctx) => (await loadApp()).fetch(request, env, ctx),
  queue: async (batch, env, ctx) => (await loadConsumer()).handleQueue(batch, env),
  // Cloudflare Email Routing: mail sent to an inbound capture address (worker/inbound/email.ts).
  email: async (message, env, ctx) => (await loadInbound()).handleInboundEmail(message, env, ctx),
  // Cron triggers (wrangler.toml [triggers]): daily, the backup to R2, then housekeeping (attachment objects whose
  // delete failed, expired idempotency keys); every minute the event jobs, and every tenth minute the automations'
  // time-based triggers. Each job runs even if another failed.
  async scheduled(controller, env) {
    // Every minute: the outbox sweep (no event lost) and immediate notification e-mails; 07:00: the daily digest.
    if (controller.cron === "* * * * *" || controller.cron === "0 7 * * *") {
      const jobs: Promise<unknown>[] = [(await loadEventCron()).runEventCron(env, controller.cron)];
      if (controller.cron === "* * * * *" && new Date(controller.scheduledTime).getUTCMinutes() % AUTOMATION_TICK_MINUTES === 0) {
        jobs.push((await loadAutomationCron()).runScheduledAutomations(env, controller.scheduledTime));
      }
      const settled = await Promise.allSettled(jobs);
      const failed = settled.filter((r): r is PromiseRejectedResult => r.status === "rejected");
      if (failed.length) throw new AggregateError(failed.map((f) => f.reason), "scheduled run failed");
      return;
    }
    const [{ runScheduledBackups }, { runScheduledMaintenance }, { runScheduledInsights }] = await loadScheduled();
    // Insights (win-score refit, scoring, forecast snapshots) run beside the other two; none waits for another.
    const results = await Promise.allSettled([runScheduledBackups(env, controller.scheduledTime), runScheduledMaintenance(env), runScheduledInsights(env)]);
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed.length) throw new AggregateError(failed.map((f) => f.reason), "scheduled run failed");
  },
};

// withSentry instruments the object it is given, so it gets its own copy; without SENTRY_DSN the plain handlers
// run and Sentry is never loaded nor initialised (no per-request wrapping, nothing sent, no start-up cost).
const withSentryHandlers = once(async (): Promise<Handlers> => {
  const [{ withSentry }, { loadConfig }] = await Promise.all([loadSentry(), withZodOpenApi(() => import("./config"))]);
  return withSentry((env: Env) => sentryOptions(env, loadConfig), { ...handlers });
});

export default {
  fetch: async (request, env, ctx) => (sentryEnabled(env) ? await withSentryHandlers() : handlers).fetch(request, env, ctx),
  queue: async (batch, env, ctx) => (sentryEnabled(env) ? await withSentryHandlers() : handlers).queue(batch, env, ctx),
  scheduled: async (controller, env, ctx) => (sentryEnabled(env) ? await withSentryHandlers() : handlers).scheduled(controller, env, ctx),
  email: async (message, env, ctx) => (sentryEnabled(env) ? await withSentryHandlers() : handlers).email(message, env, ctx),
} satisfies ExportedHandler<Env>;
