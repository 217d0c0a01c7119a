import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";
import { runPendingCheck } from "../../db/client";
import { requestScope } from "../../db/deferred-check";
import { roleEnum } from "../../db/schema";
import { authenticateApiKey, isApiKey } from "../services/auth/api-key";
import { authenticateToken, sessionCheckStatement } from "../services/auth/authenticate";
import { exportLinkSecret } from "../services/export/link";
import { ForbiddenError, UnauthorizedError } from "../lib/errors";
import { verifyToken } from "../lib/jwt";
import { requiredRole, roleAllows } from "./policy";

type Role = (typeof roleEnum.enumValues)[number];
const SESSION_ENDED = "The token is invalid or expired; sign in again";

/**
 * Authenticates every /api request that the policy table does not mark public — a session token (JWT) or an
 * integrator's API key (`bk_live_…`), both as `Authorization: Bearer` — then checks the role.
 */
export const auth = createMiddleware<AppEnv>(async (c, next) => {
  const need = requiredRole(c.req.method, c.req.path);
  if (need === "public") return next();
  const header = c.req.header("Authorization") ?? "";
  const match = /^Bearer\s+(\S+)$/i.exec(header);
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
  const token = match[1]!;
  if ((c.req.method === "GET" || c.req.method === "HEAD") && !isApiKey(token) && requestScope.getStore()) {
    const claims = await verifyToken(token, config.JWT_SECRET, config.JWT_SECRET_PREVIOUS);
    if (!claims) throw new UnauthorizedError(SESSION_ENDED);
    // A token whose role falls short goes the up-front way: the user may have been promoted since it was signed.
    if (roleAllows(claims.role, need)) return deferredRead(c, next, token, claims, need);
  }
  const who = isApiKey(token)
    ? await authenticateApiKey({ db: services.db.http, token })
    : await authenticateToken({ db: services.db.http, token, secret: config.JWT_SECRET, previousSecret: config.JWT_SECRET_PREVIOUS });
  if (!who) {
    throw new UnauthorizedError(isApiKey(token) ? "The API key is invalid or has been revoked" : SESSION_ENDED);
  }
  c.set("auth", who);
  // A key must not manage sign-in (its creator's password, sessions) or mint further keys: those need a person.
  if (who.via === "api_key" && /^\/api\/(auth|api-keys)(\/|$)/.test(c.req.path)) {
    throw new ForbiddenError("API keys cannot manage sign-in or API keys; sign in as a person");
  }
  if (!roleAllows(who.role, need)) throw new ForbiddenError(`This action needs the ${need} role; you are ${who.role}`);
  await next();
});

/**
 * A read with a session token whose signed role suffices: the signature and claims were checked (CPU only), and the
 * session lookup — user active, token version, a role that still suffices, session neither revoked nor expired —
 * rides in the handler's first database round trip (db/deferred-check.ts) instead of costing one of its own.
 * Nothing the handler read leaves unless that check passed: a failed check fails its whole batch, and whatever the
 * handler made of that, the answer is then 401 (or 403 when the session is fine but the role no longer suffices).
 * Writes keep the check up front: a write must not start for a signed-out user.
 */
async function deferredRead(c: Context<AppEnv>, next: () => Promise<void>, token: string, claims: NonNullable<Awaited<ReturnType<typeof verifyToken>>>, need: Role) {
  const { config, services } = c.var;
  const scope = requestScope.getStore()!;
  const check = { statement: sessionCheckStatement(claims, roleEnum.enumValues.filter((r) => roleAllows(r, need))), state: "pending" as const };
  scope.check = check;
  c.set("auth", { userId: claims.sub, workspaceId: claims.ws, role: claims.role, via: "token", sessionId: claims.sid });
  await next();
  if (scope.check.state === "inflight") scope.check.state = "pending"; // left dangling by the handler: check afresh
  if (scope.check.state === "pending") await runPendingCheck(services.db.http).catch(() => {});
  if (scope.check.state === "passed") return;
  // The handler's answer (its data, or the error the failed batch caused) is replaced; say why, the up-front way.
  scope.check = undefined;
  c.error = undefined;
  c.set("errorCode", undefined);
  const who = await authenticateToken({ db: services.db.http, token, secret: config.JWT_SECRET, previousSecret: config.JWT_SECRET_PREVIOUS });
  if (who && !roleAllows(who.role, need)) throw new ForbiddenError(`This action needs the ${need} role; you are ${who.role}`);
  throw new UnauthorizedError(SESSION_ENDED);
}
