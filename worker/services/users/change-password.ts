import { and, eq } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { users, workspaces } from "../../../db/schema";
import { hashPassword, verifyPassword } from "../../lib/password";
import { assertPasswordPolicy } from "../../lib/password-policy";
import { ConflictError, NotFoundError, ValidationError } from "../../lib/errors";
import { diff, recordAudit, type Actor } from "../audit/record";
import { toUser } from "../auth/login";
import { signAccessToken } from "../auth/sessions/open";
import type { IssuedTokens, SessionPolicy } from "../auth/sessions/policy";
import { revokeUserSessions } from "../auth/sessions/revoke";
import { auditView, loadUser, PASSWORD_CHANGED } from "./load";

/** A wrong `currentPassword`: the route counts it against the sign-in limits (a policy refusal does not count). */
export class WrongCurrentPasswordError extends ValidationError {
  constructor() {
    super("The current password is incorrect", [{ path: "currentPassword", message: "is incorrect" }]);
  }
}

/**
 * The signed-in user replaces their password. Every other session is revoked (and the token version bumped); the
 * caller gets a fresh access token for the new version so this session carries on. Clears the must-change flag of a temporary password.
 */
export async function changePassword(input: {
  db: Database;
  actor: Actor & { userId: string };
  currentPassword: string;
  newPassword: string;
  /** The session the change is made from: the one that stays. */
  sessionId: string;
  policy: SessionPolicy;
}): Promise<{ issued: IssuedTokens; user: ReturnType<typeof toUser> }> {
  const { db, actor, currentPassword, newPassword } = input;
  const [found] = await db.http
    .select({ user: users, workspaceName: workspaces.name })
    .from(users)
    .innerJoin(workspaces, eq(workspaces.id, users.workspaceId))
    .where(and(eq(users.id, actor.userId), eq(users.workspaceId, actor.workspaceId)))
    .limit(1);
  if (!found) throw new NotFoundError("User");
  const current = found.user;
  if (!(await verifyPassword(currentPassword, current.passwordHash))) {
    throw new WrongCurrentPasswordError();
  }
  assertPasswordPolicy(newPassword, "newPassword", current);
  if (newPassword === currentPassword) {
    throw new ValidationError("Choose a password different from the current one", [{ path: "newPassword", message: "must differ from the current password" }]);
  }
  const passwordHash = await hashPassword(newPassword);

  const row = await db.transaction(async (tx) => {
    const before = await loadUser(tx, actor.workspaceId, actor.userId, { forUpdate: true });
    // Someone (an admin reset, another tab) changed the password while we hashed: the check above is stale.
    if (before.passwordHash !== current.passwordHash || before.tokenVersion !== current.tokenVersion) {
      throw new ConflictError("Your password or sessions changed meanwhile; sign in again and retry");
    }
    const [row] = await tx
      .update(users)
      .set({ passwordHash, mustChangePassword: false, tokenVersion: before.tokenVersion + 1, updatedAt: new Date() })
      .where(eq(users.id, actor.userId))
      .returning();
    await revokeUserSessions(tx, { userId: actor.userId, reason: "password_changed", except: input.sessionId });
    await recordAudit(tx, actor, {
      action: "user.change_password",
      entityType: "user",
      entityId: actor.userId,
      changes: { ...PASSWORD_CHANGED, ...diff(auditView(before), auditView(row!)) },
    });
    return row!;
  });
  const access = await signAccessToken(row, input.sessionId, input.policy);
  return { issued: { ...access, sessionId: input.sessionId }, user: toUser(row, found.workspaceName) };
}
