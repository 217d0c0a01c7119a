/**
 * The configuration file the Worker was built with. `bespoke-config` is a bundler alias (wrangler.toml [alias],
 * tsconfig paths, vitest.config.ts): bespoke.config.ts by default; `npm start` / deploy pass `--alias` for another
 * file (BESPOKE_CONFIG). Validated once per isolate, on first use (the first request), not at import.
 */
import file from "bespoke-config";
import { type BespokeConfigResult, validateBespokeConfig } from "./define";

let result: BespokeConfigResult | undefined;

export function bundledConfigFile(): BespokeConfigResult {
  return (result ??= validateBespokeConfig(file));
}
