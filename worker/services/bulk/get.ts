import { and, eq } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { bulkJobs } from "../../../db/schema";
import { NotFoundError } from "../../lib/errors";
import type { Actor } from "../audit/record";
import { bulkJobOut } from "./job-out";

/** A bulk job's progress, for the user who started it (polled by the progress bar). */
export async function getBulkJob(input: { db: Database; actor: Actor; id: string }) {
  const { db, actor, id } = input;
  const [row] = await db.http.select().from(bulkJobs).where(and(eq(bulkJobs.id, id), eq(bulkJobs.workspaceId, actor.workspaceId), eq(bulkJobs.userId, actor.userId!)));
  if (!row) throw new NotFoundError("Bulk job");
  return bulkJobOut(row);
}
