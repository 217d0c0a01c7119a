import { eq } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { webhookEndpoints } from "../../../db/schema";
import { diff, recordAudit, type Actor } from "../audit/record";
import { assertWebhookUrl, type WebhookUrlConfig } from "./create";
import { loadEndpoint } from "./load";
import { serializeEndpoint } from "./serialize";

/** Partial edit: url, events, active (pause / resume), description. The secret never changes here. */
export async function updateWebhook(input: {
  db: Database;
  actor: Actor;
  config: WebhookUrlConfig;
  id: string;
  patch: { url?: string; events?: string[]; active?: boolean; description?: string | null };
}) {
  const { db, actor, id, patch } = input;
  if (patch.url !== undefined) await assertWebhookUrl(patch.url, input.config);
  const row = await db.transaction(async (tx) => {
    const before = await loadEndpoint(tx, actor.workspaceId, id, { forUpdate: true });
    const changes = diff(before as unknown as Record<string, unknown>, patch);
    if (!Object.keys(changes).length) return before;
    const [after] = await tx.update(webhookEndpoints).set({ ...patch, updatedAt: new Date() }).where(eq(webhookEndpoints.id, id)).returning();
    await recordAudit(tx, actor, { action: "update", entityType: "webhook_endpoint", entityId: id, changes });
    return after!;
  });
  return serializeEndpoint(row);
}
