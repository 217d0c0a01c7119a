import { z } from "zod";
import { passwordProblem } from "./lib/password-policy";

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

/** `entity.field` pairs never sent to an AI provider; "none" sends every field. */
const privateFieldsVar = z
  .string()
  .optional()
  .transform((v, ctx) => {
    const raw = v?.trim() ? v.trim() : "contact.mobilePhone,contact.phone";
    if (raw.toLowerCase() === "none") return [];
    const out: { entity: string; field: string }[] = [];
    for (const part of raw.split(",").map((s) => s.trim()).filter(Boolean)) {
      const m = /^(account|contact|lead|opportunity|activity)\.([A-Za-z][A-Za-z0-9]*)$/.exec(part);
      if (!m) {
        ctx.addIssue({ code: "custom", message: `entries must look like contact.mobilePhone (entity: account, contact, lead, opportunity or activity); got "${part}"` });
        return z.NEVER;
      }
      out.push({ entity: m[1]!, field: m[2]! });
    }
    return out;
  });

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() !== "" ? v.trim() : undefined));

const boolVar = (def: boolean) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      const t = v?.trim().toLowerCase();
      if (!t) return def;
      if (["true", "1", "yes"].includes(t)) return true;
      if (["false", "0", "no"].includes(t)) return false;
      ctx.addIssue({ code: "custom", message: `must be true or false (got "${v}")` });
      return z.NEVER;
    });

/** An absolute http(s) URL without a trailing slash (links are built by appending paths). */
const optionalUrl = z
  .string()
  .optional()
  .transform((v, ctx) => {
    const t = v?.trim();
    if (!t) return undefined;
    try {
      const u = new URL(t);
      if (u.protocol !== "https:" && u.protocol !== "http:") throw new Error("scheme");
      return t.replace(/\/+$/, "");
    } catch {
      ctx.addIssue({ code: "custom", message: `must be an absolute http(s) URL such as https://crm.example.com (got "${t}")` });
      return z.NEVER;
    }
  });

const EMAIL_ADDRESS = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;
/** `Name <addr@example.com>` or a bare address, as Resend and Postmark accept it. */
const isSender = (v: string) => EMAIL_ADDRESS.test(v) || /^[^<>]+<[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+>$/.test(v);

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
    AI_TIMEOUT_MS: intVar(30_000, 100),
    AI_SUMMARY_DEBOUNCE_MINUTES: intVar(10, 0),
    AI_PRIVATE_FIELDS: privateFieldsVar,
    UPLOAD_MAX_BYTES: intVar(25 * 1024 * 1024, 1),
    CORS_ORIGINS: z
      .string()
      .optional()
      .transform((v, ctx) => {
        const origins = (v ?? "").split(",").map((s) => s.trim().replace(/\/+$/, "")).filter(Boolean);
        for (const o of origins) {
          let ok = false;
          try {
            ok = new URL(o).origin === o;
          } catch {
            /* reported below */
          }
          if (!ok) ctx.addIssue({ code: "custom", message: `"${o}" is not an origin: use scheme://host[:port] with no path, e.g. https://crm.example.pages.dev` });
        }
        return origins;
      }),
    /** Where the SPA lives: password-reset links point here. Required in production (never taken from a Host header). */
    APP_URL: optionalUrl,
    EMAIL_PROVIDER: z
      .enum(["outbox", "resend", "postmark"], { error: 'must be "outbox", "resend" or "postmark"' })
      .optional(),
    EMAIL_API_KEY: optionalText,
    EMAIL_API_BASE_URL: optionalUrl,
    EMAIL_FROM: optionalText.refine((v) => v === undefined || isSender(v), 'must be an address or "Name <address>", e.g. "Acme CRM <crm@acme.com>"'),
    EMAIL_OUTBOX_IN_PRODUCTION: boolVar(false),
    SENTRY_DSN: optionalUrl.refine((v) => v === undefined || /^https?:\/\/[^@/]+@[^/]+\/.+$/.test(v), "must be a Sentry DSN like https://<key>@o0.ingest.sentry.io/<project>"),
    SENTRY_ENVIRONMENT: optionalText,
    SENTRY_RELEASE: optionalText,
    SENTRY_TRACES_SAMPLE_RATE: z
      .string()
      .optional()
      .transform((v, ctx) => {
        if (v === undefined || v.trim() === "") return 0;
        const n = Number(v);
        if (!Number.isFinite(n) || n < 0 || n > 1) {
          ctx.addIssue({ code: "custom", message: `must be a number between 0 and 1 (got "${v}")` });
          return z.NEVER;
        }
        return n;
      }),
    BACKUP_KEEP: intVar(14, 1),
    LOGIN_MAX_ATTEMPTS: intVar(5, 1),
    LOGIN_IP_MAX_ATTEMPTS: intVar(50, 1),
    LOGIN_LOCKOUT_SECONDS: intVar(900, 10),
    PASSWORD_RESET_TTL_MINUTES: intVar(30, 5),
    PASSWORD_RESET_MAX_REQUESTS: intVar(5, 1),
    JSON_BODY_MAX_BYTES: intVar(1024 * 1024, 1024),
    BOOTSTRAP_ADMIN_EMAIL: optionalText.refine((v) => v === undefined || EMAIL_ADDRESS.test(v), "must be an e-mail address"),
    BOOTSTRAP_ADMIN_PASSWORD: optionalText,
    BOOTSTRAP_ADMIN_NAME: optionalText,
    BOOTSTRAP_WORKSPACE_NAME: optionalText,
  })
  .superRefine((c, ctx) => {
    if (c.ENVIRONMENT === "production" && c.JWT_SECRET.length < 32) {
      ctx.addIssue({ code: "custom", path: ["JWT_SECRET"], message: "must be at least 32 characters in production" });
    }
    if (c.ENVIRONMENT === "production" && c.NEON_LOCAL_PROXY) {
      ctx.addIssue({ code: "custom", path: ["NEON_LOCAL_PROXY"], message: "is for local development only; unset it in production" });
    }
    const production = c.ENVIRONMENT === "production";
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    if (production && !c.APP_URL) issue("APP_URL", "is missing: set it to the SPA's public URL (e.g. https://crm.example.com) in wrangler.toml [vars]; password-reset links point there");
    if (production && c.APP_URL?.startsWith("http:")) issue("APP_URL", "must be https:// in production (reset links carry a secret token)");
    const provider = c.EMAIL_PROVIDER ?? (c.EMAIL_API_KEY ? "resend" : "outbox");
    if (provider !== "outbox") {
      if (!c.EMAIL_API_KEY) issue("EMAIL_API_KEY", `is missing: EMAIL_PROVIDER=${provider} needs its API key (\`wrangler secret put EMAIL_API_KEY\`)`);
      if (!c.EMAIL_FROM) issue("EMAIL_FROM", `is missing: EMAIL_PROVIDER=${provider} needs a verified sender, e.g. "Acme CRM <crm@acme.com>"`);
      if (production && c.EMAIL_API_BASE_URL?.startsWith("http:")) issue("EMAIL_API_BASE_URL", "must be https:// in production (the API key travels with every request)");
    } else if (production && !c.EMAIL_OUTBOX_IN_PRODUCTION) {
      issue(
        "EMAIL_PROVIDER",
        "is the development outbox, which stores mails instead of sending them: set EMAIL_API_KEY + EMAIL_FROM (Resend) or EMAIL_PROVIDER=postmark, or set EMAIL_OUTBOX_IN_PRODUCTION=true to run without password-reset mails",
      );
    }
    if (!!c.BOOTSTRAP_ADMIN_EMAIL !== !!c.BOOTSTRAP_ADMIN_PASSWORD) {
      issue(c.BOOTSTRAP_ADMIN_EMAIL ? "BOOTSTRAP_ADMIN_PASSWORD" : "BOOTSTRAP_ADMIN_EMAIL", "is missing: the first admin needs both BOOTSTRAP_ADMIN_EMAIL and BOOTSTRAP_ADMIN_PASSWORD");
    }
    if (c.BOOTSTRAP_ADMIN_PASSWORD) {
      const weak = passwordProblem(c.BOOTSTRAP_ADMIN_PASSWORD, { email: c.BOOTSTRAP_ADMIN_EMAIL, name: c.BOOTSTRAP_ADMIN_NAME });
      if (weak) issue("BOOTSTRAP_ADMIN_PASSWORD", weak);
    }
  })
  .transform((c) => {
    const provider = c.EMAIL_PROVIDER ?? (c.EMAIL_API_KEY ? "resend" : "outbox");
    return {
      ...c,
      EMAIL_PROVIDER: provider,
      EMAIL_API_BASE_URL:
        c.EMAIL_API_BASE_URL ?? (provider === "postmark" ? "https://api.postmarkapp.com" : "https://api.resend.com"),
      EMAIL_FROM: c.EMAIL_FROM ?? `${c.BRAND_NAME} <no-reply@localhost>`,
      SENTRY_ENVIRONMENT: c.SENTRY_ENVIRONMENT ?? c.ENVIRONMENT,
    };
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
