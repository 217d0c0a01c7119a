import { desc, eq } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { apiKeys, users } from "../../../db/schema";
import type { ApiKey } from "../../schemas/api-keys";
import { serializeApiKey } from "./serialize";

/** Every key of the workspace, revoked ones included (so an admin can see what an old integration used), newest first. */
export async function listApiKeys(input: { db: Database; workspaceId: string }): Promise<ApiKey[]> {
  const rows = await input.db.http
    .select({ key: apiKeys, creatorId: users.id, creatorName: users.name })
    .from(apiKeys)
    .leftJoin(users, eq(users.id, apiKeys.createdBy))
    .where(eq(apiKeys.workspaceId, input.workspaceId))
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
  return rows.map((r) => serializeApiKey(r.key, r.creatorId ? { id: r.creatorId, name: r.creatorName! } : null));
}
