import { withSentry } from "@sentry/cloudflare";
import { app } from "./app";
import { sentryEnabled, sentryOptions } from "./lib/sentry";
import { handleQueue } from "./queues/consumer";
import { runScheduledBackups } from "./scheduled/backups";
import { runScheduledMaintenance } from "./scheduled/maintenance";

export { RateLimiter } from "./durable-objects/rate-limiter";
export type { AppType } from "./app";

type Handlers = Required<Pick<ExportedHandler<Env>, "fetch" | "queue" | "scheduled">>;

const handlers: Handlers = {
  fetch: app.fetch,
  queue: handleQueue,
  // Cron trigger (wrangler.toml [triggers]): the daily backup to R2, then housekeeping (attachment objects whose
  // delete failed, expired idempotency keys). Maintenance runs even if a backup failed, and vice versa.
  async scheduled(controller, env) {
    const results = await Promise.allSettled([runScheduledBackups(env, controller.scheduledTime), runScheduledMaintenance(env)]);
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed.length) throw new AggregateError(failed.map((f) => f.reason), "scheduled run failed");
  },
};

// withSentry instruments the object it is given, so it gets its own copy; without SENTRY_DSN the plain handlers
// run and Sentry is never initialised (no per-request wrapping, nothing sent).
const instrumented = withSentry((env: Env) => sentryOptions(env), { ...handlers });

export default {
  fetch: (request, env, ctx) => (sentryEnabled(env) ? instrumented : handlers).fetch(request, env, ctx),
  queue: (batch, env, ctx) => (sentryEnabled(env) ? instrumented : handlers).queue(batch, env, ctx),
  scheduled: (controller, env, ctx) => (sentryEnabled(env) ? instrumented : handlers).scheduled(controller, env, ctx),
} satisfies ExportedHandler<Env>;
