import { createRoute } from "@hono/zod-openapi";
import { problemResponses, router } from "../lib/router";
import { sessionBody } from "../lib/session-cookie";
import { ForbiddenError } from "../lib/errors";
import { assertNotLocked, clearBucket, clientIp, loginBuckets, normalEmail, recordAttempt } from "../middleware/throttle";
import { changePasswordBodySchema, changePasswordResultSchema } from "../schemas/users";
import { sessionPolicy } from "../services/auth/sessions/policy";
import { changePassword, WrongCurrentPasswordError } from "../services/users/change-password";
import { actorOf } from "./records";

/** Mounted under /api/auth; any signed-in user (worker/middleware/policy.ts). */
export const changePasswordRoutes = router().openapi(
  createRoute({
    method: "post",
    path: "/change-password",
    tags: ["Auth"],
    summary: "Change your own password",
    description: "Ends every other session; the response carries a fresh token for this one.",
    request: { body: { content: { "application/json": { schema: changePasswordBodySchema } }, required: true } },
    responses: { 200: { description: "Changed", content: { "application/json": { schema: changePasswordResultSchema } } }, ...problemResponses(401, 403, 409, 422, 429) },
  }),
  async (c) => {
    const { auth, config, services } = c.var;
    // An API key acts for an integration, not a person at a keyboard: it must not take over the password.
    if (auth.via !== "token") throw new ForbiddenError("Change a password from a signed-in session, not with an API key");
    const { currentPassword, newPassword } = c.req.valid("json");
    // The sign-in counters apply: a stolen session must not become a way to guess the password it lacks, and
    // guesses here lock the sign-in form too (same account bucket).
    const account = normalEmail(auth.email ?? "");
    const buckets = loginBuckets(config, clientIp(c), account);
    await assertNotLocked(c.var.services.limiter, buckets, "password");
    let result: Awaited<ReturnType<typeof changePassword>>;
    try {
      result = await changePassword({
        db: services.db,
        actor: { ...actorOf(c), userId: auth.userId },
        currentPassword,
        newPassword,
        sessionId: auth.sessionId!,
        policy: sessionPolicy(config),
      });
    } catch (err) {
      if (err instanceof WrongCurrentPasswordError) await recordAttempt(c.var.services.limiter, buckets);
      throw err;
    }
    await clearBucket(c.var.services.limiter, `login:acct:${account}`);
    return c.json(sessionBody(c, result.issued, result.user), 200);
  },
);
