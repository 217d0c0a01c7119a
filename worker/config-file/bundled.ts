/**
 * The configuration file the Worker runs with, validated once per isolate on first use (the first request), not at
 * import. Two ways in:
 * - built in: `bespoke-config` is a bundler alias (wrangler.toml [alias], tsconfig paths, vitest.config.ts) for
 *   bespoke.config.ts; `npm run deploy` passes `wrangler deploy --alias bespoke-config:<file>` for BESPOKE_CONFIG;
 * - `BESPOKE_CONFIG_JSON`: `npm start` hands the file it validated to `wrangler dev` as this variable (in its private
 *   env file), because `wrangler dev` ignores `--alias`. When set, it wins over the built-in file.
 */
import file from "bespoke-config";
import { type BespokeConfigResult, validateBespokeConfig } from "./define";

let bundled: BespokeConfigResult | undefined;
let fromJson: { json: string; result: BespokeConfigResult } | undefined;

export function bundledConfigFile(): BespokeConfigResult {
  return (bundled ??= validateBespokeConfig(file));
}

/** The configuration for this env: BESPOKE_CONFIG_JSON when set, else the built-in file. */
export function configFileFor(env: object): BespokeConfigResult {
  const json = (env as Record<string, unknown>).BESPOKE_CONFIG_JSON;
  if (typeof json !== "string" || json.trim() === "") return bundledConfigFile();
  if (fromJson?.json !== json) {
    let result: BespokeConfigResult;
    try {
      result = validateBespokeConfig(JSON.parse(json));
    } catch {
      result = { ok: false, problems: ["BESPOKE_CONFIG_JSON is not JSON (npm start writes it; unset it to use the built-in file)"] };
    }
    fromJson = { json, result };
  }
  return fromJson.result;
}

/** BESPOKE_CONFIG_JSON for a dotenv file: JSON whose quotes and backticks inside strings are \u escapes. */
export function configJsonVar(config: unknown): string {
  return JSON.stringify(config).replace(/'/g, "\\u0027").replace(/`/g, "\\u0060");
}
