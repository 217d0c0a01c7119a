import type { bulkJobs } from "../../../db/schema";

/** A bulk job as the API answers it (without the record ids, which may be ten thousand). */
export function bulkJobOut(row: typeof bulkJobs.$inferSelect) {
  return {
    id: row.id,
    entity: row.entity as "accounts",
    action: row.action as "update" | "delete",
    status: row.status as "queued" | "running" | "done",
    total: row.total,
    processed: row.processed,
    succeeded: row.succeeded,
    failed: row.failures.length,
    failures: row.failures.slice(0, 200),
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}
