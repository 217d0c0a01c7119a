import { describe, expect, it } from "vitest";
import { checkStartConfig } from "../../scripts/lib/start-config";
import { loadConfig } from "../../worker/config";

const BASE = {
  DATABASE_URL: "postgres://u:p@db.example.com/crm",
  JWT_SECRET: "x".repeat(48),
};
const PROD = { ...BASE, ENVIRONMENT: "production", APP_URL: "https://crm.example.com", EMAIL_API_KEY: "re_live", EMAIL_FROM: "Acme CRM <crm@acme.com>" };

const problems = (env: Record<string, string | undefined>) => {
  const r = loadConfig({ ...env });
  return r.ok ? [] : r.problems;
};
const config = (env: Record<string, string | undefined>) => {
  const r = loadConfig({ ...env });
  if (!r.ok) throw new Error(r.problems.join("; "));
  return r.config;
};

describe("configuration validation", () => {
  it("accepts a complete production configuration and fills safe defaults", () => {
    const c = config(PROD);
    expect(c).toMatchObject({
      EMAIL_PROVIDER: "resend",
      EMAIL_API_BASE_URL: "https://api.resend.com",
      BACKUP_KEEP: 14,
      LOGIN_MAX_ATTEMPTS: 5,
      LOGIN_IP_MAX_ATTEMPTS: 50,
      LOGIN_LOCKOUT_SECONDS: 900,
      PASSWORD_RESET_TTL_MINUTES: 30,
      JSON_BODY_MAX_BYTES: 1024 * 1024,
      SENTRY_ENVIRONMENT: "production",
      SENTRY_TRACES_SAMPLE_RATE: 0,
      CORS_ORIGINS: [],
    });
    expect(c.SENTRY_DSN).toBeUndefined();
    expect(config({ ...PROD, EMAIL_PROVIDER: "postmark" }).EMAIL_API_BASE_URL).toBe("https://api.postmarkapp.com");
  });

  it("lists every problem of an empty production configuration at once, each with its fix", () => {
    const list = problems({ ENVIRONMENT: "production" });
    const text = list.join("\n");
    expect(text).toMatch(/DATABASE_URL is missing: set it with `wrangler secret put DATABASE_URL`/);
    expect(text).toMatch(/JWT_SECRET is missing/);
    expect(text).toMatch(/APP_URL is missing: set it to the SPA's public URL/);
    expect(text).toMatch(/EMAIL_PROVIDER is the development outbox/);
  });

  it("refuses a JWT_SECRET shorter than 32 characters in production only", () => {
    expect(problems({ ...PROD, JWT_SECRET: "y".repeat(20) })).toEqual(["JWT_SECRET must be at least 32 characters in production"]);
    expect(problems({ ...BASE, JWT_SECRET: "y".repeat(20) })).toEqual([]);
  });

  it("allows the outbox in production only when explicitly accepted", () => {
    const outbox = { ...PROD, EMAIL_API_KEY: undefined, EMAIL_FROM: undefined };
    expect(problems(outbox).join("\n")).toMatch(/EMAIL_OUTBOX_IN_PRODUCTION=true/);
    expect(config({ ...outbox, EMAIL_OUTBOX_IN_PRODUCTION: "true" }).EMAIL_PROVIDER).toBe("outbox");
    expect(problems({ ...outbox, EMAIL_OUTBOX_IN_PRODUCTION: "maybe" }).join()).toMatch(/EMAIL_OUTBOX_IN_PRODUCTION must be true or false/);
  });

  it("needs a key and a sender for a real provider, and https in production", () => {
    expect(problems({ ...PROD, EMAIL_FROM: undefined }).join()).toMatch(/EMAIL_FROM is missing: EMAIL_PROVIDER=resend needs a verified sender/);
    expect(problems({ ...PROD, EMAIL_PROVIDER: "postmark", EMAIL_API_KEY: undefined }).join()).toMatch(/EMAIL_API_KEY is missing: EMAIL_PROVIDER=postmark/);
    expect(problems({ ...PROD, EMAIL_API_BASE_URL: "http://mail.internal" }).join()).toMatch(/EMAIL_API_BASE_URL must be https/);
    expect(problems({ ...PROD, APP_URL: "http://crm.example.com" }).join()).toMatch(/APP_URL must be https/);
  });

  it("names each malformed value", () => {
    const list = problems({
      ...BASE,
      EMAIL_PROVIDER: "smtp",
      EMAIL_FROM: "not an address",
      APP_URL: "crm.example.com",
      BACKUP_KEEP: "0",
      LOGIN_MAX_ATTEMPTS: "five",
      SENTRY_DSN: "https://sentry.example.com",
      SENTRY_TRACES_SAMPLE_RATE: "2",
      CORS_ORIGINS: "https://ok.example.com,ftp//nope",
      BOOTSTRAP_ADMIN_EMAIL: "admin@acme.com",
    });
    const text = list.join("\n");
    expect(text).toMatch(/EMAIL_PROVIDER must be "outbox", "resend" or "postmark"/);
    expect(text).toMatch(/EMAIL_FROM must be an address or "Name <address>"/);
    expect(text).toMatch(/APP_URL must be an absolute http\(s\) URL/);
    expect(text).toMatch(/BACKUP_KEEP must be a whole number ≥ 1 \(got "0"\)/);
    expect(text).toMatch(/LOGIN_MAX_ATTEMPTS must be a whole number/);
    expect(text).toMatch(/SENTRY_DSN must be a Sentry DSN/);
    expect(text).toMatch(/SENTRY_TRACES_SAMPLE_RATE must be a number between 0 and 1/);
    expect(text).toMatch(/CORS_ORIGINS "ftp\/\/nope" is not an origin/);
    expect(text).toMatch(/BOOTSTRAP_ADMIN_PASSWORD is missing/);
    expect(list.length).toBeGreaterThanOrEqual(9);
  });

  it("treats empty [vars] placeholders as unset", () => {
    const c = config({ ...BASE, EMAIL_PROVIDER: "", EMAIL_FROM: "", APP_URL: "", CORS_ORIGINS: "" });
    expect(c.EMAIL_PROVIDER).toBe("outbox");
    expect(c.APP_URL).toBeUndefined();
  });

  it("gives `npm start` one readable message instead of a stack trace", () => {
    let message = "";
    try {
      checkStartConfig({ ENVIRONMENT: "production", DATABASE_URL: "mysql://nope", JWT_SECRET: "short" });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/^Configuration is invalid:\n/);
    expect(message).toContain("  - DATABASE_URL must be a postgres:// connection string");
    expect(message).toContain("  - JWT_SECRET must be at least 16 characters");
    expect(message).toContain("  - APP_URL is missing");
    expect(message).toMatch(/Fix these in wrangler\.toml \[vars\], \.dev\.vars or the environment\.$/);
    expect(message).not.toMatch(/\n\s+at /);
  });
});
