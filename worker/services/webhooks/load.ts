import { and, eq, isNull } from "drizzle-orm";
import type { Executor } from "../../../db/client";
import { webhookEndpoints } from "../../../db/schema";
import { NotFoundError } from "../../lib/errors";
import { isUuid } from "../../lib/uuid";

/** One endpoint of the caller's workspace; another workspace's, a deleted or a malformed id all answer 404. */
export async function loadEndpoint(db: Executor, workspaceId: string, id: string, opts: { forUpdate?: boolean } = {}) {
  if (!isUuid(id)) throw new NotFoundError("Webhook endpoint");
  const q = db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.workspaceId, workspaceId), isNull(webhookEndpoints.deletedAt)))
    .limit(1);
  const [row] = opts.forUpdate ? await q.for("update") : await q;
  if (!row) throw new NotFoundError("Webhook endpoint");
  return row;
}
