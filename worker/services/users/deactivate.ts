import { eq } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { users } from "../../../db/schema";
import { diff, recordAudit, type Actor } from "../audit/record";
import { emit } from "../../events/outbox";
import { toUser } from "../auth/login";
import { revokeUserSessions } from "../auth/sessions/revoke";
import { assertNotLastAdmin, auditView, loadUser, lockActiveAdmins } from "./load";

/**
 * Stops a user from signing in and ends their sessions at once (revoked, and the token version bumped: auth checks
 * both on every request). Their records keep them as owner. Deactivating an inactive user changes nothing.
 */
export async function deactivateUser(input: { db: Database; actor: Actor; id: string }) {
  const { db, actor, id } = input;
  const result = await db.transaction(async (tx) => {
    const admins = await lockActiveAdmins(tx, actor.workspaceId);
    const before = await loadUser(tx, actor.workspaceId, id, { forUpdate: true });
    if (!before.active) return { row: before, changed: false };
    if (before.role === "ADMIN") assertNotLastAdmin(admins, id, "deactivate");
    const [row] = await tx
      .update(users)
      .set({ active: false, tokenVersion: before.tokenVersion + 1, updatedAt: new Date() })
      .where(eq(users.id, id))
      .returning();
    await revokeUserSessions(tx, { userId: id, reason: "deactivated" });
    await recordAudit(tx, actor, { action: "user.deactivate", entityType: "user", entityId: id, changes: diff(auditView(before), auditView(row!)) });
    await emit(tx, actor, { type: "user.deactivated", entityType: "user", entityId: id, data: toUser(row!) });
    return { row: row!, changed: true };
  });
  return toUser(result.row);
}
