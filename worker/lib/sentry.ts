import type { CloudflareOptions } from "@sentry/cloudflare";
import type { loadConfig } from "../config";

type SentrySdk = typeof import("./sentry-sdk");
let sdk: SentrySdk | undefined;
let loading: Promise<SentrySdk> | undefined;

/**
 * The SDK, loaded the first time an invocation has SENTRY_DSN set: its module scope costs a new isolate ~25 ms of CPU,
 * which a deployment without Sentry should not pay.
 */
export function loadSentry(): Promise<SentrySdk> {
  return (loading ??= import("./sentry-sdk").then((m) => (sdk = m)));
}

/** Sentry's `captureException` once the SDK is loaded; before (Sentry off) there is nothing to report to. */
export function captureException(...args: Parameters<SentrySdk["captureException"]>): void {
  sdk?.captureException(...args);
}

/**
 * Sentry options from the validated config, or undefined when SENTRY_DSN is unset (nothing is initialised and
 * nothing is sent). The SDK's defaults send no request bodies or cookies; events carry the request id and user id.
 */
export function sentryOptions(env: Env, load: typeof loadConfig): CloudflareOptions | undefined {
  const loaded = load(env);
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
