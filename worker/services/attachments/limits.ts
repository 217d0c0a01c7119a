import { and, eq, isNull, sql } from "drizzle-orm";
import type { Executor } from "../../../db/client";
import { attachments } from "../../../db/schema";
import type { Config } from "../../config";
import { ProblemError } from "../../lib/errors";
import type { RateLimiterNamespace } from "../../lib/services";

/**
 * Per-uploader rate (UPLOADS_PER_MINUTE, kept in the RATE_LIMITER Durable Object so it holds across isolates).
 * Spends one upload: a refused file still counts, which is what slows a script down.
 */
export async function assertUploadRate(input: { limiter: RateLimiterNamespace; config: Pick<Config, "UPLOADS_PER_MINUTE">; workspaceId: string; principal: string }): Promise<void> {
  const { config } = input;
  const bucket = input.limiter.get(input.limiter.idFromName(`upload:${input.workspaceId}:${input.principal}`));
  const r = await bucket.hit(config.UPLOADS_PER_MINUTE, 60, 1);
  if (r.allowed) return;
  throw new ProblemError(
    429,
    "Too Many Requests",
    `You uploaded ${config.UPLOADS_PER_MINUTE} files in the last minute, the most allowed (UPLOADS_PER_MINUTE); try again in ${r.retryAfter} seconds`,
    { retryAfter: r.retryAfter },
    { "Retry-After": String(r.retryAfter) },
  );
}

/**
 * The workspace's storage quota (UPLOAD_WORKSPACE_QUOTA_BYTES, 0 = none): live files plus this one must fit.
 * Checked before the object is stored; two uploads racing past the last free bytes can overshoot by one file each,
 * which the per-user rate bounds. Deleted files free their bytes at once.
 */
export async function assertWorkspaceQuota(input: { db: Executor; quotaBytes: number; workspaceId: string; size: number }): Promise<void> {
  const quota = input.quotaBytes;
  if (quota === 0) return;
  // An index-only scan of attachments_ws_live_size_idx: one workspace's live rows, never the table.
  const [row] = await input.db
    .select({ used: sql<string>`coalesce(sum(${attachments.size}), 0)` })
    .from(attachments)
    .where(and(eq(attachments.workspaceId, input.workspaceId), isNull(attachments.deletedAt)));
  const used = Number(row?.used ?? 0);
  if (used + input.size <= quota) return;
  throw new ProblemError(
    413,
    "Content Too Large",
    `The workspace's file storage is full: ${formatBytes(used)} of ${formatBytes(quota)} used, and this file needs ${formatBytes(input.size)}. Delete files you no longer need, or ask the operator to raise UPLOAD_WORKSPACE_QUOTA_BYTES.`,
    { errors: [{ path: "file", message: "exceeds the workspace's storage quota" }], quotaBytes: quota, usedBytes: used },
  );
}

const formatBytes = (n: number) =>
  n >= 1024 ** 3 ? `${(n / 1024 ** 3).toFixed(1)} GiB` : n >= 1024 ** 2 ? `${(n / 1024 ** 2).toFixed(1)} MiB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${n} bytes`;
