import { createRoute } from "@hono/zod-openapi";
import { problemResponses, router } from "../lib/router";
import { sessionBody } from "../lib/session-cookie";
import { ForbiddenError } from "../middleware/errors";
import { changePasswordBodySchema, changePasswordResultSchema } from "../schemas/users";
import { sessionPolicy } from "../services/auth/sessions/policy";
import { changePassword } from "../services/users/change-password";
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
    responses: { 200: { description: "Changed", content: { "application/json": { schema: changePasswordResultSchema } } }, ...problemResponses(401, 403, 409, 422) },
  }),
  async (c) => {
    const { auth, config, services } = c.var;
    // An API key acts for an integration, not a person at a keyboard: it must not take over the password.
    if (auth.via !== "token") throw new ForbiddenError("Change a password from a signed-in session, not with an API key");
    const { currentPassword, newPassword } = c.req.valid("json");
    const { issued, user } = await changePassword({
      db: services.db,
      actor: { ...actorOf(c), userId: auth.userId },
      currentPassword,
      newPassword,
      sessionId: auth.sessionId!,
      policy: sessionPolicy(config),
    });
    return c.json(sessionBody(c, issued, user), 200);
  },
);
