import { eq } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { users } from "../../../db/schema";
import { hashPassword } from "../../lib/password";
import { generateTemporaryPassword } from "../../lib/password-policy";
import { diff, recordAudit, type Actor } from "../audit/record";
import { emit } from "../../events/outbox";
import { toUser } from "../auth/login";
import { revokeUserSessions } from "../auth/sessions/revoke";
import { auditView, loadUser, PASSWORD_CHANGED } from "./load";

/**
 * Admin reset: a generated temporary password (returned once), to be changed at the next sign-in; every existing
 * session of the user ends at once.
 */
export async function resetUserPassword(input: { db: Database; actor: Actor; id: string }) {
  const { db, actor, id } = input;
  // Fail fast on a bad id before paying for the KDF.
  await loadUser(db.http, actor.workspaceId, id);
  const temporaryPassword = generateTemporaryPassword();
  const passwordHash = await hashPassword(temporaryPassword);
  const row = await db.transaction(async (tx) => {
    const before = await loadUser(tx, actor.workspaceId, id, { forUpdate: true });
    const [row] = await tx
      .update(users)
      .set({ passwordHash, mustChangePassword: true, tokenVersion: before.tokenVersion + 1, updatedAt: new Date() })
      .where(eq(users.id, id))
      .returning();
    await revokeUserSessions(tx, { userId: id, reason: "password_reset" });
    await recordAudit(tx, actor, {
      action: "user.reset_password",
      entityType: "user",
      entityId: id,
      changes: { ...PASSWORD_CHANGED, ...diff(auditView(before), auditView(row!)) },
    });
    await emit(tx, actor, { type: "user.password_reset", entityType: "user", entityId: id, data: toUser(row!) });
    return row!;
  });
  const user = toUser(row);
  return { user, temporaryPassword };
}
