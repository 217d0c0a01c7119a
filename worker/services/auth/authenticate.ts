import { and, eq, isNull } from "drizzle-orm";
import type { Executor } from "../../../db/client";
import { users } from "../../../db/schema";
import type { AuthContext } from "../../app-env";
import { verifyToken } from "../../lib/jwt";

/**
 * Resolves a bearer token to the acting user. The user row is read on every request so a deactivation, a role
 * change or a password reset (token version bump) takes effect at once, not when the token expires.
 */
export async function authenticateToken(input: {
  db: Executor;
  token: string;
  secret: string;
  previousSecret?: string;
}): Promise<AuthContext | null> {
  const claims = await verifyToken(input.token, input.secret, input.previousSecret);
  if (!claims) return null;
  const [user] = await input.db
    .select({ id: users.id, workspaceId: users.workspaceId, role: users.role, email: users.email, name: users.name, active: users.active, tokenVersion: users.tokenVersion })
    .from(users)
    .where(and(eq(users.id, claims.sub), eq(users.workspaceId, claims.ws), isNull(users.deletedAt)))
    .limit(1);
  if (!user || !user.active || user.tokenVersion !== claims.tv) return null;
  return { userId: user.id, workspaceId: user.workspaceId, role: user.role, email: user.email, name: user.name, via: "token" };
}
