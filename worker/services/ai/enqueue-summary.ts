import { eq, sql } from "drizzle-orm";
import { rowsOf, type Database } from "../../../db/client";
import { aiJobs } from "../../../db/schema";
import type { QueueMessage } from "../../queues/messages";
import type { AiTargetType } from "../../schemas/ai";
import type { Queues } from "../../lib/services";

export type AiJobRow = typeof aiJobs.$inferSelect;
export type SummaryTrigger = NonNullable<QueueMessage["trigger"]>;

/** A queued or running job older than this is presumed lost (the queue's retries finish within minutes). */
const IN_FLIGHT_MINUTES = 30;

/**
 * Records a summary job and puts it on the AI queue, unless one for the same record is already in flight, or (for
 * automatic triggers) one finished less than `debounceMinutes` ago. The check and the insert are one
 * statement, serialised per record. A message that cannot be queued leaves its job dead with the reason, never
 * silently queued forever.
 */
export async function enqueueSummary(input: {
  db: Database;
  queues: Pick<Queues, "ai">;
  workspaceId: string;
  target: { type: AiTargetType; id: string };
  requestedBy: string | null;
  trigger: SummaryTrigger;
  debounceMinutes: number;
  /** "inline": record the job but do not queue it; the caller writes the summary now (the offline engine). */
  deliver?: "queue" | "inline";
}): Promise<{ job: AiJobRow; created: boolean; message: QueueMessage & { type: "ai.summary" } }> {
  const { db, queues, workspaceId, target } = input;
  // Under READ COMMITTED two simultaneous requests (a double click, two tabs) would both see "nothing in flight" and
  // both insert; a per-record advisory lock in the same transaction (one HTTP batch) makes the second one wait and
  // then see the first one's job.
  const [, res] = await db.http.batch([
    db.http.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`ai-summary:${workspaceId}:${target.type}:${target.id}`}, 0))`),
    db.http.execute(sql`
    with blocking as (
      select id from ai_jobs
      where workspace_id = ${workspaceId} and kind = 'summary' and target_type = ${target.type} and target_id = ${target.id}
        and ((status in ('queued', 'running', 'failed') and updated_at > now() - make_interval(mins => ${IN_FLIGHT_MINUTES}))
             or (status = 'succeeded' and completed_at > now() - make_interval(mins => ${input.debounceMinutes})))
      order by created_at desc limit 1
    ), ins as (
      insert into ai_jobs (workspace_id, kind, target_type, target_id, status, requested_by)
      select ${workspaceId}, 'summary', ${target.type}, ${target.id}, 'queued', ${input.requestedBy}::uuid
      where not exists (select 1 from blocking)
      returning id
    )
    select coalesce((select id from ins), (select id from blocking))::text as id, exists (select 1 from ins) as created`),
  ]);
  const row = rowsOf<{ id: string; created: boolean }>(res)[0]!;
  const [job] = await db.http.select().from(aiJobs).where(eq(aiJobs.id, row.id));
  const message: QueueMessage & { type: "ai.summary" } = {
    type: "ai.summary",
    jobId: job!.id,
    workspaceId,
    targetType: target.type,
    targetId: target.id,
    requestedBy: input.requestedBy,
    trigger: input.trigger,
  };
  if (!row.created || input.deliver === "inline") return { job: job!, created: row.created, message };
  try {
    await queues.ai.send(message);
  } catch (err) {
    const [dead] = await db.http
      .update(aiJobs)
      .set({ status: "dead", error: `Could not be queued: ${String(err).slice(0, 300)}`, updatedAt: new Date() })
      .where(eq(aiJobs.id, job!.id))
      .returning();
    console.error(JSON.stringify({ level: "error", msg: "ai: summary could not be queued", jobId: job!.id, error: String(err) }));
    return { job: dead!, created: true, message };
  }
  return { job: job!, created: true, message };
}

/** API shape of a job row (without its result). */
export function serializeJob(j: AiJobRow) {
  return {
    id: j.id,
    kind: j.kind,
    targetType: j.targetType as AiTargetType,
    targetId: j.targetId,
    status: j.status as "queued" | "running" | "succeeded" | "failed" | "dead",
    attempts: j.attempts,
    error: j.error,
    activityId: j.activityId,
    requestedBy: j.requestedBy,
    createdAt: j.createdAt.toISOString(),
    updatedAt: j.updatedAt.toISOString(),
    completedAt: j.completedAt?.toISOString() ?? null,
  };
}
