/**
 * `npm run backup`: the scheduled Worker's export, on demand from this machine. Every workspace (or
 * `-- --workspace <id>`) of DATABASE_URL → `.data/backups/<workspaceId>/<timestamp>.json.gz` (or `-- --out <dir>`),
 * the same gzip JSON the Worker writes to R2, so `npm run restore` reads either; and the attachment files its rows
 * point to → `.data/backups/<workspaceId>/files/<key>`, from the local R2 state of `npm start` (`-- --files <wrangler
 * state folder>`, default .data/wrangler; `-- --no-files` skips them). A file already there is not copied again.
 * The files contain password hashes and webhook secrets: keep them as private as the database.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import { rowsOf, type Executor } from "../db/client";
import * as schema from "../db/schema";
import { exportWorkspace } from "../worker/services/backup/export";
import { attachmentFiles, type BackedUpFile, backupFiles } from "../worker/services/backup/files";
import { gzipWriter } from "../worker/services/backup/gzip";
import { folderArchive, localAttachments } from "./lib/local-files";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("DATABASE_URL is not set: export the connection string of the database to back up.");
  process.exit(1);
}
const outDir = arg("out") ?? ".data/backups";
const only = arg("workspace");
const filesState = process.argv.includes("--no-files") ? undefined : (arg("files") ?? ".data/wrangler");
if (filesState && !existsSync(filesState)) {
  console.error(`backup: no local attachment store at ${filesState}: pass --files <wrangler state folder>, or --no-files to back up the database alone`);
  process.exit(1);
}
const at = new Date();
const stamp = at.toISOString().replace(/[:.]/g, "-");

const client = new pg.Client({ connectionString: url });
await client.connect();
try {
  const db = drizzle({ client, schema }) as unknown as Executor;
  const ids = only
    ? [only]
    : rowsOf<{ id: string }>(await db.execute(sql`select id from workspaces order by id`)).map((r) => r.id);
  if (ids.length === 0) console.log("backup: the database has no workspace: nothing to write");
  for (const id of ids) {
    const gz = gzipWriter();
    // One snapshot for all tables of the workspace.
    await client.query("begin isolation level repeatable read read only");
    let rows: Record<string, number>;
    let files: BackedUpFile[];
    try {
      ({ rows } = await exportWorkspace(db, id, (text) => gz.write(text), at));
      files = await attachmentFiles(db, id);
      await client.query("commit");
    } catch (err) {
      await client.query("rollback");
      throw err;
    }
    if (rows.workspaces === 0) throw new Error(`no workspace ${id} in this database`);
    const bytes = await gz.finish();
    const file = path.join(outDir, id, `${stamp}.json.gz`);
    mkdirSync(path.dirname(file), { recursive: true });
    // The files first: a backup file on disk always has its attachment files beside it.
    let copiedFiles = "attachment files skipped (--no-files)";
    if (filesState) {
      const local = await localAttachments(filesState);
      try {
        const r = await backupFiles(local.bucket, folderArchive(path.join(outDir, id, "files")), files);
        copiedFiles = `${files.length} attachment files (${r.copied} copied, ${r.kept} already there)`;
        if (r.missing.length) console.error(`backup: ${r.missing.length} attachment rows have no file in ${filesState}: ${r.missing.slice(0, 5).join(", ")}`);
      } finally {
        await local.dispose();
      }
    }
    writeFileSync(file, bytes, { mode: 0o600 });
    const total = Object.values(rows).reduce((a, b) => a + b, 0);
    console.log(`backup: ${file} (${total} rows, ${(bytes.length / 1024).toFixed(1)} KiB; ${copiedFiles})`);
  }
} finally {
  await client.end();
}
