import { and, desc, eq, sql, type SQL } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { webhookDeliveries } from "../../../db/schema";
import { afterCursor, decodeCursor, encodeCursor } from "../../lib/cursor";
import { loadEndpoint } from "./load";
import { serializeDelivery } from "./serialize";

/** An endpoint's delivery log, newest first, keyset-paginated on (created_at, id) like every list. */
export async function listDeliveries(input: {
  db: Database;
  workspaceId: string;
  endpointId: string;
  query: { limit: number; cursor?: string; status?: string };
}) {
  const { db, workspaceId, endpointId, query } = input;
  await loadEndpoint(db.http, workspaceId, endpointId);
  const where: SQL[] = [eq(webhookDeliveries.workspaceId, workspaceId), eq(webhookDeliveries.endpointId, endpointId)];
  if (query.status) where.push(eq(webhookDeliveries.status, query.status));
  if (query.cursor) where.push(afterCursor(sql`${webhookDeliveries.createdAt}`, sql`${webhookDeliveries.id}`, "desc", decodeCursor(query.cursor), "::timestamptz"));
  const rows = await db.http
    .select({ row: webhookDeliveries, ts: sql<string>`${webhookDeliveries.createdAt}::text` })
    .from(webhookDeliveries)
    .where(and(...where))
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    data: page.map((r) => serializeDelivery(r.row)),
    nextCursor: rows.length > query.limit && last ? encodeCursor({ value: last.ts, id: last.row.id }) : null,
  };
}
