import { eq, sql } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { bulkJobs, type BulkFailure } from "../../../db/schema";
import { ProblemError } from "../../lib/errors";
import type { Actor } from "../audit/record";
import { entityByPlural } from "../records/entities";
import { softDeleteRecord } from "../records/remove";
import { updateRecord } from "../records/update";
import { updateOpportunity } from "../opportunities/update";

const CHUNK = 25;

/**
 * Works through a bulk job: each record through the verb a single edit or delete uses (so each is validated and
 * audited on its own, and a deal's stage move writes its stage-change activity), a failure recorded with its
 * message and the rest carried on. Progress is written after every chunk for the polling progress bar.
 */
export async function runBulkJob(input: { db: Database; actor: Actor; id: string }) {
  const { db, actor, id } = input;
  const [job] = await db.http.update(bulkJobs).set({ status: "running", updatedAt: new Date() }).where(sql`${bulkJobs.id} = ${id} and ${bulkJobs.workspaceId} = ${actor.workspaceId} and ${bulkJobs.status} = 'queued'`).returning();
  if (!job) return;
  const def = entityByPlural[job.entity]!;
  let succeeded = 0;
  const failures: BulkFailure[] = [];
  for (let i = 0; i < job.recordIds.length; i += CHUNK) {
    for (const recordId of job.recordIds.slice(i, i + CHUNK)) {
      try {
        if (job.action === "delete") await softDeleteRecord({ db, actor, def, id: recordId });
        else if (def.type === "opportunity") await updateOpportunity({ db, actor, id: recordId, patch: { ...job.changes } });
        else await updateRecord({ db, actor, def, id: recordId, body: { ...job.changes } });
        succeeded++;
      } catch (err) {
        const message = err instanceof ProblemError ? [err.detail, ...((err.extra.errors ?? []).map((e) => `${e.path}: ${e.message}`))].filter(Boolean).join("; ") : "Unexpected error";
        if (!(err instanceof ProblemError)) console.error(JSON.stringify({ level: "error", msg: "bulk job record failed", job: id, recordId, error: String(err) }));
        failures.push({ id: recordId, message });
      }
    }
    const processed = Math.min(i + CHUNK, job.recordIds.length);
    await db.http.update(bulkJobs).set({ processed, succeeded, failures, updatedAt: new Date() }).where(eq(bulkJobs.id, id));
  }
  await db.http.update(bulkJobs).set({ status: "done", finishedAt: new Date(), updatedAt: new Date() }).where(eq(bulkJobs.id, id));
}
