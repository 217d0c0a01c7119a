import { and, desc, eq, isNull, sql } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { activities, users } from "../../../db/schema";
import type { AiTargetType } from "../../schemas/ai";
import { entities } from "../records/entities";
import { loadRecord } from "../records/load";
import { summaryResult } from "./results";

/** How many summaries of one record the version list shows, newest first. */
export const SUMMARY_VERSIONS_LIMIT = 20;

/**
 * Every summary of a record, newest first, with who asked for it: the timeline shows the latest, and its earlier
 * versions are one click away here. One index range on the record's timeline index.
 */
export async function summaryVersions(input: { db: Database; workspaceId: string; targetType: AiTargetType; targetId: string }) {
  const { db, workspaceId, targetType, targetId } = input;
  await loadRecord(db.http, entities[targetType], workspaceId, targetId);
  const link = { opportunity: activities.opportunityId, account: activities.accountId, contact: activities.contactId, lead: activities.leadId }[targetType];
  const rows = await db.http
    .select({ a: activities, requestedBy: users.name })
    .from(activities)
    .leftJoin(users, eq(users.id, activities.actorId))
    .where(and(eq(link, targetId), eq(activities.workspaceId, workspaceId), eq(activities.type, "ai_summary"), isNull(activities.deletedAt), sql`${activities.properties} -> 'target' ->> 'id' = ${targetId}`))
    .orderBy(desc(activities.happenedAt), desc(activities.id))
    .limit(SUMMARY_VERSIONS_LIMIT);
  return { data: rows.map((r) => ({ ...summaryResult(r.a), requestedBy: r.a.actorId ? { id: r.a.actorId, name: r.requestedBy ?? "" } : null })) };
}
