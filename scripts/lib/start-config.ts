import { parse as parseToml } from "smol-toml";
import { configSchema } from "../../worker/config";
import { readFileSync } from "node:fs";

/**
 * The same zod validation the Worker runs, applied before anything starts: wrangler.toml [vars] + secrets.
 * Prints every problem with its fix and exits, instead of a stack trace from deep inside a request.
 */
export function checkStartConfig(overrides: Record<string, string | undefined>) {
  const vars = (parseToml(readFileSync("wrangler.toml", "utf8")).vars ?? {}) as Record<string, string>;
  const result = configSchema.safeParse({ ...vars, ...overrides, ENVIRONMENT: overrides.ENVIRONMENT ?? vars.ENVIRONMENT });
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `  - ${i.path.join(".")} ${i.message}`);
  throw new Error(`Configuration is invalid:\n${lines.join("\n")}\nFix these in wrangler.toml [vars], .dev.vars or the environment.`);
}
