import { and, eq, isNull, sql } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { passwordResetTokens, users, workspaces } from "../../../db/schema";
import { hashPassword } from "../../lib/password";
import { assertPasswordPolicy } from "../../lib/password-policy";
import { sha256Hex } from "../../lib/tokens";
import { ValidationError } from "../../lib/errors";
import type { User } from "../../schemas/common";
import { recordAudit } from "../audit/record";
import { toUser } from "./login";
import { openSession } from "./sessions/open";
import type { IssuedTokens, SessionPolicy } from "./sessions/policy";
import { revokeUserSessions } from "./sessions/revoke";

/** One answer for unknown, used, expired and tampered tokens: which one it was helps nobody but an attacker. */
export const INVALID_RESET_TOKEN = "This reset link is invalid, expired or already used; request a new one";

/**
 * Sets a new password from a reset link: the token must exist (by hash), be unused and unexpired, and the user
 * active. In one transaction the password changes, every session of the user is revoked (and the token version
 * bumped), all of the user's outstanding reset links are spent, and the audit trail records it. Returns a fresh
 * session so the user is signed in on the device that reset.
 */
export async function resetPassword(input: {
  db: Database;
  token: string;
  password: string;
  policy: SessionPolicy;
  userAgent?: string | null;
  requestId?: string;
  now?: Date;
}): Promise<{ issued: IssuedTokens; user: User; email: string }> {
  const now = input.now ?? new Date();
  const tokenHash = await sha256Hex(input.token.trim());
  return input.db.transaction(async (tx) => {
    const [row] = await tx
      .select({ reset: passwordResetTokens, user: users, workspaceName: workspaces.name })
      .from(passwordResetTokens)
      .innerJoin(users, eq(users.id, passwordResetTokens.userId))
      .innerJoin(workspaces, eq(workspaces.id, users.workspaceId))
      .where(eq(passwordResetTokens.tokenHash, tokenHash))
      // Two tabs submitting the same link: the second waits, then sees it used.
      .for("update", { of: passwordResetTokens });
    if (!row || row.reset.usedAt || row.reset.expiresAt <= now || !row.user.active || row.user.deletedAt) {
      throw new ValidationError(INVALID_RESET_TOKEN, [{ path: "token", message: INVALID_RESET_TOKEN }]);
    }
    assertPasswordPolicy(input.password, "password", { email: row.user.email, name: row.user.name });

    const [updated] = await tx
      .update(users)
      .set({
        passwordHash: await hashPassword(input.password),
        tokenVersion: sql`${users.tokenVersion} + 1`,
        mustChangePassword: false,
        updatedAt: now,
      })
      .where(eq(users.id, row.user.id))
      .returning();
    await tx
      .update(passwordResetTokens)
      .set({ usedAt: now })
      .where(and(eq(passwordResetTokens.userId, row.user.id), isNull(passwordResetTokens.usedAt)));
    await recordAudit(tx, { userId: row.user.id, workspaceId: row.user.workspaceId, requestId: input.requestId }, {
      action: "user.password_reset",
      entityType: "user",
      entityId: row.user.id,
      changes: { password: { from: "(hidden)", to: "(changed)" }, sessions: { from: "active", to: "ended" } },
    });
    const u = updated!;
    await revokeUserSessions(tx, { userId: u.id, reason: "password_reset", now });
    const issued = await openSession({ db: tx, user: u, policy: input.policy, userAgent: input.userAgent, now });
    return { issued, user: toUser(u, row.workspaceName), email: u.email };
  });
}
