import { eq } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { users } from "../../../db/schema";
import type { UserUpdate } from "../../schemas/users";
import { diff, recordAudit, type Actor } from "../audit/record";
import { emit } from "../../events/outbox";
import { toUser } from "../auth/login";
import { assertNotLastAdmin, auditView, loadUser, lockActiveAdmins } from "./load";

/** Renames a user or changes their role. The role takes effect on their next request (auth reads it live). */
export async function updateUser(input: { db: Database; actor: Actor; id: string; patch: UserUpdate }) {
  const { db, actor, id, patch } = input;
  const result = await db.transaction(async (tx) => {
    // Admins first, then the target: every path locks in this order.
    const admins = patch.role !== undefined && patch.role !== "ADMIN" ? await lockActiveAdmins(tx, actor.workspaceId) : [];
    const before = await loadUser(tx, actor.workspaceId, id, { forUpdate: true });
    if (before.role === "ADMIN" && before.active && patch.role !== undefined && patch.role !== "ADMIN") assertNotLastAdmin(admins, id, "demote");
    const values = { ...(patch.name !== undefined ? { name: patch.name } : {}), ...(patch.role !== undefined ? { role: patch.role } : {}) };
    const changes = diff(auditView(before), { ...auditView(before), ...values });
    if (Object.keys(changes).length === 0) return { row: before, changes };
    const [row] = await tx.update(users).set({ ...values, updatedAt: new Date() }).where(eq(users.id, id)).returning();
    await recordAudit(tx, actor, { action: "user.update", entityType: "user", entityId: id, changes });
    await emit(tx, actor, { type: "user.updated", entityType: "user", entityId: id, data: { ...toUser(row!), changes } });
    return { row: row!, changes };
  });
  return toUser(result.row);
}
