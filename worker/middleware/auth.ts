import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv, AuthContext } from "../app-env";
import { authenticateApiKey, isApiKey } from "../services/auth/api-key";
import { authenticateToken } from "../services/auth/authenticate";
import { exportLinkSecret } from "../services/export/link";
import { ForbiddenError, UnauthorizedError } from "../lib/errors";
import { requiredRole, roleAllows } from "./policy";

/**
 * Authenticates every /api request that the policy table does not mark public — a session token (JWT) or an
 * integrator's API key (`bk_live_…`), both as `Authorization: Bearer` — then checks the role.
 */
export const auth = createMiddleware<AppEnv>(async (c, next) => {
  const need = requiredRole(c.req.method, c.req.path);
  if (need === "public") return next();
  const match = bearerOf(c);
  const { config, services } = c.var;
  // A CSV export is downloaded by navigating to a link (no header possible): it carries its own short token.
  const exportDownload = !match && c.req.method === "GET" ? /^\/api\/export\/([a-z]+)\.csv$/.exec(c.req.path) : null;
  const link = exportDownload ? c.req.query("download") : undefined;
  if (exportDownload && link) {
    const who = await authenticateToken({ db: services.db.http, token: link, secret: exportLinkSecret(config.JWT_SECRET, exportDownload[1]!) });
    if (!who) throw new UnauthorizedError("The download link is invalid or has expired; export again");
    c.set("auth", who);
    if (!roleAllows(who.role, need)) throw new ForbiddenError(`This action needs the ${need} role; you are ${who.role}`);
    return next();
  }
  if (!match) throw new UnauthorizedError("Sign in first: send Authorization: Bearer <token>");
  const who = (await bearerCaller(c))!;
  c.set("auth", who);
  // A key must not manage sign-in (its creator's password, sessions) or mint further keys: those need a person.
  if (who.via === "api_key" && /^\/api\/(auth|api-keys)(\/|$)/.test(c.req.path)) {
    throw new ForbiddenError("API keys cannot manage sign-in or API keys; sign in as a person");
  }
  if (!roleAllows(who.role, need)) throw new ForbiddenError(`This action needs the ${need} role; you are ${who.role}`);
  await next();
});

const bearerOf = (c: Context<AppEnv>) => /^Bearer\s+(\S+)$/i.exec(c.req.header("Authorization") ?? "");

/**
 * The caller an `Authorization: Bearer` header names — a session token or an API key — or null when there is no such
 * header; a credential that does not authenticate is a 401. The middleware above, and a public route that answers
 * more to a caller who says who it is (GET /api/openapi.json: the workspace's document).
 */
export async function bearerCaller(c: Context<AppEnv>): Promise<AuthContext | null> {
  const match = bearerOf(c);
  if (!match) return null;
  const { config, services } = c.var;
  const token = match[1]!;
  const who = isApiKey(token)
    ? await authenticateApiKey({ db: services.db.http, token })
    : await authenticateToken({ db: services.db.http, token, secret: config.JWT_SECRET, previousSecret: config.JWT_SECRET_PREVIOUS });
  if (!who) {
    throw new UnauthorizedError(isApiKey(token) ? "The API key is invalid or has been revoked" : "The token is invalid or expired; sign in again");
  }
  return who;
}
