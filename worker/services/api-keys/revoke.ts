import { and, eq } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { apiKeys, users } from "../../../db/schema";
import { NotFoundError } from "../../lib/errors";
import type { ApiKey } from "../../schemas/api-keys";
import { recordAudit, type Actor } from "../audit/record";
import { serializeApiKey } from "./serialize";
import { isUuid } from "../../lib/uuid";

/**
 * Revokes a key: it stops working on the very next request (keys are looked up on every request). Revoking a revoked
 * key changes nothing and answers the same, so a retried DELETE is harmless.
 */
export async function revokeApiKey(input: { db: Database; actor: Actor; id: string }): Promise<ApiKey> {
  const { db, actor, id } = input;
  if (!isUuid(id)) throw new NotFoundError("API key");
  const row = await db.transaction(async (tx) => {
    const [key] = await tx
      .select()
      .from(apiKeys)
      .where(and(eq(apiKeys.id, id), eq(apiKeys.workspaceId, actor.workspaceId)))
      .for("update");
    if (!key) throw new NotFoundError("API key");
    if (key.revokedAt) return key;
    const now = new Date();
    const [revoked] = await tx.update(apiKeys).set({ revokedAt: now, updatedAt: now }).where(eq(apiKeys.id, id)).returning();
    await recordAudit(tx, actor, { action: "revoke", entityType: "api_key", entityId: id, changes: { revokedAt: { from: null, to: now.toISOString() } } });
    return revoked!;
  });
  const [creator] = row.createdBy ? await db.http.select({ id: users.id, name: users.name }).from(users).where(eq(users.id, row.createdBy)) : [];
  return serializeApiKey(row, creator ?? null);
}
