import { and, eq, sql } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { webhookDeliveries, webhookEndpoints } from "../../../db/schema";
import { ConflictError, NotFoundError } from "../../lib/errors";
import { recordAudit, type Actor } from "../audit/record";
import { isUuid } from "../../lib/uuid";
import { enqueueDeliveries } from "./fanout";
import { serializeDelivery } from "./serialize";

/** A delivery already queued this recently is refused, so a double click does not send an event twice. */
const REQUEUE_AFTER_SECONDS = 300;

/**
 * Sends a delivery again (after fixing the receiver, or because it lost the event): back to pending and onto the
 * queue. Attempts keep counting, so the log shows the whole history of the delivery.
 */
export async function redeliver(input: { db: Database; actor: Actor; queue: Queue; id: string }) {
  const { db, actor, id } = input;
  if (!isUuid(id)) throw new NotFoundError("Webhook delivery");
  const row = await db.transaction(async (tx) => {
    const [found] = await tx
      .select({ d: webhookDeliveries, active: webhookEndpoints.active, deletedAt: webhookEndpoints.deletedAt, fresh: sql<boolean>`${webhookDeliveries.updatedAt} > now() - make_interval(secs => ${REQUEUE_AFTER_SECONDS})` })
      .from(webhookDeliveries)
      .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
      .where(and(eq(webhookDeliveries.id, id), eq(webhookDeliveries.workspaceId, actor.workspaceId)))
      .for("update", { of: webhookDeliveries });
    if (!found) throw new NotFoundError("Webhook delivery");
    if (found.deletedAt) throw new ConflictError("The endpoint of this delivery was deleted");
    if (!found.active) throw new ConflictError("The endpoint is paused: set it active first, then redeliver");
    if (found.d.status === "pending" && found.fresh) throw new ConflictError("This delivery is queued already; it is sent within seconds");
    const [row] = await tx
      .update(webhookDeliveries)
      .set({ status: "pending", updatedAt: new Date() })
      .where(eq(webhookDeliveries.id, id))
      .returning();
    await recordAudit(tx, actor, { action: "redeliver", entityType: "webhook_delivery", entityId: id, changes: { status: { from: found.d.status, to: "pending" } } });
    return row!;
  });
  await enqueueDeliveries(input.queue, [row.id]);
  return serializeDelivery(row);
}
