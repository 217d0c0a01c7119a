import { and, desc, eq, isNull, sql } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { activities, aiJobs } from "../../../db/schema";
import { NotFoundError } from "../../lib/errors";
import type { AiTargetType } from "../../schemas/ai";
import { entities } from "../records/entities";
import { loadRecord } from "../records/load";
import { serializeJob } from "./enqueue-summary";
import { summaryResult } from "./results";
import { isUuid } from "../../lib/uuid";

/** A job of the caller's workspace with its summary once it succeeded. */
export async function getJob(input: { db: Database; workspaceId: string; id: string }) {
  if (!isUuid(input.id)) throw new NotFoundError("Job");
  const [row] = await input.db.http
    .select({ job: aiJobs, activity: activities })
    .from(aiJobs)
    .leftJoin(activities, and(eq(activities.id, aiJobs.activityId), isNull(activities.deletedAt)))
    .where(and(eq(aiJobs.id, input.id), eq(aiJobs.workspaceId, input.workspaceId)));
  if (!row) throw new NotFoundError("Job");
  return { ...serializeJob(row.job), result: row.activity ? summaryResult(row.activity) : null };
}

/** The latest summary of a record and the summary job still in flight for it, if any (what the AI panel shows). */
export async function latestSummary(input: { db: Database; workspaceId: string; targetType: AiTargetType; targetId: string }) {
  const { db, workspaceId, targetType, targetId } = input;
  await loadRecord(db.http, entities[targetType], workspaceId, targetId);
  const link = { opportunity: activities.opportunityId, account: activities.accountId, contact: activities.contactId, lead: activities.leadId }[targetType];
  const [summaries, pending] = await db.http.batch([
    db.http
      .select()
      .from(activities)
      .where(and(eq(link, targetId), eq(activities.workspaceId, workspaceId), eq(activities.type, "ai_summary"), isNull(activities.deletedAt), sql`${activities.properties} -> 'target' ->> 'id' = ${targetId}`))
      .orderBy(desc(activities.happenedAt), desc(activities.id))
      .limit(1),
    db.http
      .select()
      .from(aiJobs)
      .where(and(eq(aiJobs.workspaceId, workspaceId), eq(aiJobs.kind, "summary"), eq(aiJobs.targetType, targetType), eq(aiJobs.targetId, targetId), sql`${aiJobs.status} in ('queued', 'running', 'failed')`, sql`${aiJobs.updatedAt} > now() - interval '30 minutes'`))
      .orderBy(desc(aiJobs.createdAt))
      .limit(1),
  ]);
  return { summary: summaries[0] ? summaryResult(summaries[0]) : null, pendingJob: pending[0] ? serializeJob(pending[0]) : null };
}

/** An in-flight job untouched for this long was lost (the queue's retries finish within minutes). */
export const STALLED_MINUTES = 30;
export const stalledOrDead = sql`(${aiJobs.status} = 'dead' or (${aiJobs.status} in ('queued', 'running', 'failed') and ${aiJobs.updatedAt} < now() - make_interval(mins => ${STALLED_MINUTES})))`;

/**
 * Jobs the queue gave up on (or could not queue), and jobs stuck in flight past any retry (a message lost while the
 * database was down), newest first, with the name of the record they were about: nothing disappears unseen.
 */
export async function listDeadLetters(input: { db: Database; workspaceId: string; limit: number }) {
  const rows = await input.db.http
    .select({
      job: aiJobs,
      targetName: sql<string | null>`case ${aiJobs.targetType}
        when 'opportunity' then (select name from opportunities where id = ${aiJobs.targetId})
        when 'account' then (select name from accounts where id = ${aiJobs.targetId})
        when 'contact' then (select name from contacts where id = ${aiJobs.targetId})
        when 'lead' then (select name from leads where id = ${aiJobs.targetId}) end`,
    })
    .from(aiJobs)
    .where(and(eq(aiJobs.workspaceId, input.workspaceId), stalledOrDead))
    .orderBy(desc(aiJobs.updatedAt), desc(aiJobs.id))
    .limit(input.limit);
  return { data: rows.map((r) => ({ ...serializeJob(r.job), targetName: r.targetName, stalled: r.job.status !== "dead" })) };
}
