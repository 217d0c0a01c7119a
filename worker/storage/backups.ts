import type { FileArchive } from "../services/backup/files";

/**
 * R2 layout of backups, per workspace:
 * - `backups/<workspaceId>/<timestamp>.json.gz`: the database rows; the timestamp sorts chronologically as text;
 * - `backups/<workspaceId>/<timestamp>.files.json`: the attachment keys that backup needs (for pruning);
 * - `backups/<workspaceId>/files/<attachment key>`: each attachment file once, shared by every backup that lists it.
 */
export const backupPrefix = (workspaceId: string) => `backups/${workspaceId}/`;
const filesPrefix = (workspaceId: string) => `${backupPrefix(workspaceId)}files/`;
const manifestKey = (key: string) => key.replace(/\.json\.gz$/, ".files.json");

export const backupKey = (workspaceId: string, at: Date) =>
  `${backupPrefix(workspaceId)}${at.toISOString().replace(/[:.]/g, "-")}.json.gz`;

export async function putBackup(bucket: R2Bucket, key: string, bytes: Uint8Array, rows: number, fileKeys: string[] = []): Promise<void> {
  await bucket.put(key, bytes, {
    httpMetadata: { contentType: "application/json", contentEncoding: "gzip" },
    customMetadata: { rows: String(rows), files: String(fileKeys.length) },
  });
  await bucket.put(manifestKey(key), JSON.stringify(fileKeys), { httpMetadata: { contentType: "application/json" } });
}

async function listKeys(bucket: R2Bucket, prefix: string, delimiter?: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix, cursor, delimiter });
    keys.push(...page.objects.map((o) => o.key));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return keys;
}

/** All backup keys of a workspace, oldest first. */
export async function listBackups(bucket: R2Bucket, workspaceId: string): Promise<string[]> {
  return (await listKeys(bucket, backupPrefix(workspaceId), "/")).filter((k) => k.endsWith(".json.gz")).sort();
}

/** The workspace's attachment files in the backup bucket. */
export function bucketArchive(bucket: R2Bucket, workspaceId: string): FileArchive {
  const prefix = filesPrefix(workspaceId);
  return {
    async keys() {
      return new Set((await listKeys(bucket, prefix)).map((k) => k.slice(prefix.length)));
    },
    async get(key) {
      const object = await bucket.get(prefix + key);
      return object ? new Uint8Array(await object.arrayBuffer()) : null;
    },
    async put(key, bytes, contentType) {
      await bucket.put(prefix + key, bytes, { httpMetadata: { contentType } });
    },
  };
}

/**
 * Deletes all but the newest `keep` backups of a workspace, then the archived files none of the kept backups lists
 * (attachments deleted since). Returns the deleted backup keys.
 */
export async function pruneBackups(bucket: R2Bucket, workspaceId: string, keep: number): Promise<string[]> {
  const keys = await listBackups(bucket, workspaceId);
  const stale = keys.slice(0, Math.max(0, keys.length - keep));
  const doomed = [...stale, ...stale.map(manifestKey)];
  // R2 deletes up to 1000 keys per call.
  for (let i = 0; i < doomed.length; i += 1000) await bucket.delete(doomed.slice(i, i + 1000));

  const needed = new Set<string>();
  for (const key of keys.slice(stale.length)) {
    const manifest = await bucket.get(manifestKey(key));
    // A kept backup from before files were backed up names none: keep every file rather than guess.
    if (!manifest) return stale;
    for (const file of (await manifest.json()) as string[]) needed.add(file);
  }
  const prefix = filesPrefix(workspaceId);
  const unused = (await listKeys(bucket, prefix)).filter((k) => !needed.has(k.slice(prefix.length)));
  for (let i = 0; i < unused.length; i += 1000) await bucket.delete(unused.slice(i, i + 1000));
  return stale;
}
