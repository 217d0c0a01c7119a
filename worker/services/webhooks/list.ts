import { and, asc, eq, isNull } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { webhookEndpoints } from "../../../db/schema";
import { serializeEndpoint } from "./serialize";

/** A workspace has a handful of endpoints: one unpaginated list, oldest first. */
export async function listWebhooks(input: { db: Database; workspaceId: string }) {
  const rows = await input.db.http
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.workspaceId, input.workspaceId), isNull(webhookEndpoints.deletedAt)))
    .orderBy(asc(webhookEndpoints.createdAt), asc(webhookEndpoints.id));
  return { data: rows.map(serializeEndpoint) };
}
