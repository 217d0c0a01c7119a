import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";
import { loadConfig } from "../config";
import { createServices } from "../lib/services";
import { problem } from "./errors";
import { requestScope } from "../../db/deferred-check";

/** Request id first, so every later log line and problem+json carries it. Honours an incoming X-Request-Id. */
export const requestId = createMiddleware<AppEnv>(async (c, next) => {
  const incoming = c.req.header("X-Request-Id");
  const id = incoming && /^[\w.-]{8,128}$/.test(incoming) ? incoming : crypto.randomUUID();
  c.set("requestId", id);
  c.header("X-Request-Id", id);
  await next();
});

/**
 * Validated config and per-request services (worker/lib/services.ts): the only place a request's dependencies are
 * built. The database handle is created here and closed after the response
 * through waitUntil, so no socket outlives its request.
 */
export const services = createMiddleware<AppEnv>(async (c, next) => {
  const loaded = loadConfig(c.env);
  if (!loaded.ok) {
    if (c.req.path === "/api/health") {
      return c.json({ status: "not_ready", db: "unknown", problems: loaded.problems }, 503);
    }
    return problem(c, 503, "Service Unavailable", `The server is misconfigured: ${loaded.problems.join("; ")}`, {
      errors: loaded.problems.map((p) => ({ path: p.split(" ")[0], message: p })),
    });
  }
  const config = loaded.config;
  c.set("config", config);
  const services = createServices(c.env, config, { statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS });
  const { db } = services;
  c.set("services", services);
  c.set("outbox", []);
  try {
    // A per-request scope the database layer can see (db/deferred-check.ts: the read's session check).
    await requestScope.run({}, next);
  } finally {
    const closing = db.close();
    try {
      c.executionCtx.waitUntil(closing);
    } catch {
      await closing;
    }
  }
});
