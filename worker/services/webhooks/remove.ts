import { eq } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { webhookEndpoints } from "../../../db/schema";
import { recordAudit, type Actor } from "../audit/record";
import { loadEndpoint } from "./load";

/**
 * Removes an endpoint. The row is kept (soft delete) so its delivery log stays readable in the audit trail's
 * context; no new event is queued for it, and deliveries still queued are marked dead when they come up.
 */
export async function deleteWebhook(input: { db: Database; actor: Actor; id: string }): Promise<void> {
  const { db, actor, id } = input;
  await db.transaction(async (tx) => {
    await loadEndpoint(tx, actor.workspaceId, id, { forUpdate: true });
    const now = new Date();
    await tx.update(webhookEndpoints).set({ deletedAt: now, active: false, updatedAt: now }).where(eq(webhookEndpoints.id, id));
    await recordAudit(tx, actor, { action: "delete", entityType: "webhook_endpoint", entityId: id, changes: { deletedAt: { from: null, to: now.toISOString() } } });
  });
}
