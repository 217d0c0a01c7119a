import type { CloudflareOptions } from "@sentry/cloudflare";
import { loadConfig } from "../config";

/**
 * Sentry options from the validated config, or undefined when SENTRY_DSN is unset (nothing is initialised and
 * nothing is sent). The SDK's defaults send no request bodies or cookies; events carry the request id and user id.
 */
export function sentryOptions(env: Env): CloudflareOptions | undefined {
  const loaded = loadConfig(env);
  if (!loaded.ok || !loaded.config.SENTRY_DSN) return undefined;
  const c = loaded.config;
  return {
    dsn: c.SENTRY_DSN,
    environment: c.SENTRY_ENVIRONMENT,
    release: c.SENTRY_RELEASE,
    tracesSampleRate: c.SENTRY_TRACES_SAMPLE_RATE,
  };
}

/** Whether this env turns Sentry on; checked per invocation so an unset DSN costs nothing at all. */
export const sentryEnabled = (env: Env) => typeof env.SENTRY_DSN === "string" && env.SENTRY_DSN.trim() !== "";
