/**
 * `npm run restore -- <file|dir> [...]`: loads backups (from `npm run backup`, or downloaded from the R2 bucket with
 * `wrangler r2 object get`) into the EMPTY, migrated database at DATABASE_URL, keeping every id, in one transaction.
 * A directory means the newest backup of each workspace under it. Refuses a database that holds any workspace.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import type { Executor } from "../db/client";
import * as schema from "../db/schema";
import { gunzipText } from "../worker/services/backup/gzip";
import { type BackupDocument, parseBackup, RestoreError, restoreBackups } from "../worker/services/backup/restore";

const url = process.env.DATABASE_URL;
const inputs = process.argv.slice(2).filter((a) => !a.startsWith("--"));
if (!url || inputs.length === 0) {
  console.error("usage: DATABASE_URL=postgres://… npm run restore -- <backup.json.gz | directory> [...]");
  process.exit(1);
}

/** Backup files under a directory, newest per workspace (file names are timestamps, so they sort by time). */
function filesIn(dir: string): string[] {
  const all: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = path.join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.json(\.gz)?$/.test(name)) all.push(p);
    }
  };
  walk(dir);
  const newest = new Map<string, string>();
  for (const f of all.sort()) newest.set(path.dirname(f), f);
  return [...newest.values()];
}

async function read(file: string): Promise<BackupDocument> {
  const bytes = readFileSync(file);
  const gzipped = bytes[0] === 0x1f && bytes[1] === 0x8b;
  return parseBackup(gzipped ? await gunzipText(bytes) : bytes.toString("utf8"), file);
}

try {
  const files = inputs.flatMap((p) => (statSync(p).isDirectory() ? filesIn(p) : [p]));
  const docs = await Promise.all(files.map(read));
  const seen = new Map<string, string>();
  docs.forEach((d, i) => {
    if (seen.has(d.workspaceId)) throw new RestoreError(`${files[i]} and ${seen.get(d.workspaceId)} are both backups of workspace ${d.workspaceId}: pick one`);
    seen.set(d.workspaceId, files[i]!);
  });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const db = drizzle({ client, schema }) as unknown as Executor;
    const { rows } = await db.transaction((tx) => restoreBackups(tx as unknown as Executor, docs));
    for (const [i, d] of docs.entries()) console.log(`restore: ${files[i]} (workspace ${d.workspaceId}, taken ${d.createdAt})`);
    console.log(`restore: ${Object.values(rows).reduce((a, b) => a + b, 0)} rows into ${new URL(url).host}${new URL(url).pathname}`);
  } finally {
    await client.end();
  }
} catch (err) {
  console.error(`restore: ${err instanceof RestoreError ? err.message : err instanceof Error ? err.stack : String(err)}`);
  process.exit(1);
}
