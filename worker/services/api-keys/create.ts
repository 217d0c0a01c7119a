import { eq } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { apiKeys, users } from "../../../db/schema";
import type { ApiKey } from "../../schemas/api-keys";
import type { Role } from "../../schemas/common";
import { recordAudit, type Actor } from "../audit/record";
import { generateApiKey } from "../auth/api-key";
import { serializeApiKey } from "./serialize";

/** Creates a key acting in the caller's workspace with `role`. The secret is returned here and never again. */
export async function createApiKey(input: { db: Database; actor: Actor; name: string; role: Role }): Promise<ApiKey & { secret: string }> {
  const { db, actor } = input;
  const { secret, prefix, hash } = await generateApiKey();
  const row = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiKeys)
      .values({ workspaceId: actor.workspaceId, name: input.name, prefix, keyHash: hash, role: input.role, createdBy: actor.userId })
      .returning();
    await recordAudit(tx, actor, {
      action: "create",
      entityType: "api_key",
      entityId: row!.id,
      changes: { name: { from: null, to: input.name }, role: { from: null, to: input.role }, prefix: { from: null, to: prefix } },
    });
    return row!;
  });
  const [creator] = actor.userId ? await db.http.select({ id: users.id, name: users.name }).from(users).where(eq(users.id, actor.userId)) : [];
  return { ...serializeApiKey(row, creator ?? null), secret };
}
