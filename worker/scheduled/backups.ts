import { asc, sql } from "drizzle-orm";
import { createDatabase, type Database } from "../../db/client";
import { workspaces } from "../../db/schema";
import { loadConfig } from "../config";
import { exportWorkspace } from "../services/backup/export";
import { gzipWriter } from "../services/backup/gzip";
import { backupKey, pruneBackups, putBackup } from "../storage/backups";

export interface BackupOutcome {
  workspaceId: string;
  key?: string;
  bytes?: number;
  rows?: number;
  deleted?: string[];
  error?: string;
}

/** One workspace → one gzip file in R2, from a single consistent snapshot; then the oldest beyond `keep` go. */
export async function backupWorkspace(db: Database, bucket: R2Bucket, workspaceId: string, at: Date, keep: number): Promise<BackupOutcome> {
  const { bytes, rows } = await db.transaction(async (tx) => {
    // Must be the transaction's first statement: every table is then read from the same snapshot.
    await tx.execute(sql`set transaction isolation level repeatable read, read only`);
    const gz = gzipWriter();
    const { rows } = await exportWorkspace(tx, workspaceId, (text) => gz.write(text), at);
    return { bytes: await gz.finish(), rows: Object.values(rows).reduce((a, b) => a + b, 0) };
  });
  const key = backupKey(workspaceId, at);
  await putBackup(bucket, key, bytes, rows);
  const deleted = await pruneBackups(bucket, workspaceId, keep);
  return { workspaceId, key, bytes: bytes.length, rows, deleted };
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
  const db = createDatabase(config.DATABASE_URL, config.NEON_LOCAL_PROXY);
  const at = new Date(scheduledTime);
  const outcomes: BackupOutcome[] = [];
  try {
    const ids = await db.http.select({ id: workspaces.id }).from(workspaces).orderBy(asc(workspaces.id));
    for (const { id } of ids) {
      try {
        const outcome = await backupWorkspace(db, env.BACKUPS, id, at, config.BACKUP_KEEP);
        console.log(JSON.stringify({ level: "info", msg: "backup written", ...outcome, deleted: outcome.deleted?.length ?? 0 }));
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
