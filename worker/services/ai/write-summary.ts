import { and, eq, inArray, ne, sql } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { aiJobs } from "../../../db/schema";
import { buildContext } from "../../ai/context";
import { runAi } from "../../ai/engine";
import type { Config } from "../../config";
import { NotFoundError } from "../../lib/errors";
import type { QueueMessage } from "../../queues/messages";
import { activityLinks } from "./deps";
import { tokenBudgetLeft } from "./limits";
import { recordUsage } from "./record-usage";
import { bullets, storeAiOutput } from "./store-output";
import type { RateLimiterNamespace } from "../../lib/services";
import { rowsOf, type Tx } from "../../../db/client";
import { activities } from "../../../db/schema";

/** The record column a summary of this kind of target is filed under (an index leads with it). */
export const SUMMARY_LINK = { opportunity: "opportunity_id", account: "account_id", contact: "contact_id", lead: "lead_id" } as const;

/**
 * The latest summary of a record replaces the earlier ones on its timeline: they are marked `supersededBy` (kept,
 * one click away as earlier versions), and the new one counts them.
 */
async function supersedeSummaries(tx: Tx, input: { workspaceId: string; target: { type: keyof typeof SUMMARY_LINK; id: string }; latestId: string; at: Date }) {
  const link = sql.raw(SUMMARY_LINK[input.target.type]);
  const res = await tx.execute(sql`
    update activities set properties = properties || jsonb_build_object('supersededBy', ${input.latestId}::text), updated_at = now()
    where ${link} = ${input.target.id} and workspace_id = ${input.workspaceId} and type = 'ai_summary' and deleted_at is null
      and id <> ${input.latestId} and happened_at <= ${input.at} and properties -> 'target' ->> 'id' = ${input.target.id}
      and not (properties ? 'supersededBy')
    returning id`);
  const replaced = rowsOf(res).length;
  if (replaced) {
    await tx
      .update(activities)
      .set({ properties: sql`${activities.properties} || jsonb_build_object('earlierVersions', (select count(*) from activities e where e.type = 'ai_summary' and e.properties ->> 'supersededBy' is not null and e.properties -> 'target' ->> 'id' = ${input.target.id} and e.workspace_id = ${input.workspaceId} and ${sql.raw("e." + SUMMARY_LINK[input.target.type])} = ${input.target.id} and e.deleted_at is null))` })
      .where(eq(activities.id, input.latestId));
  }
}

type SummaryMessage = Extract<QueueMessage, { type: "ai.summary" }>;

/** A short, SQL-free reason for the job row (drizzle wraps driver errors in "Failed query: …"). */
export function errorReason(err: unknown): string {
  const e = err as { message?: string; cause?: { message?: string } };
  const msg = e?.message?.startsWith("Failed query") ? (e.cause?.message ?? "database error") : (e?.message ?? String(err));
  return msg.slice(0, 300);
}

/**
 * The queue consumer's work for one summary job: mark it running, build the record's context, generate (falling
 * back to the offline engine when OpenAI fails or the token budget is spent), then store the `ai_summary` activity
 * and mark the job succeeded in one transaction. Deliveries are at-least-once: a job already succeeded or dead is
 * skipped. Throws on a transient failure (the caller retries with backoff); a deleted record ends the job as dead.
 */
export async function writeSummary(input: { db: Database; config: Config; limiter: RateLimiterNamespace; message: SummaryMessage; attempts: number }): Promise<"succeeded" | "skipped" | "gone"> {
  const { db, config, limiter, message: m } = input;
  const [job] = await db.http
    .update(aiJobs)
    .set({ status: "running", attempts: input.attempts, updatedAt: new Date() })
    .where(and(eq(aiJobs.id, m.jobId), eq(aiJobs.workspaceId, m.workspaceId), inArray(aiJobs.status, ["queued", "running", "failed"])))
    .returning();
  if (!job) return "skipped";
  try {
    let ctx;
    try {
      ctx = await buildContext({ db, workspaceId: m.workspaceId, target: { type: m.targetType, id: m.targetId }, privateFields: config.AI_PRIVATE_FIELDS });
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
      await db.http
        .update(aiJobs)
        .set({ status: "dead", error: `The ${m.targetType} was deleted before its summary was written`, updatedAt: new Date() })
        .where(eq(aiJobs.id, job.id));
      return "gone";
    }
    const budgetLeft = !config.OPENAI_API_KEY || (await tokenBudgetLeft(limiter, config, m.workspaceId));
    // A summary someone asked for is waited on; an automatic one is not.
    const run = await runAi({ feature: "summary", ctx, args: {}, config, forceLocal: budgetLeft ? undefined : "token_budget_exhausted", interactive: m.requestedBy !== null && (m.trigger ?? "manual") === "manual" });
    try {
      await db.transaction(async (tx) => {
        const row = await storeAiOutput(tx, {
          actor: { userId: m.requestedBy, workspaceId: m.workspaceId },
          run,
          target: ctx.target,
          links: activityLinks(ctx),
          subject: `Summary: ${ctx.target.name}`,
          body: `${run.output.headline.text}\n${bullets(run.output.points)}`,
          extra: { jobId: job.id, trigger: m.trigger ?? (m.requestedBy ? "manual" : "event") },
        });
        await supersedeSummaries(tx, { workspaceId: m.workspaceId, target: ctx.target, latestId: row.id, at: row.happenedAt });
        await tx
          .update(aiJobs)
          .set({ status: "succeeded", activityId: row.id, error: null, completedAt: new Date(), updatedAt: new Date() })
          .where(eq(aiJobs.id, job.id));
      });
    } finally {
      await recordUsage({ db, limiter, workspaceId: m.workspaceId, engine: run.engine });
    }
    return "succeeded";
  } catch (err) {
    await db.http
      .update(aiJobs)
      .set({ status: "failed", error: errorReason(err), updatedAt: new Date() })
      .where(eq(aiJobs.id, job.id))
      .catch(() => {});
    throw err;
  }
}

/**
 * The dead-letter consumer's work: the queue gave up on this job, so it is marked dead with its last error,
 * visible to ADMIN (GET /api/ai/dead-letters) and retryable from there. A job that succeeded meanwhile stays so.
 */
export async function markJobDead(input: { db: Database; message: SummaryMessage; attempts: number }): Promise<boolean> {
  const rows = await input.db.http
    .update(aiJobs)
    .set({
      status: "dead",
      error: sql`'Gave up after ' || greatest(${aiJobs.attempts}, ${input.attempts}) || ' attempts: ' || coalesce(${aiJobs.error}, 'no error recorded')`,
      updatedAt: new Date(),
    })
    .where(and(eq(aiJobs.id, input.message.jobId), eq(aiJobs.workspaceId, input.message.workspaceId), ne(aiJobs.status, "succeeded"), ne(aiJobs.status, "dead")))
    .returning({ id: aiJobs.id });
  return rows.length > 0;
}
