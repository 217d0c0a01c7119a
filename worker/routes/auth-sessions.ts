import { createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../app-env";
import { problemResponses, router } from "../lib/router";
import { clearRefreshCookie, readRefreshCookie, REFRESH_PATH, sessionBody } from "../lib/session-cookie";
import { ForbiddenError, UnauthorizedError } from "../lib/errors";
import { loginResultSchema, signOutResultSchema } from "../schemas/auth";
import { sessionPolicy } from "../services/auth/sessions/policy";
import { refreshSession, SESSION_ENDED } from "../services/auth/sessions/refresh";
import { signOut } from "../services/auth/sessions/sign-out";
import { actorOf } from "./records";

const json = <T,>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });

/**
 * The cookie is SameSite=Strict already; the custom header is the second lock: a cross-site form cannot send one,
 * and a cross-origin script needs a CORS preflight that only CORS_ORIGINS pass. A foreign Origin is refused outright.
 */
function assertSameSiteCaller(c: Context<AppEnv>) {
  if (!c.req.header("X-Requested-With")) throw new ForbiddenError("Refresh from the app: the X-Requested-With header is required");
  const origin = c.req.header("Origin");
  if (origin && origin !== new URL(c.req.url).origin && !c.var.config.CORS_ORIGINS.includes(origin)) {
    throw new ForbiddenError(`Requests from ${origin} may not refresh a session`);
  }
}

const signOutRoute = (path: string, summary: string, description: string) =>
  createRoute({ method: "post", path, tags: ["Auth"], summary, description, responses: { 200: json(signOutResultSchema, "Signed out"), ...problemResponses(401, 403) } });

const signOutHandler = (everywhere: boolean) => async (c: Context<AppEnv>) => {
  const { auth, services } = c.var;
  const result = await signOut({ db: services.db, actor: { ...actorOf(c), userId: auth.userId }, sessionId: auth.sessionId!, everywhere });
  clearRefreshCookie(c);
  return c.json(result, 200);
};

/** Mounted under /api/auth. Refresh is public (the cookie is the credential); sign-out needs the access token. */
export const authSessionRoutes = router()
  .openapi(
    createRoute({
      method: "post",
      path: REFRESH_PATH.replace("/api/auth", ""),
      tags: ["Auth"],
      summary: "Renew the access token",
      description:
        "Reads the HttpOnly refresh cookie set at sign-in, answers a new access token and rotates the cookie (each refresh token works once). " +
        "A refresh token used again after its rotation ends the whole session. Needs the header `X-Requested-With`.",
      security: [],
      responses: { 200: json(loginResultSchema, "A new access token; the cookie is rotated"), ...problemResponses(401, 403) },
    }),
    async (c) => {
      assertSameSiteCaller(c);
      const refreshToken = readRefreshCookie(c);
      try {
        if (!refreshToken) throw new UnauthorizedError(SESSION_ENDED);
        const { config, services, requestId } = c.var;
        const { issued, user } = await refreshSession({ db: services.db, refreshToken, policy: sessionPolicy(config), requestId });
        return c.json(sessionBody(c, issued, user), 200);
      } catch (err) {
        // A dead cookie is useless to keep: the browser stops sending it.
        if (err instanceof UnauthorizedError) clearRefreshCookie(c);
        throw err;
      }
    },
  )
  .openapi(signOutRoute("/logout", "Sign out on this device", "Revokes this session: its access token stops working at once and its refresh cookie is cleared."), signOutHandler(false))
  .openapi(signOutRoute("/logout-all", "Sign out everywhere", "Revokes every session of the signed-in user on every device, this one included."), signOutHandler(true));
