import { existsSync, readFileSync } from "node:fs";
import { parse as parseToml } from "smol-toml";
import { type Config, configSchema, resolveConfig } from "../../worker/config";
import type { BespokeConfig } from "../../worker/config-file/define";

/** Every variable the Worker reads (worker/config.ts; README → Configuration documents the same list). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(configSchema.in.shape);

export type Source = "environment" | ".dev.vars" | "wrangler.toml" | "default" | "the configuration file";

export interface StartInputs {
  /** What the Worker gets on top of wrangler.toml [vars]: documented variables from the environment, and .dev.vars. */
  values: Record<string, string>;
  /** Where each documented variable that is set came from (the first of: environment, .dev.vars, wrangler.toml). */
  sources: Record<string, Source>;
}

export function tomlVars(file = "wrangler.toml"): Record<string, string> {
  return (parseToml(readFileSync(file, "utf8")).vars ?? {}) as Record<string, string>;
}

/** wrangler.toml's [alias] table (module → file the Worker bundle uses instead). */
export function tomlAliases(file = "wrangler.toml"): Record<string, string> {
  return (parseToml(readFileSync(file, "utf8")).alias ?? {}) as Record<string, string>;
}

/** `.dev.vars` (dotenv syntax) as wrangler reads it; empty when there is none. */
export function readDevVars(file = ".dev.vars"): Record<string, string> {
  if (!existsSync(file)) return {};
  return Object.fromEntries(
    readFileSync(file, "utf8")
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith("#") && l.includes("="))
      .map((l) => [l.slice(0, l.indexOf("=")).replace(/^export\s+/, "").trim(), l.slice(l.indexOf("=") + 1).trim().replace(/^(["'`])(.*)\1$/, "$2")]),
  );
}

/**
 * `npm start`'s configuration: a documented variable exported in the environment wins over `.dev.vars`, which wins
 * over wrangler.toml [vars] (so `OPENAI_API_KEY=… npm start` works as it reads). Undocumented names in the
 * environment are never passed on (PATH, HOME … are no Worker bindings); `.dev.vars` is passed whole, as wrangler
 * would.
 */
export function startInputs(env: Record<string, string | undefined>, devVars: Record<string, string>, toml: Record<string, string>): StartInputs {
  const values: Record<string, string> = { ...devVars };
  const sources: Record<string, Source> = {};
  for (const key of CONFIG_VARIABLES) {
    const fromEnv = env[key];
    if (fromEnv !== undefined) {
      values[key] = fromEnv;
      sources[key] = "environment";
    } else if (key in devVars) sources[key] = ".dev.vars";
    else if (toml[key] !== undefined && toml[key] !== "") sources[key] = "wrangler.toml";
  }
  return { values, sources };
}

/** What `npm start` prints about the AI provider and the branding in effect, naming where each came from. */
export function describeStart(config: Config, sources: Record<string, Source>): string[] {
  const from = (key: string) => sources[key] ?? (config.bespoke && key.startsWith("BRAND_") ? "the configuration file" : "default");
  const ai = config.OPENAI_API_KEY
    ? `AI: OpenAI${config.OPENAI_BASE_URL ? `-compatible server at ${config.OPENAI_BASE_URL}` : ""}, model ${config.OPENAI_MODEL} (OPENAI_API_KEY from ${from("OPENAI_API_KEY")})`
    : "AI: the offline engine (no OPENAI_API_KEY in the environment, .dev.vars or wrangler.toml)";
  const logo = config.BRAND_LOGO_URL ? `logo ${config.BRAND_LOGO_URL}` : "monogram icon";
  const branding =
    `Branding: "${config.BRAND_NAME}", accent ${config.BRAND_ACCENT_COLOR}, ${logo} ` +
    `(name from ${from("BRAND_NAME")}, colour from ${from("BRAND_ACCENT_COLOR")})`;
  return [ai, branding];
}

/**
 * The same zod validation the Worker runs, applied before anything starts: wrangler.toml [vars] + secrets, over the
 * configuration file's branding and AI privacy (a variable set anywhere wins over the file).
 * Prints every problem with its fix and exits, instead of a stack trace from deep inside a request.
 */
export function checkStartConfig(overrides: Record<string, string | undefined>, file?: BespokeConfig): Config {
  const vars = tomlVars();
  const env = { ...vars, ...overrides, ENVIRONMENT: overrides.ENVIRONMENT ?? vars.ENVIRONMENT };
  if (file) {
    const result = resolveConfig(env, { ok: true, config: file });
    if (result.ok) return result.config;
    throw new Error(`Configuration is invalid:\n${result.problems.map((p) => `  - ${p}`).join("\n")}\nFix these in wrangler.toml [vars], .dev.vars or the environment.`);
  }
  const result = configSchema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `  - ${i.path.join(".")} ${i.message}`);
  throw new Error(`Configuration is invalid:\n${lines.join("\n")}\nFix these in wrangler.toml [vars], .dev.vars or the environment.`);
}
