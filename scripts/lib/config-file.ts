/**
 * Finding, loading and validating the deployment's configuration file in Node (npm start, npm run deploy, tests).
 * `BESPOKE_CONFIG` picks another file: a folder holding a bespoke.config.ts (`examples/recruiting`) or a file path;
 * default: bespoke.config.ts at the repository root. The Worker gets the same file through the `bespoke-config`
 * bundler alias (wrangler.toml [alias]; `wrangler dev/deploy --alias` for another file): see `workerAlias`.
 */
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type BespokeConfig, validateBespokeConfig } from "../../worker/config-file/define";
import { StartError } from "./start-error";

export const REPO = fileURLToPath(new URL("../..", import.meta.url));
export const CONFIG_FILE_NAME = "bespoke.config.ts";

/** Absolute path of the configuration file `spec` names (a folder or a file; relative to the repository). */
export function resolveConfigPath(spec: string | undefined = process.env.BESPOKE_CONFIG): string {
  const raw = spec?.trim() ? spec.trim() : CONFIG_FILE_NAME;
  const abs = path.resolve(REPO, raw);
  if (existsSync(abs) && statSync(abs).isDirectory()) return path.join(abs, CONFIG_FILE_NAME);
  return abs;
}

/** The path as a person reads it: relative to the repository when inside it. */
export function displayPath(abs: string): string {
  const rel = path.relative(REPO, abs);
  return rel && !rel.startsWith("..") ? rel : abs;
}

export interface LoadedConfigFile {
  path: string;
  config: BespokeConfig;
}

/**
 * Imports and validates the configuration file. Every problem of the file is listed in one StartError (the start or
 * deploy stops with it); a missing file or one that does not compile says so.
 */
export async function loadConfigFile(spec?: string): Promise<LoadedConfigFile> {
  const file = resolveConfigPath(spec);
  const shown = displayPath(file);
  if (!existsSync(file)) {
    throw new StartError(
      `The configuration file ${shown} does not exist`,
      `create it (copy bespoke.config.ts or one of examples/*/bespoke.config.ts), or point BESPOKE_CONFIG at a folder that holds one`,
    );
  }
  let mod: { default?: unknown };
  try {
    // A query string per load: a test (or a long-lived process) may load the same path after editing it.
    mod = (await import(`${pathToFileURL(file).href}?t=${Date.now()}`)) as { default?: unknown };
  } catch (err) {
    throw new StartError(`${shown} could not be loaded: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`, "fix the TypeScript error it names (`npm run typecheck` shows it with its line)");
  }
  if (mod.default === undefined) throw new StartError(`${shown} has no default export`, "end it with `export default defineConfig({ … })`");
  const result = validateBespokeConfig(mod.default);
  if (!result.ok) {
    throw new StartError(
      `${shown} is invalid (${result.problems.length} problem${result.problems.length === 1 ? "" : "s"}):\n${result.problems.map((p) => `  - ${p}`).join("\n")}\n`,
      `correct ${result.problems.length === 1 ? "it" : "them"} in ${shown} (CUSTOMIZING.md documents every section)`,
    );
  }
  return { path: file, config: result.config };
}

/**
 * `--alias` arguments that build the Worker with this configuration file instead of the root one. wrangler dev
 * replaces wrangler.toml's [alias] table with the command line's, so the table's entries are repeated.
 */
export function workerAliasArgs(file: string, tomlAliases: Record<string, string>): string[] {
  const aliases = { ...tomlAliases, "bespoke-config": `./${path.relative(REPO, file).split(path.sep).join("/")}` };
  return Object.entries(aliases).flatMap(([k, v]) => ["--alias", `${k}:${v}`]);
}
