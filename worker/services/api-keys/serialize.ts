import type { apiKeys } from "../../../db/schema";
import type { ApiKey } from "../../schemas/api-keys";

export function serializeApiKey(row: typeof apiKeys.$inferSelect, creator: { id: string; name: string } | null): ApiKey {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    role: row.role,
    createdBy: creator,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}
