/**
 * `wrangler deploy` with the configuration file built in: validates it (BESPOKE_CONFIG, else bespoke.config.ts; a bad
 * one stops the deploy listing every problem) and passes `--alias bespoke-config:<file>` so the Worker bundles the
 * same file the database was configured from. Extra arguments go to wrangler (`-- --dry-run --outdir …`).
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { loadConfigFile, REPO, workerAliasArgs } from "./lib/config-file";
import { StartError } from "./lib/start-error";
import { tomlAliases } from "./lib/start-config";

let file: Awaited<ReturnType<typeof loadConfigFile>>;
try {
  file = await loadConfigFile();
} catch (err) {
  const e = err as StartError;
  console.error(`deploy: ${e.message.trimEnd()}\n  Fix: ${e.fix ?? "see above"}.`);
  process.exit(1);
}
const args = ["deploy", ...workerAliasArgs(file.path, tomlAliases(path.join(REPO, "wrangler.toml"))), ...process.argv.slice(2)];
const child = spawn(path.join(REPO, "node_modules", ".bin", "wrangler"), args, { cwd: REPO, stdio: "inherit" });
child.on("exit", (code) => process.exit(code ?? 1));
