/** R2 keys for backups: `backups/<workspaceId>/<timestamp>.json.gz`; the timestamp sorts chronologically as text. */
export const backupPrefix = (workspaceId: string) => `backups/${workspaceId}/`;

export const backupKey = (workspaceId: string, at: Date) =>
  `${backupPrefix(workspaceId)}${at.toISOString().replace(/[:.]/g, "-")}.json.gz`;

export async function putBackup(bucket: R2Bucket, key: string, bytes: Uint8Array, rows: number): Promise<void> {
  await bucket.put(key, bytes, {
    httpMetadata: { contentType: "application/json", contentEncoding: "gzip" },
    customMetadata: { rows: String(rows) },
  });
}

/** All backup keys of a workspace, oldest first. */
export async function listBackups(bucket: R2Bucket, workspaceId: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix: backupPrefix(workspaceId), cursor });
    keys.push(...page.objects.map((o) => o.key));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return keys.sort();
}

/** Deletes all but the newest `keep` backups of a workspace; returns the deleted keys. */
export async function pruneBackups(bucket: R2Bucket, workspaceId: string, keep: number): Promise<string[]> {
  const keys = await listBackups(bucket, workspaceId);
  const stale = keys.slice(0, Math.max(0, keys.length - keep));
  // R2 deletes up to 1000 keys per call.
  for (let i = 0; i < stale.length; i += 1000) await bucket.delete(stale.slice(i, i + 1000));
  return stale;
}
