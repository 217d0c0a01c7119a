import { createRoute } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import { users, workspaces } from "../../db/schema";
import { problemResponses, router } from "../lib/router";
import { sessionBody } from "../lib/session-cookie";
import { NotFoundError } from "../lib/errors";
import { loginBodySchema, loginResultSchema, meSchema } from "../schemas/auth";
import { login, toUser } from "../services/auth/login";
import { sessionPolicy } from "../services/auth/sessions/policy";

const loginRoute = createRoute({
  method: "post",
  path: "/login",
  tags: ["Auth"],
  summary: "Sign in with e-mail and password",
  description: "Starts a session: the body carries the access token; the refresh token is set as an HttpOnly cookie for POST /api/auth/refresh.",
  security: [],
  request: { body: { content: { "application/json": { schema: loginBodySchema } }, required: true } },
  responses: {
    200: { description: "Signed in", content: { "application/json": { schema: loginResultSchema } } },
    ...problemResponses(400, 401, 422, 429),
  },
});

const meRoute = createRoute({
  method: "get",
  path: "/me",
  tags: ["Auth"],
  summary: "The signed-in user",
  responses: {
    200: { description: "The user", content: { "application/json": { schema: meSchema } } },
    ...problemResponses(401),
  },
});

export const authRoutes = router()
  .openapi(loginRoute, async (c) => {
    const { email, password } = c.req.valid("json");
    const { config, services } = c.var;
    const { issued, user } = await login({ db: services.db.http, email, password, policy: sessionPolicy(config), userAgent: c.req.header("User-Agent") });
    return c.json(sessionBody(c, issued, user), 200);
  })
  .openapi(meRoute, async (c) => {
    const { userId, workspaceId } = c.var.auth;
    const [row] = await c.var.services.db.http
      .select({ user: users, workspaceName: workspaces.name })
      .from(users)
      .innerJoin(workspaces, eq(workspaces.id, users.workspaceId))
      .where(and(eq(users.id, userId), eq(users.workspaceId, workspaceId)));
    if (!row) throw new NotFoundError("User");
    return c.json({ user: toUser(row.user, row.workspaceName) }, 200);
  });
