import { createRoute } from "@hono/zod-openapi";
import { captureException } from "../lib/sentry";
import { problemResponses, router } from "../lib/router";
import { sessionBody } from "../lib/session-cookie";
import { ValidationError } from "../lib/errors";
import { assertNotLocked, type Bucket, clearBucket, clientIp, normalEmail, recordAttempt } from "../middleware/throttle";
import { loginResultSchema } from "../schemas/auth";
import { forgotPasswordBodySchema, forgotPasswordResultSchema, resetPasswordBodySchema } from "../schemas/password-reset";
import { requestPasswordReset } from "../services/auth/request-password-reset";
import { sessionPolicy } from "../services/auth/sessions/policy";
import { resetPassword } from "../services/auth/reset-password";

const forgotRoute = createRoute({
  method: "post",
  path: "/forgot-password",
  tags: ["Auth"],
  summary: "E-mail a password-reset link",
  description:
    "Always 202 with the same body, whether or not the address has an account (no account enumeration). The link is single-use and expires after PASSWORD_RESET_TTL_MINUTES.",
  security: [],
  request: { body: { content: { "application/json": { schema: forgotPasswordBodySchema } }, required: true } },
  responses: {
    202: { description: "Accepted", content: { "application/json": { schema: forgotPasswordResultSchema } } },
    ...problemResponses(400, 413, 422, 429),
  },
});

const resetRoute = createRoute({
  method: "post",
  path: "/reset-password",
  tags: ["Auth"],
  summary: "Set a new password from a reset link",
  description: "Spends the token, ends every other session of the user and signs this one in.",
  security: [],
  request: { body: { content: { "application/json": { schema: resetPasswordBodySchema } }, required: true } },
  responses: {
    200: { description: "Password changed; a fresh session", content: { "application/json": { schema: loginResultSchema } } },
    ...problemResponses(400, 413, 422, 429),
  },
});

const HOUR = 3600;

export const passwordResetRoutes = router()
  .openapi(forgotRoute, async (c) => {
    const { email } = c.req.valid("json");
    const { config, services, requestId } = c.var;
    const address = normalEmail(email);
    const buckets: Bucket[] = [
      { name: `reset:ip:${clientIp(c)}`, limit: config.LOGIN_IP_MAX_ATTEMPTS, windowSeconds: config.LOGIN_LOCKOUT_SECONDS },
      { name: `reset:acct:${address}`, limit: config.PASSWORD_RESET_MAX_REQUESTS, windowSeconds: HOUR },
    ];
    await assertNotLocked(c.var.services.limiter, buckets, "password-reset");
    await recordAttempt(c.var.services.limiter, buckets);
    // Everything that depends on whether the account exists (lookup, token, the mail) happens after the response,
    // so neither the body nor the timing tells an unknown address from a known one.
    const work = requestPasswordReset({
      db: services.db.http,
      email: address,
      // Production requires APP_URL; locally the page the user is on is the SPA.
      appUrl: config.APP_URL ?? new URL(c.req.url).origin,
      ttlMinutes: config.PASSWORD_RESET_TTL_MINUTES,
      brandName: config.BRAND_NAME,
      mailer: services.mailer,
      requestId,
    }).catch((err: unknown) => {
      console.error(JSON.stringify({ level: "error", msg: "password reset mail failed", requestId, error: String(err) }));
      captureException(err, { tags: { requestId } });
    });
    c.executionCtx.waitUntil(work);
    return c.json(
      {
        status: "accepted" as const,
        detail: `If an account exists for this address, a link to reset its password is on its way. It works once, for ${config.PASSWORD_RESET_TTL_MINUTES} minutes.`,
      },
      202,
    );
  })
  .openapi(resetRoute, async (c) => {
    const { token, password } = c.req.valid("json");
    const { config, services, requestId } = c.var;
    const buckets: Bucket[] = [{ name: `reset:ip:${clientIp(c)}`, limit: config.LOGIN_IP_MAX_ATTEMPTS, windowSeconds: config.LOGIN_LOCKOUT_SECONDS }];
    await assertNotLocked(c.var.services.limiter, buckets, "password-reset");
    let result: Awaited<ReturnType<typeof resetPassword>>;
    try {
      result = await resetPassword({ db: services.db, token, password, policy: sessionPolicy(config), userAgent: c.req.header("User-Agent"), requestId });
    } catch (err) {
      // Guessing tokens counts against the address; a password the policy refuses does not.
      if (err instanceof ValidationError && err.extra.errors?.[0]?.path === "token") await recordAttempt(c.var.services.limiter, buckets);
      throw err;
    }
    // A user locked out by failed sign-ins who proves control of the mailbox may sign in again at once.
    await clearBucket(c.var.services.limiter, `login:acct:${normalEmail(result.email)}`);
    return c.json(sessionBody(c, result.issued, result.user), 200);
  });
