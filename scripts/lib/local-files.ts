/**
 * Attachment files on this machine for `npm run backup` / `npm run restore`: the local R2 bucket `npm start` keeps
 * (wrangler's state folder, through wrangler's own getPlatformProxy) and a backup's `files/` folder.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse as parseToml } from "smol-toml";
import type { FileArchive, FileBucket } from "../../worker/services/backup/files";

/** The ATTACHMENTS bucket of a wrangler state folder (`npm start` uses .data/wrangler). */
export async function localAttachments(stateDir: string): Promise<{ bucket: FileBucket; dispose(): Promise<void> }> {
  const toml = parseToml(readFileSync("wrangler.toml", "utf8")) as { compatibility_date: string; r2_buckets?: { binding: string; bucket_name: string }[] };
  const bucketName = toml.r2_buckets?.find((b) => b.binding === "ATTACHMENTS")?.bucket_name ?? "bespoke-crm-attachments";
  // A config with the bucket alone: the app's own would also start its Durable Objects and queues, and warn.
  const dir = mkdtempSync(path.join(tmpdir(), "bespoke-files-"));
  const configPath = path.join(dir, "wrangler.json");
  writeFileSync(configPath, JSON.stringify({ name: "bespoke-crm-files", compatibility_date: toml.compatibility_date, r2_buckets: [{ binding: "ATTACHMENTS", bucket_name: bucketName }] }));
  process.env.WRANGLER_SEND_METRICS ??= "false";
  process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= "false";
  const { getPlatformProxy } = await import("wrangler");
  const proxy = await getPlatformProxy<{ ATTACHMENTS: FileBucket }>({
    configPath,
    persist: { path: path.resolve(stateDir, "v3") },
    remoteBindings: false,
    envFiles: [],
  });
  return {
    bucket: proxy.env.ATTACHMENTS,
    async dispose() {
      await proxy.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A backup's files as plain files: `<dir>/<attachment key>` (keys are `ws/<id>/…`, so they nest). */
export function folderArchive(dir: string): FileArchive {
  const fileOf = (key: string) => {
    const file = path.resolve(dir, key);
    // Keys come from the database of a backup file: never let one point outside the folder.
    if (!file.startsWith(path.resolve(dir) + path.sep)) throw new Error(`attachment key ${key} leaves ${dir}`);
    return file;
  };
  return {
    async keys() {
      const keys = new Set<string>();
      const walk = (d: string) => {
        for (const name of readdirSync(d)) {
          const p = path.join(d, name);
          if (statSync(p).isDirectory()) walk(p);
          else keys.add(path.relative(dir, p).split(path.sep).join("/"));
        }
      };
      if (existsSync(dir)) walk(dir);
      return keys;
    },
    async get(key) {
      const file = fileOf(key);
      return existsSync(file) ? new Uint8Array(readFileSync(file)) : null;
    },
    async put(key, bytes) {
      const file = fileOf(key);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, bytes, { mode: 0o600 });
    },
  };
}
