import { and, eq, isNull } from "drizzle-orm";
import type { Executor } from "../../../db/client";
import { sessions, users } from "../../../db/schema";
import type { AuthContext } from "../../app-env";
import { verifyToken } from "../../lib/jwt";

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
