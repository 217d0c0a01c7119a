import { z } from "zod";
import { configFileFor } from "./config-file/bundled";
import type { BespokeConfig, BespokeConfigResult } from "./config-file/define";
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
      const m = /^(account|contact|lead|opportunity|activity)\.((?:custom\.)?[A-Za-z][A-Za-z0-9_]*)$/.exec(part);
      if (!m) {
        ctx.addIssue({ code: "custom", message: `entries must look like contact.mobilePhone or opportunity.custom.arr (entity: account, contact, lead, opportunity or activity); got "${part}"` });
        return z.NEVER;
      }
      out.push({ entity: m[1]!, field: m[2]! });
    }
    return out;
  });

/**
 * What a CRM user attaches: documents, spreadsheets, slides, images, text and archives. Not SVG or HTML (script that a
 * browser would run), not executables.
 */
export const DEFAULT_UPLOAD_TYPES = [
  "application/pdf",
  "image/png", "image/jpeg", "image/gif", "image/webp", "image/heic",
  "text/plain", "text/csv", "text/markdown", "application/rtf", "message/rfc822",
  "application/zip",
  "application/msword", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  "application/vnd.ms-excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  "application/vnd.ms-powerpoint", "application/vnd.openxmlformats-officedocument.presentationml.presentation",
  "application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.spreadsheet", "application/vnd.oasis.opendocument.presentation",
] as const;

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
const configFields = z
  .object({
    ENVIRONMENT: z.enum(["development", "test", "production"]).default("development"),
    DATABASE_URL: z
      .string({ error: "is missing: set it with `wrangler secret put DATABASE_URL` (or in .dev.vars)" })
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// connection string"),
    JWT_SECRET: z
      .string({ error: "is missing: set a random string of 32+ characters with `wrangler secret put JWT_SECRET`" })
      .min(16, "must be at least 16 characters"),
    JWT_SECRET_PREVIOUS: optionalText,
    /** Access-token lifetime: short, because the refresh cookie renews it while the user works. */
    JWT_TTL_SECONDS: intVar(900, 5),
    SESSION_IDLE_TIMEOUT_SECONDS: intVar(7 * 86_400, 60),
    SESSION_MAX_LIFETIME_SECONDS: intVar(30 * 86_400, 60),
    SESSION_REFRESH_GRACE_SECONDS: intVar(20, 0),
    NEON_LOCAL_PROXY: optionalText,
    /**
     * Longest a request's database statement may run before Postgres cancels it (the request answers 503); 0 = no
     * limit. Streamed exports, queue consumers and the cron are not bound by it.
     */
    DB_STATEMENT_TIMEOUT_MS: intVar(10_000, 0),
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
    /**
     * Longest a user waits for the provider in an interactive feature (next actions, e-mail draft, deal brief, a
     * summary they asked for), retries included; then the offline engine answers, labelled as such.
     */
    AI_INTERACTIVE_BUDGET_MS: intVar(12_000, 500),
    AI_SUMMARY_DEBOUNCE_MINUTES: intVar(10, 0),
    /** Automation runs one workspace may start per minute; above it a trigger is recorded as a skipped run. */
    AUTOMATION_RUNS_PER_MINUTE: intVar(2000, 1),
    AI_PRIVATE_FIELDS: privateFieldsVar,
    UPLOAD_MAX_BYTES: intVar(25 * 1024 * 1024, 1),
    /** Attachments one user may upload per minute (429 above). */
    UPLOADS_PER_MINUTE: intVar(30, 1),
    /** Requests one API key may make per minute, REST and /mcp together (429 with Retry-After above; RateLimit-* headers). */
    API_KEY_REQUESTS_PER_MINUTE: intVar(600, 1),
    /** Bytes of live attachments one workspace may hold (413 above); 0 = no quota. */
    UPLOAD_WORKSPACE_QUOTA_BYTES: intVar(10 * 1024 * 1024 * 1024, 0),
    /**
     * DNS-over-HTTPS endpoint (JSON API) used to resolve webhook hosts before calling them, so a public name that
     * points at a private address is refused. Default in production: Cloudflare's; "none" turns it off.
     */
    WEBHOOK_DNS_RESOLVER: optionalText.refine((v) => v === undefined || v === "none" || /^https?:\/\/[^\s]+$/.test(v), 'must be an http(s) DNS-over-HTTPS URL or "none"'),
    /** Attachment content types accepted (comma-separated MIME types); the declared type is also checked against the bytes. */
    UPLOAD_ALLOWED_TYPES: z
      .string()
      .optional()
      .transform((v, ctx) => {
        if (v === undefined || v.trim() === "") return [...DEFAULT_UPLOAD_TYPES];
        const types = v.split(",").map((s) => s.trim().toLowerCase()).filter(Boolean);
        for (const t of types) {
          if (!/^[a-z0-9][\w.+-]*\/[a-z0-9][\w.+-]*$/.test(t)) {
            ctx.addIssue({ code: "custom", message: `"${t}" is not a MIME type like application/pdf` });
            return z.NEVER;
          }
        }
        return types;
      }),
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
    EMAIL_PROVIDER: optionalText.pipe(
      z.enum(["outbox", "resend", "postmark"], { error: 'must be "outbox", "resend" or "postmark"' }).optional(),
    ),
    EMAIL_API_KEY: optionalText,
    EMAIL_API_BASE_URL: optionalUrl,
    EMAIL_FROM: optionalText.refine((v) => v === undefined || isSender(v), 'must be an address or "Name <address>", e.g. "Acme CRM <crm@acme.com>"'),
    EMAIL_OUTBOX_IN_PRODUCTION: boolVar(false),
    /**
     * The domain of inbound capture addresses (`crm+<secret>@<domain>`), routed to this Worker by Cloudflare Email
     * Routing; unset = e-mail capture is off (the handler rejects everything, the UI says so).
     */
    INBOUND_EMAIL_DOMAIN: optionalText.refine((v) => v === undefined || /^[a-z0-9.-]+\.[a-z]{2,}$/i.test(v), "must be a domain like mail.example.com"),
    /** Largest inbound message accepted (raw MIME bytes); bigger ones bounce with the limit in the reason. */
    INBOUND_EMAIL_MAX_BYTES: intVar(10 * 1024 * 1024, 1024),
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
  });

export const configSchema = configFields
  .superRefine(
    (parsed, ctx) => {
      // Runs even when single fields failed (`when` below), so one message lists every problem: values of failed
      // fields may be raw input here, hence the type checks.
      const c = parsed as Record<keyof typeof parsed, unknown>;
      const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);
      const production = c.ENVIRONMENT === "production";
      const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
      const jwt = str(c.JWT_SECRET);
      if (production && jwt && jwt.length >= 16 && jwt.length < 32) issue("JWT_SECRET", "must be at least 32 characters in production");
      // A few seconds make the browser tests' expiry mid-session quick; in production that would be a refresh storm.
      if (production && typeof c.JWT_TTL_SECONDS === "number" && c.JWT_TTL_SECONDS < 60) issue("JWT_TTL_SECONDS", "must be at least 60 in production");
      if (production && str(c.NEON_LOCAL_PROXY)) issue("NEON_LOCAL_PROXY", "is for local development only; unset it in production");
      const appUrl = str(c.APP_URL);
      if (production && c.APP_URL === undefined) {
        issue("APP_URL", "is missing: set it to the SPA's public URL (e.g. https://crm.example.com) in wrangler.toml [vars]; password-reset links point there");
      }
      if (production && appUrl?.startsWith("http:")) issue("APP_URL", "must be https:// in production (reset links carry a secret token)");
      const named = str(c.EMAIL_PROVIDER);
      const key = str(c.EMAIL_API_KEY);
      const provider = named ?? (key ? "resend" : "outbox");
      if (provider === "resend" || provider === "postmark") {
        if (!key) issue("EMAIL_API_KEY", `is missing: EMAIL_PROVIDER=${provider} needs its API key (\`wrangler secret put EMAIL_API_KEY\`)`);
        if (c.EMAIL_FROM === undefined) issue("EMAIL_FROM", `is missing: EMAIL_PROVIDER=${provider} needs a verified sender, e.g. "Acme CRM <crm@acme.com>"`);
        if (production && str(c.EMAIL_API_BASE_URL)?.startsWith("http:")) {
          issue("EMAIL_API_BASE_URL", "must be https:// in production (the API key travels with every request)");
        }
      } else if (provider === "outbox" && production && c.EMAIL_OUTBOX_IN_PRODUCTION !== true) {
        issue(
          "EMAIL_PROVIDER",
          "is the development outbox, which stores mails instead of sending them: set EMAIL_API_KEY + EMAIL_FROM (Resend) or EMAIL_PROVIDER=postmark, or set EMAIL_OUTBOX_IN_PRODUCTION=true to run without password-reset mails",
        );
      }
      const adminEmail = str(c.BOOTSTRAP_ADMIN_EMAIL);
      const adminPassword = str(c.BOOTSTRAP_ADMIN_PASSWORD);
      if (!!adminEmail !== !!adminPassword) {
        issue(adminEmail ? "BOOTSTRAP_ADMIN_PASSWORD" : "BOOTSTRAP_ADMIN_EMAIL", "is missing: the first admin needs both BOOTSTRAP_ADMIN_EMAIL and BOOTSTRAP_ADMIN_PASSWORD");
      }
      if (adminPassword) {
        const weak = passwordProblem(adminPassword, { email: adminEmail, name: str(c.BOOTSTRAP_ADMIN_NAME) });
        if (weak) issue("BOOTSTRAP_ADMIN_PASSWORD", weak);
      }
    },
    { when: () => true },
  )
  .transform((c) => {
    const provider = c.EMAIL_PROVIDER ?? (c.EMAIL_API_KEY ? "resend" : "outbox");
    return {
      ...c,
      EMAIL_PROVIDER: provider,
      EMAIL_API_BASE_URL:
        c.EMAIL_API_BASE_URL ?? (provider === "postmark" ? "https://api.postmarkapp.com" : "https://api.resend.com"),
      EMAIL_FROM: c.EMAIL_FROM ?? `${c.BRAND_NAME} <no-reply@localhost>`,
      SENTRY_ENVIRONMENT: c.SENTRY_ENVIRONMENT ?? c.ENVIRONMENT,
      WEBHOOK_DNS_RESOLVER:
        c.WEBHOOK_DNS_RESOLVER === "none" ? undefined : (c.WEBHOOK_DNS_RESOLVER ?? (c.ENVIRONMENT === "production" ? "https://cloudflare-dns.com/dns-query" : undefined)),
    };
  });

/**
 * The validated environment plus the configuration file (bespoke.config.ts) the Worker was built with. `bespoke` is
 * optional only so tests and scripts may build a Config by hand; loadConfig always sets it.
 */
export type Config = z.output<typeof configSchema> & { bespoke?: BespokeConfig };

/**
 * Variables the configuration file supplies when the environment leaves them unset or empty: an environment value
 * (wrangler.toml [vars], a secret, .dev.vars, `npm start`'s environment) always wins over the file.
 */
export const FILE_BACKED_VARIABLES = ["BRAND_NAME", "BRAND_ACCENT_COLOR", "BRAND_LOGO_URL", "AI_PRIVATE_FIELDS"] as const;

/** The environment with the configuration file's values filled in where the environment has none. */
export function withConfigFile<T extends object>(env: T, file: BespokeConfig): T {
  const fromFile: Record<(typeof FILE_BACKED_VARIABLES)[number], string> = {
    BRAND_NAME: file.branding.name,
    BRAND_ACCENT_COLOR: file.branding.accentColor,
    BRAND_LOGO_URL: file.branding.logoUrl ?? "",
    AI_PRIVATE_FIELDS: file.ai.privateFields.length ? file.ai.privateFields.join(",") : "none",
  };
  const record = env as Record<string, unknown>;
  const out: Record<string, unknown> = { ...record };
  for (const key of FILE_BACKED_VARIABLES) {
    const v = record[key];
    if (typeof v !== "string" || v.trim() === "") out[key] = fromFile[key];
  }
  return out as T;
}

/** Env + file validated together: one list holds the problems of both (file problems start with its name). */
export function resolveConfig(env: object, file: BespokeConfigResult, fileName = "bespoke.config.ts"): ConfigResult {
  const parsed = configSchema.safeParse(file.ok ? withConfigFile(env, file.config) : env);
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join(".") || "config"} ${i.message}`)),
    ...(file.ok ? [] : file.problems.map((p) => `${fileName}: ${p}`)),
  ];
  if (problems.length || !parsed.success || !file.ok) return { ok: false, problems };
  return { ok: true, config: { ...parsed.data, bespoke: file.config } };
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] };

const cache = new WeakMap<object, ConfigResult>();
const byValues = new Map<string, ConfigResult>();
const CONFIG_KEYS = Object.keys(configFields.shape);

/**
 * Validates the environment once per env object; lists every problem at once instead of failing on the first.
 * Wrappers such as Sentry's hand each request a fresh proxy of the same env: equal values then still yield the very
 * same Config object, so per-config caches (CORS handler, first-admin check) keep working.
 */
export function loadConfig(env: object): ConfigResult {
  const hit = cache.get(env);
  if (hit) return hit;
  const record = env as Record<string, unknown>;
  const fingerprint = JSON.stringify([...CONFIG_KEYS, "BESPOKE_CONFIG_JSON"].map((k) => (typeof record[k] === "string" ? record[k] : null)));
  let result = byValues.get(fingerprint);
  if (!result) {
    // A bad configuration file answers like a bad variable: every request gets 503 problem+json naming the problems
    // (and /api/health 503 not_ready), never a half-configured app.
    result = resolveConfig(env, configFileFor(env));
    // Bounded: an isolate sees one configuration in production; tests vary it a few dozen times.
    if (byValues.size >= 64) byValues.delete(byValues.keys().next().value!);
    byValues.set(fingerprint, result);
  }
  cache.set(env, result);
  return result;
}
