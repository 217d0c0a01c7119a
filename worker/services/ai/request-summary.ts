import { ProblemError } from "../../lib/errors";
import type { AiTargetType } from "../../schemas/ai";
import { entities } from "../records/entities";
import { loadRecord } from "../records/load";
import type { AiDeps } from "./deps";
import { enqueueSummary, serializeJob } from "./enqueue-summary";
import { enforceAiLimits } from "./limits";

/**
 * A user asks for a fresh summary of a record: counted against their AI limits, queued as a job (or the job already
 * in flight for that record is returned), and written by the queue consumer.
 */
export async function requestSummary(deps: AiDeps, input: { targetType: AiTargetType; targetId: string }) {
  const { db, config, limiter, queues, actor } = deps;
  await enforceAiLimits({ limiter, config, workspaceId: actor.workspaceId, userId: actor.userId });
  await loadRecord(db.http, entities[input.targetType], actor.workspaceId, input.targetId);
  const { job, created } = await enqueueSummary({
    db,
    queues,
    workspaceId: actor.workspaceId,
    target: { type: input.targetType, id: input.targetId },
    requestedBy: actor.userId,
    trigger: "manual",
    debounceMinutes: 0,
  });
  if (job.status === "dead") {
    throw new ProblemError(503, "Service Unavailable", "The summary could not be queued; try again in a moment", { jobId: job.id }, { "Retry-After": "5" });
  }
  return { job: serializeJob(job), created };
}
