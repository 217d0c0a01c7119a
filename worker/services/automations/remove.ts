import { eq } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { automations } from "../../../db/schema";
import { recordAudit, type Actor } from "../audit/record";
import { loadAutomation } from "./load";

/**
 * Deletes a rule (soft: its run history stays readable for the audit trail). Runs in flight finish. A rule the
 * configuration file declares comes back at the next apply unless the file drops it: pause it instead.
 */
export async function deleteAutomation(input: { db: Database; actor: Actor; id: string }) {
  const { db, actor, id } = input;
  await db.transaction(async (tx) => {
    const before = await loadAutomation(tx, actor.workspaceId, id, { forUpdate: true });
    await tx.update(automations).set({ deletedAt: new Date(), enabled: false, updatedAt: new Date() }).where(eq(automations.id, id));
    await recordAudit(tx, actor, { action: "delete", entityType: "automation", entityId: id, changes: { name: { from: before.name, to: null } } });
  });
}
