import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";
import type { Config } from "../config";
import { canonicalEmail } from "../schemas/email";
import { ProblemError } from "../lib/errors";
import type { RateLimiterNamespace } from "../lib/services";

/**
 * Brute-force protection for sign-in and password reset, kept in the RATE_LIMITER Durable Object (one object per
 * bucket name, so the count is exact however many isolates serve the traffic).
 */
export interface Bucket {
  name: string;
  limit: number;
  windowSeconds: number;
}

const stub = (limiter: RateLimiterNamespace, name: string) => limiter.get(limiter.idFromName(name));

/** The caller's address as Cloudflare saw it (clients cannot forge this header through Cloudflare). */
export const clientIp = (c: Context<AppEnv>) => c.req.header("CF-Connecting-IP") ?? "unknown";

/**
 * The account key of the sign-in and reset counters: the same canonical form the sign-in lookup uses, so no
 * spelling of an address can reach the account without also reaching its counter. An address that does not
 * normalise cleanly is refused by the routes (422) and can never sign in.
 */
export const normalEmail = (email: string) => canonicalEmail(email) ?? email.trim().toLowerCase();

/** Throws 429 with Retry-After when any bucket is exhausted. Does not count as an attempt. */
export async function assertNotLocked(limiter: RateLimiterNamespace, buckets: Bucket[], what: string): Promise<void> {
  const results = await Promise.all(buckets.map((b) => stub(limiter, b.name).check(b.limit, b.windowSeconds)));
  const waits = results.filter((r) => !r.allowed).map((r) => r.retryAfter);
  if (waits.length === 0) return;
  const retryAfter = Math.max(...waits);
  const minutes = Math.ceil(retryAfter / 60);
  throw new ProblemError(
    429,
    "Too Many Requests",
    `Too many ${what} attempts; try again in ${retryAfter < 90 ? `${retryAfter} seconds` : `${minutes} minutes`}`,
    { retryAfter },
    { "Retry-After": String(retryAfter) },
  );
}

/**
 * Counts one attempt in every bucket. Runs after the answer is decided: a limiter hiccup is logged rather than
 * turning a finished sign-in or password change into a 500.
 */
export async function recordAttempt(limiter: RateLimiterNamespace, buckets: Bucket[]): Promise<void> {
  await Promise.all(buckets.map((b) => stub(limiter, b.name).charge(b.windowSeconds, 1))).catch(logLimiterError);
}

export async function clearBucket(limiter: RateLimiterNamespace, name: string): Promise<void> {
  await stub(limiter, name).clear().catch(logLimiterError);
}

function logLimiterError(err: unknown) {
  console.error(JSON.stringify({ level: "error", msg: "rate limiter unavailable", error: String(err) }));
}

export function loginBuckets(config: Config, ip: string, email: string | undefined): Bucket[] {
  const windowSeconds = config.LOGIN_LOCKOUT_SECONDS;
  return [
    { name: `login:ip:${ip}`, limit: config.LOGIN_IP_MAX_ATTEMPTS, windowSeconds },
    ...(email ? [{ name: `login:acct:${email}`, limit: config.LOGIN_MAX_ATTEMPTS, windowSeconds }] : []),
  ];
}

/**
 * Around POST /api/auth/login: refuses a locked account or address before the password is even checked, counts
 * each failed sign-in (401) against the account and the address, and ends the account's streak on success.
 * The account bucket is keyed by the e-mail as typed (canonical form), whether or not it exists, so a lockout says
 * nothing about which addresses are registered.
 */
export const loginThrottle = createMiddleware<AppEnv>(async (c, next) => {
  let email: string | undefined;
  try {
    const body = (await c.req.json()) as { email?: unknown };
    if (typeof body?.email === "string" && body.email.trim()) email = normalEmail(body.email).slice(0, 320);
  } catch {
    // Malformed JSON: the route answers 400; only the address bucket applies.
  }
  const buckets = loginBuckets(c.var.config, clientIp(c), email);
  await assertNotLocked(c.var.services.limiter, buckets, "sign-in");
  await next();
  if (c.res.status === 401) await recordAttempt(c.var.services.limiter, buckets);
  else if (c.res.ok && email) await clearBucket(c.var.services.limiter, `login:acct:${email}`);
});
