import { asc, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { workspaces } from "../../db/schema";
import { loadConfig } from "../config";
import { createServices } from "../lib/services";
import { exportWorkspace } from "../services/backup/export";
import { attachmentFiles, backupFiles } from "../services/backup/files";
import { gzipWriter } from "../services/backup/gzip";
import { backupKey, bucketArchive, pruneBackups, putBackup } from "../storage/backups";

export interface BackupOutcome {
  workspaceId: string;
  key?: string;
  bytes?: number;
  rows?: number;
  /** Attachment files copied by this run, already in the archive, and listed by a row but absent from ATTACHMENTS. */
  files?: { copied: number; kept: number; missing: string[] };
  deleted?: string[];
  error?: string;
}

/**
 * One workspace → one gzip file in R2, from a single consistent snapshot, plus the attachment files its rows point
 * to (copied from `attachments` once each); then the oldest backups beyond `keep` go, and files only they needed.
 */
export async function backupWorkspace(
  db: Database,
  bucket: R2Bucket,
  attachments: R2Bucket,
  workspaceId: string,
  at: Date,
  keep: number,
): Promise<BackupOutcome> {
  const { bytes, rows, fileList } = await db.transaction(async (tx) => {
    // Must be the transaction's first statement: every table is then read from the same snapshot.
    await tx.execute(sql`set transaction isolation level repeatable read, read only`);
    const gz = gzipWriter();
    const { rows } = await exportWorkspace(tx, workspaceId, (text) => gz.write(text), at);
    const fileList = await attachmentFiles(tx, workspaceId);
    return { bytes: await gz.finish(), rows: Object.values(rows).reduce((a, b) => a + b, 0), fileList };
  });
  // Files before the backup that lists them: a backup in the bucket always has its files there too.
  const files = await backupFiles(attachments, bucketArchive(bucket, workspaceId), fileList);
  const key = backupKey(workspaceId, at);
  await putBackup(bucket, key, bytes, rows, fileList.map((f) => f.key));
  const deleted = await pruneBackups(bucket, workspaceId, keep);
  return { workspaceId, key, bytes: bytes.length, rows, files, deleted };
}

/**
 * The cron trigger (wrangler.toml [triggers]): backs up every workspace to the BACKUPS bucket, keeping the newest
 * BACKUP_KEEP per workspace. One workspace failing does not stop the others; the run then fails as a whole so the
 * cron's status (and Sentry, when configured) shows it.
 */
export async function runScheduledBackups(env: Env, scheduledTime: number): Promise<BackupOutcome[]> {
  const loaded = loadConfig(env);
  if (!loaded.ok) throw new Error(`backups skipped, configuration is invalid: ${loaded.problems.join("; ")}`);
  const config = loaded.config;
  const { db } = createServices(env, config);
  const at = new Date(scheduledTime);
  const outcomes: BackupOutcome[] = [];
  try {
    const ids = await db.http.select({ id: workspaces.id }).from(workspaces).orderBy(asc(workspaces.id));
    for (const { id } of ids) {
      try {
        const outcome = await backupWorkspace(db, env.BACKUPS, env.ATTACHMENTS, id, at, config.BACKUP_KEEP);
        const { files } = outcome;
        console.log(JSON.stringify({ level: "info", msg: "backup written", ...outcome, files: { ...files, missing: files?.missing.length }, deleted: outcome.deleted?.length ?? 0 }));
        if (files?.missing.length) {
          console.warn(JSON.stringify({ level: "warn", msg: "attachment rows without a file in ATTACHMENTS", workspaceId: id, keys: files.missing.slice(0, 20) }));
        }
        outcomes.push(outcome);
      } catch (err) {
        console.error(JSON.stringify({ level: "error", msg: "backup failed", workspaceId: id, error: String(err) }));
        outcomes.push({ workspaceId: id, error: String(err) });
      }
    }
  } finally {
    await db.close();
  }
  const failed = outcomes.filter((o) => o.error);
  if (failed.length) throw new Error(`backup failed for ${failed.length} of ${outcomes.length} workspaces: ${failed.map((f) => f.workspaceId).join(", ")}`);
  return outcomes;
}
