import { captureException } from "@sentry/cloudflare";
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { matchedRoutes } from "hono/route";
import type { AppEnv } from "../app-env";

/** The pattern of the handler that answered (`/api/accounts/:id`), or null when no route matched. */
function answeringRoute(c: Context<AppEnv>): string | null {
  const route = matchedRoutes(c)[c.req.routeIndex];
  // Middleware is registered for ALL methods on a wildcard; when it is the last one dispatched, no handler ran.
  if (!route || (route.method === "ALL" && route.path.endsWith("*"))) return null;
  return route.path;
}

/**
 * One JSON line per API request, written when the response is known. Workers Logs (observability in wrangler.toml)
 * indexes the fields, so "every 5xx of workspace X today" is a query, not a grep. Latency is wall time as the
 * Workers clock sees it (it advances on I/O, which is where a request spends its time).
 * A 5xx caused by an exception also goes to Sentry when SENTRY_DSN is set (a no-op otherwise): the app's onError
 * turns exceptions into problem+json, so Sentry's own handler wrapper never sees them.
 */
export const requestLog = createMiddleware<AppEnv>(async (c, next) => {
  const started = Date.now();
  try {
    await next();
  } finally {
    const status = c.res.status;
    const auth = c.get("auth");
    const line = {
      level: status >= 500 ? "error" : status >= 400 ? "warn" : "info",
      msg: "request",
      requestId: c.get("requestId"),
      method: c.req.method,
      route: answeringRoute(c),
      path: c.req.path,
      status,
      latencyMs: Date.now() - started,
      workspaceId: auth?.workspaceId ?? null,
      userId: auth?.userId ?? null,
      errorCode: c.get("errorCode") ?? null,
    };
    console.log(JSON.stringify(line));
    if (status >= 500 && c.error) {
      captureException(c.error, {
        tags: { requestId: line.requestId, route: line.route ?? "(none)" },
        user: auth ? { id: auth.userId } : undefined,
        extra: { workspaceId: line.workspaceId },
      });
    }
  }
});
