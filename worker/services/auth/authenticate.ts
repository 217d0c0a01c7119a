import { and, eq, isNull, sql, type SQL } from "drizzle-orm";
import { SESSION_CHECK_FAILED } from "../../../db/deferred-check";
import type { Executor } from "../../../db/client";
import { sessions, users } from "../../../db/schema";
import type { AuthContext } from "../../app-env";
import { verifyToken, type TokenClaims } from "../../lib/jwt";

/**
 * Resolves a bearer token to the acting user. The user row and the token's session are read on every request (one
 * primary-key join) so a deactivation, a role change, a password reset (token version bump) or a sign-out takes
 * effect at once, not when the token expires.
 */
export async function authenticateToken(input: {
  db: Executor;
  token: string;
  secret: string;
  previousSecret?: string;
  now?: Date;
}): Promise<AuthContext | null> {
  const claims = await verifyToken(input.token, input.secret, input.previousSecret);
  if (!claims) return null;
  const [row] = await input.db
    .select({
      id: users.id,
      workspaceId: users.workspaceId,
      role: users.role,
      email: users.email,
      name: users.name,
      active: users.active,
      tokenVersion: users.tokenVersion,
      revokedAt: sessions.revokedAt,
      idleExpiresAt: sessions.idleExpiresAt,
      absoluteExpiresAt: sessions.absoluteExpiresAt,
    })
    .from(users)
    .innerJoin(sessions, and(eq(sessions.id, claims.sid), eq(sessions.userId, users.id)))
    .where(and(eq(users.id, claims.sub), eq(users.workspaceId, claims.ws), isNull(users.deletedAt)))
    .limit(1);
  if (!row || !row.active || row.tokenVersion !== claims.tv) return null;
  const now = input.now ?? new Date();
  if (row.revokedAt || row.idleExpiresAt <= now || row.absoluteExpiresAt <= now) return null;
  return { userId: row.id, workspaceId: row.workspaceId, role: row.role, email: row.email, name: row.name, via: "token", sessionId: claims.sid };
}

/**
 * The same conditions as `authenticateToken`'s lookup, as one statement that RAISES when they fail (a cast of
 * SESSION_CHECK_FAILED to int), for reads whose check rides in their own first round trip (db/deferred-check.ts).
 * `roles`: the roles that may make this request (the user's role may have changed since the token was signed).
 */
export function sessionCheckStatement(claims: TokenClaims, roles: string[]): SQL {
  return sql`select (case when exists (
      select 1 from users u join sessions s on s.id = ${claims.sid} and s.user_id = u.id
      where u.id = ${claims.sub} and u.workspace_id = ${claims.ws} and u.deleted_at is null and u.active
        and u.token_version = ${claims.tv} and u.role::text in (${sql.join(roles.map((r) => sql`${r}`), sql`, `)})
        and s.revoked_at is null and s.idle_expires_at > now() and s.absolute_expires_at > now()
    ) then '1' else ${SESSION_CHECK_FAILED} end)::int as session_ok`;
}
