import { env } from "cloudflare:workers";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import worker from "../../worker/index";

// Provided by tests/helpers/global-setup.ts (declared there for the Node side).
declare module "vitest" {
  interface ProvidedContext {
    fakeProvidersUrl: string;
    bootstrapDatabaseUrl: string;
    backupSourceDatabaseUrl: string;
    backupTargetDatabaseUrl: string;
  }
}

/**
 * Calls the Worker's exported fetch handler with configuration overrides (production settings, CORS origins, fake
 * providers), then waits for its waitUntil work (mails sent after the response, Sentry flushes).
 */
export async function callWith(
  overrides: Record<string, string | undefined>,
  path: string,
  init: { method?: string; body?: unknown; token?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers; body: any; text: string }> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token) headers.Authorization = `Bearer ${init.token}`;
  let body: BodyInit | undefined;
  if (init.body !== undefined) {
    if (typeof init.body === "string" || init.body instanceof ReadableStream || init.body instanceof Uint8Array) body = init.body as BodyInit;
    else {
      body = JSON.stringify(init.body);
      headers["Content-Type"] ??= "application/json";
    }
  }
  const ctx = createExecutionContext();
  const request = new Request(`http://crm.test${path}`, { method: init.method ?? "GET", headers, body, ...(body instanceof ReadableStream ? { duplex: "half" } : {}) } as RequestInit);
  const res = await worker.fetch(request as Parameters<typeof worker.fetch>[0], { ...env, ...overrides } as Env, ctx);
  const text = await res.text();
  await waitOnExecutionContext(ctx);
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON */
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}

/** Settings a production deployment must have, so tests can flip ENVIRONMENT to production. */
export const PRODUCTION = {
  ENVIRONMENT: "production",
  APP_URL: "https://crm.example.com",
  EMAIL_OUTBOX_IN_PRODUCTION: "true",
  NEON_LOCAL_PROXY: undefined,
} as const;
