import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";
import type { LimitResult } from "../durable-objects/rate-limiter";
import { ProblemError } from "../lib/errors";

const WINDOW_SECONDS = 60;

/** The IETF draft's header names (draft-ietf-httpapi-ratelimit-headers): limit, what is left, seconds until more. */
function rateLimitHeaders(limit: number, r: LimitResult): Record<string, string> {
  return {
    "RateLimit-Limit": String(limit),
    "RateLimit-Remaining": String(Math.max(0, r.remaining)),
    "RateLimit-Reset": String(r.reset ?? (r.allowed ? WINDOW_SECONDS : r.retryAfter)),
    "RateLimit-Policy": `${limit};w=${WINDOW_SECONDS}`,
  };
}

/**
 * Per-key request budget for integrators (REST and /mcp alike): API_KEY_REQUESTS_PER_MINUTE per key, a sliding
 * window in the RATE_LIMITER Durable Object (one object per key, so the count holds across isolates). Every answer
 * to a key carries RateLimit-* headers; past the budget it is 429 problem+json with Retry-After, before anything
 * runs. Session tokens (people in the SPA) are not counted. After auth, which tells a key from a person.
 */
export const apiKeyLimit = createMiddleware<AppEnv>(async (c, next) => {
  const auth = c.get("auth");
  if (auth?.via !== "api_key" || !auth.apiKeyId) return next();
  const limit = c.var.config.API_KEY_REQUESTS_PER_MINUTE;
  const limiter = c.var.services.limiter;
  let result: LimitResult | undefined;
  try {
    result = await limiter.get(limiter.idFromName(`apikey:${auth.workspaceId}:${auth.apiKeyId}`)).hit(limit, WINDOW_SECONDS, 1);
  } catch (err) {
    // A limiter outage must not take the API down with it: the request goes through, unmetered, and is logged.
    console.error(JSON.stringify({ level: "error", msg: "rate limiter unavailable", requestId: c.var.requestId, error: String(err) }));
    return next();
  }
  const headers = rateLimitHeaders(limit, result);
  if (!result.allowed) {
    throw new ProblemError(
      429,
      "Too Many Requests",
      `This API key made ${limit} requests in the last minute, the most allowed (API_KEY_REQUESTS_PER_MINUTE); try again in ${result.retryAfter} seconds`,
      { limit: "api_key_requests_per_minute", retryAfter: result.retryAfter },
      { ...headers, "Retry-After": String(result.retryAfter) },
    );
  }
  await next();
  try {
    for (const [k, v] of Object.entries(headers)) c.res.headers.set(k, v);
  } catch {
    c.res = new Response(c.res.body, c.res);
    for (const [k, v] of Object.entries(headers)) c.res.headers.set(k, v);
  }
});
