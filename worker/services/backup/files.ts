import { sql } from "drizzle-orm";
import { rowsOf, type Executor } from "../../../db/client";

/**
 * The attachment files of a backup. The database backup holds each attachment's row (name, type, R2 key); these
 * functions copy the bytes behind the rows, so a restore into a fresh bucket serves every listed file again.
 * Attachment keys are never reused for other content (a random uuid per upload), so a file already in the archive
 * is never copied again: each daily backup copies only the files uploaded since the last one.
 * Works on the Worker's R2 buckets and on Node's (Miniflare's local R2 for `npm run backup`), hence the minimal
 * bucket shape below.
 */

/** The part of R2Bucket the copy needs (Workers' and Miniflare's buckets both fit). */
export interface FileBucket {
  get(key: string): Promise<{ arrayBuffer(): Promise<ArrayBuffer>; httpMetadata?: { contentType?: string } } | null>;
  put(key: string, value: ArrayBuffer, options?: { httpMetadata?: { contentType?: string } }): Promise<unknown>;
}

/** Where a backup's files are kept: a prefix of the BACKUPS bucket, or a folder beside `npm run backup`'s files. */
export interface FileArchive {
  /** Every key already archived. */
  keys(): Promise<Set<string>>;
  get(key: string): Promise<Uint8Array | null>;
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
}

export interface BackedUpFile {
  key: string;
  contentType: string;
}

/** The files a workspace's attachment rows point to (run it in the backup's snapshot transaction). */
export async function attachmentFiles(db: Executor, workspaceId: string): Promise<BackedUpFile[]> {
  const result = await db.execute(sql`select r2_key as key, content_type as "contentType" from attachments where workspace_id = ${workspaceId} order by r2_key`);
  return rowsOf<BackedUpFile>(result);
}

/** The files of a backup document's attachment rows (for a restore). */
export function filesOfBackup(tables: Record<string, Record<string, unknown>[]>): BackedUpFile[] {
  return (tables.attachments ?? []).map((row) => ({ key: String(row.r2_key), contentType: String(row.content_type) }));
}

/**
 * Copies into `archive` each file it does not hold yet. A row whose object is gone from the bucket (a delete whose
 * purge is pending, or an object lost before) is reported in `missing`, not fatal: the rest still gets backed up.
 */
export async function backupFiles(source: FileBucket, archive: FileArchive, files: BackedUpFile[]): Promise<{ copied: number; kept: number; missing: string[] }> {
  const archived = await archive.keys();
  let copied = 0;
  const missing: string[] = [];
  for (const file of files) {
    if (archived.has(file.key)) continue;
    const object = await source.get(file.key);
    if (!object) {
      missing.push(file.key);
      continue;
    }
    await archive.put(file.key, new Uint8Array(await object.arrayBuffer()), object.httpMetadata?.contentType ?? file.contentType);
    copied++;
  }
  return { copied, kept: files.length - copied - missing.length, missing };
}

/** Puts each file of a restored backup back into the attachments bucket, under the key its row names. */
export async function restoreFiles(archive: FileArchive, target: FileBucket, files: BackedUpFile[]): Promise<{ restored: number; missing: string[] }> {
  let restored = 0;
  const missing: string[] = [];
  for (const file of files) {
    const bytes = await archive.get(file.key);
    if (!bytes) {
      missing.push(file.key);
      continue;
    }
    await target.put(file.key, bytes.slice().buffer, { httpMetadata: { contentType: file.contentType } });
    restored++;
  }
  return { restored, missing };
}
