import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";
import { authenticateToken } from "../services/auth/authenticate";
import { ForbiddenError, UnauthorizedError } from "./errors";
import { requiredRole, roleAllows } from "./policy";

/** Authenticates every /api request that the policy table does not mark public, then checks the role. */
export const auth = createMiddleware<AppEnv>(async (c, next) => {
  const need = requiredRole(c.req.method, c.req.path);
  if (need === "public") return next();
  const header = c.req.header("Authorization") ?? "";
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw new UnauthorizedError("Sign in first: send Authorization: Bearer <token>");
  const { config, services } = c.var;
  const who = await authenticateToken({
    db: services.db.http,
    token: match[1]!,
    secret: config.JWT_SECRET,
    previousSecret: config.JWT_SECRET_PREVIOUS,
  });
  if (!who) throw new UnauthorizedError("The token is invalid or expired; sign in again");
  c.set("auth", who);
  if (!roleAllows(who.role, need)) throw new ForbiddenError(`This action needs the ${need} role; you are ${who.role}`);
  await next();
});
