/**
 * `npm run restore -- <file|dir> [...]`: loads backups (from `npm run backup`, or downloaded from the R2 bucket with
 * `wrangler r2 object get`) into the EMPTY, migrated database at DATABASE_URL, keeping every id, in one transaction.
 * A directory means the newest backup of each workspace under it. Refuses a database that holds any workspace.
 * The attachment files (the `files/` folder beside each backup) go into the local R2 state of `npm start`
 * (`-- --files <wrangler state folder>`, default .data/wrangler) before the transaction commits; a backup whose
 * files are not all there is refused, writing nothing (`-- --no-files` restores the rows alone).
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import type { Executor } from "../db/client";
import * as schema from "../db/schema";
import { gunzipText } from "../worker/services/backup/gzip";
import { type BackupDocument, parseBackup, RestoreError, restoreBackups } from "../worker/services/backup/restore";
import { filesOfBackup, restoreFiles } from "../worker/services/backup/files";
import { folderArchive, localAttachments } from "./lib/local-files";

const url = process.env.DATABASE_URL;
const args = process.argv.slice(2);
const filesAt = args.indexOf("--files");
const filesState = args.includes("--no-files") ? undefined : filesAt >= 0 ? args[filesAt + 1]! : ".data/wrangler";
const inputs = args.filter((a, i) => !a.startsWith("--") && !(filesAt >= 0 && i === filesAt + 1));
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
      if (statSync(p).isDirectory()) {
        if (name !== "files") walk(p); // attachment files, not backups
      }
      else if (/\.json(\.gz)?$/.test(name) && !name.endsWith(".files.json")) all.push(p);
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
  // The files/ folder of every backup with attachments must be at hand before anything is written.
  const archives = docs.map((d, i) => {
    const dir = path.join(path.dirname(files[i]!), "files");
    return { dir, archive: folderArchive(dir), files: filesOfBackup(d.tables), doc: d };
  });
  for (const a of filesState ? archives : []) {
    if (a.files.length > 0 && !existsSync(a.dir)) {
      throw new RestoreError(`The backup of workspace ${a.doc.workspaceId} lists ${a.files.length} attachment files but ${a.dir} is missing: put the files/ folder npm run backup wrote beside it, or pass --no-files to restore the rows alone`);
    }
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const local = filesState ? await localAttachments(filesState) : undefined;
  try {
    const db = drizzle({ client, schema }) as unknown as Executor;
    let restoredFiles = 0;
    const { rows } = await db.transaction(async (tx) => {
      const result = await restoreBackups(tx as unknown as Executor, docs);
      // Inside the transaction: if a file cannot be written, no row is committed either.
      for (const a of local ? archives : []) {
        const r = await restoreFiles(a.archive, local!.bucket, a.files);
        restoredFiles += r.restored;
        // Rows whose file was already gone when the backup was taken: restored as they were (their download 404s).
        if (r.missing.length) console.error(`restore: ${r.missing.length} attachment files of workspace ${a.doc.workspaceId} are not in ${a.dir}: ${r.missing.slice(0, 5).join(", ")}`);
      }
      return result;
    });
    if (local) console.log(`restore: ${restoredFiles} attachment files into ${filesState}`);
    for (const [i, d] of docs.entries()) console.log(`restore: ${files[i]} (workspace ${d.workspaceId}, taken ${d.createdAt})`);
    console.log(`restore: ${Object.values(rows).reduce((a, b) => a + b, 0)} rows into ${new URL(url).host}${new URL(url).pathname}`);
  } finally {
    await client.end();
    await local?.dispose();
  }
} catch (err) {
  console.error(`restore: ${err instanceof RestoreError ? err.message : err instanceof Error ? err.stack : String(err)}`);
  process.exit(1);
}
