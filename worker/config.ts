import { z } from "zod";

const intVar = (def: number, min = 0) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === "") return def;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min) {
        ctx.addIssue({ code: "custom", message: `must be a whole number ≥ ${min} (got "${v}")` });
        return z.NEVER;
      }
      return n;
    });

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() !== "" ? v.trim() : undefined));

/**
 * Every variable and secret the Worker reads, validated once per isolate. The description of each field is the
 * fix shown to a deployer when it is wrong (README → Configuration documents the same list).
 */
export const configSchema = z
  .object({
    ENVIRONMENT: z.enum(["development", "test", "production"]).default("development"),
    DATABASE_URL: z
      .string({ error: "is missing: set it with `wrangler secret put DATABASE_URL` (or in .dev.vars)" })
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// connection string"),
    JWT_SECRET: z
      .string({ error: "is missing: set a random string of 32+ characters with `wrangler secret put JWT_SECRET`" })
      .min(16, "must be at least 16 characters"),
    JWT_SECRET_PREVIOUS: optionalText,
    JWT_TTL_SECONDS: intVar(3600, 60),
    NEON_LOCAL_PROXY: optionalText,
    BRAND_NAME: z.string().optional().transform((v) => v?.trim() || "Bespoke CRM"),
    BRAND_ACCENT_COLOR: z
      .string()
      .optional()
      .transform((v) => v?.trim() || "#4f46e5")
      .pipe(z.string().regex(/^#[0-9a-fA-F]{6}$/, "must be a colour like #4f46e5")),
    BRAND_LOGO_URL: optionalText,
    OPENAI_API_KEY: optionalText,
    OPENAI_BASE_URL: optionalText,
    OPENAI_MODEL: z.string().optional().transform((v) => v?.trim() || "gpt-5-mini"),
    AI_REQUESTS_PER_MINUTE: intVar(20, 1),
    AI_TOKENS_PER_DAY: intVar(200_000, 1),
    UPLOAD_MAX_BYTES: intVar(25 * 1024 * 1024, 1),
    CORS_ORIGINS: z
      .string()
      .optional()
      .transform((v) => (v ?? "").split(",").map((s) => s.trim()).filter(Boolean)),
  })
  .superRefine((c, ctx) => {
    if (c.ENVIRONMENT === "production" && c.JWT_SECRET.length < 32) {
      ctx.addIssue({ code: "custom", path: ["JWT_SECRET"], message: "must be at least 32 characters in production" });
    }
    if (c.ENVIRONMENT === "production" && c.NEON_LOCAL_PROXY) {
      ctx.addIssue({ code: "custom", path: ["NEON_LOCAL_PROXY"], message: "is for local development only; unset it in production" });
    }
  });

export type Config = z.output<typeof configSchema>;

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] };

const cache = new WeakMap<object, ConfigResult>();

/** Validates the environment once per env object; lists every problem at once instead of failing on the first. */
export function loadConfig(env: object): ConfigResult {
  const hit = cache.get(env);
  if (hit) return hit;
  const parsed = configSchema.safeParse(env);
  const result: ConfigResult = parsed.success
    ? { ok: true, config: parsed.data }
    : { ok: false, problems: parsed.error.issues.map((i) => `${i.path.join(".") || "config"} ${i.message}`) };
  cache.set(env, result);
  return result;
}
