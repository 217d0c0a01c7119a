import { ProblemError } from "../../lib/errors";
import type { AiTargetType } from "../../schemas/ai";
import { entities } from "../records/entities";
import { loadRecord } from "../records/load";
import type { AiDeps } from "./deps";
import { enqueueSummary, serializeJob } from "./enqueue-summary";
import { getJob } from "./jobs";
import { enforceAiLimits } from "./limits";
import { writeSummary } from "./write-summary";

/**
 * A user asks for a fresh summary of a record: counted against their AI limits, then either written at once by
 * the offline engine (no provider key: it answers in milliseconds, so no queue round trip and no polling;
 * `written: true` with the job's result; a queued automatic job for the record is taken over) or queued as a job for the provider (or the job already in flight for
 * that record is returned) and written by the queue consumer.
 */
export async function requestSummary(deps: AiDeps, input: { targetType: AiTargetType; targetId: string }) {
  const { db, config, limiter, queues, actor } = deps;
  await enforceAiLimits({ limiter, config, workspaceId: actor.workspaceId, userId: actor.userId });
  await loadRecord(db.http, entities[input.targetType], actor.workspaceId, input.targetId);
  const inline = !config.OPENAI_API_KEY;
  const { job, created, message } = await enqueueSummary({
    db,
    queues,
    workspaceId: actor.workspaceId,
    target: { type: input.targetType, id: input.targetId },
    requestedBy: actor.userId,
    trigger: "manual",
    debounceMinutes: 0,
    deliver: inline ? "inline" : "queue",
  });
  // Offline, a job still waiting in the queue (an automatic one after the call just logged) is written now too;
  // the queue's later delivery finds it succeeded and skips it. One already running is waited for (briefly).
  if (inline && (created || job.status === "queued")) {
    await writeSummary({ db, config, limiter, message, attempts: 1 });
    const done = await getJob({ db, workspaceId: actor.workspaceId, id: job.id });
    return { job: done, created, written: true as const };
  }
  if (inline && job.status === "running") {
    // The offline engine writes in well under a second: wait here rather than send the browser polling.
    const done = await settled(deps, job.id);
    if (done) return { job: done, created, written: true as const };
  }
  if (job.status === "dead") {
    throw new ProblemError(503, "Service Unavailable", "The summary could not be queued; try again in a moment", { jobId: job.id }, { "Retry-After": "5" });
  }
  return { job: serializeJob(job), created, written: false as const };
}

/** The job once it succeeded, polling the row for up to INLINE_WAIT_MS; null when it is still running then. */
const INLINE_WAIT_MS = 3000;
async function settled(deps: AiDeps, id: string) {
  const until = Date.now() + INLINE_WAIT_MS;
  while (Date.now() < until) {
    await new Promise((r) => setTimeout(r, 150));
    const job = await getJob({ db: deps.db, workspaceId: deps.actor.workspaceId, id });
    if (job.status === "succeeded") return job;
    if (job.status !== "running") return null;
  }
  return null;
}
