import { eq } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { users } from "../../../db/schema";
import { diff, recordAudit, type Actor } from "../audit/record";
import { emit } from "../../events/outbox";
import { toUser } from "../auth/login";
import { auditView, loadUser } from "./load";

/**
 * Lets a deactivated user sign in again with their password. Sessions from before the deactivation stay dead:
 * the token version bumped then is not rolled back. Reactivating an active user changes nothing.
 */
export async function reactivateUser(input: { db: Database; actor: Actor; id: string }) {
  const { db, actor, id } = input;
  const result = await db.transaction(async (tx) => {
    const before = await loadUser(tx, actor.workspaceId, id, { forUpdate: true });
    if (before.active) return { row: before, changed: false };
    const [row] = await tx.update(users).set({ active: true, updatedAt: new Date() }).where(eq(users.id, id)).returning();
    await recordAudit(tx, actor, { action: "user.reactivate", entityType: "user", entityId: id, changes: diff(auditView(before), auditView(row!)) });
    await emit(tx, actor, { type: "user.reactivated", entityType: "user", entityId: id, data: toUser(row!) });
    return { row: row!, changed: true };
  });
  return toUser(result.row);
}
