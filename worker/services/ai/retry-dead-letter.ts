import { and, eq } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { aiJobs } from "../../../db/schema";
import { ConflictError, NotFoundError, ProblemError } from "../../lib/errors";
import type { QueueMessage } from "../../queues/messages";
import type { AiTargetType } from "../../schemas/ai";
import { serializeJob } from "./enqueue-summary";
import { stalledOrDead } from "./jobs";
import { isUuid } from "../../lib/uuid";
import type { Queues } from "../../lib/services";

/** ADMIN puts a dead (or stalled) job back on the queue: same job id, attempts reset, error cleared. */
export async function retryDeadLetter(input: { db: Database; queues: Pick<Queues, "ai">; workspaceId: string; id: string }) {
  const { db, queues, workspaceId, id } = input;
  if (!isUuid(id)) throw new NotFoundError("Job");
  const [current] = await db.http.select().from(aiJobs).where(and(eq(aiJobs.id, id), eq(aiJobs.workspaceId, workspaceId)));
  if (!current) throw new NotFoundError("Job");
  const [job] = await db.http
    .update(aiJobs)
    .set({ status: "queued", attempts: 0, error: null, completedAt: null, updatedAt: new Date() })
    .where(and(eq(aiJobs.id, id), eq(aiJobs.workspaceId, workspaceId), stalledOrDead))
    .returning();
  if (!job) throw new ConflictError(`Only dead or stalled jobs can be retried; this one is ${current.status}`);
  const message: QueueMessage = {
    type: "ai.summary",
    jobId: job.id,
    workspaceId,
    targetType: job.targetType as AiTargetType,
    targetId: job.targetId,
    requestedBy: job.requestedBy,
    trigger: "retry",
  };
  try {
    await queues.ai.send(message);
  } catch (err) {
    await db.http.update(aiJobs).set({ status: "dead", error: `Could not be queued: ${String(err).slice(0, 300)}`, updatedAt: new Date() }).where(eq(aiJobs.id, id));
    throw new ProblemError(503, "Service Unavailable", "The job could not be queued; try again in a moment", {}, { "Retry-After": "5" });
  }
  return serializeJob(job);
}
