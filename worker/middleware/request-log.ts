import { captureException } from "../lib/sentry";
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { matchedRoutes } from "hono/route";
import type { AppEnv } from "../app-env";

/**
 * The pattern of the handler the request was routed to (`/api/accounts/:id`), even when middleware answered first
 * (a 401, a 413), or null when no route matched. Middleware is registered for ALL methods; handlers for one.
 */
function routePattern(c: Context<AppEnv>): string | null {
  const routes = matchedRoutes(c);
  const answered = routes[c.req.routeIndex];
  if (answered && answered.method !== "ALL") return answered.path;
  return routes.find((r) => r.method !== "ALL")?.path ?? null;
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
      route: routePattern(c),
      path: c.req.path,
      status,
      latencyMs: Date.now() - started,
      workspaceId: auth?.workspaceId ?? null,
      userId: auth?.userId ?? null,
      errorCode: c.get("errorCode") ?? null,
      ...(c.get("mcpCalls") ? { mcp: c.get("mcpCalls"), apiKeyId: auth?.apiKeyId ?? null } : {}),
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
