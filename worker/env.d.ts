// Secrets are not in wrangler.toml, so `wrangler types` cannot see them: declared here (.dev.vars.example lists them).
interface BespokeSecrets {
  DATABASE_URL: string;
  JWT_SECRET: string;
  JWT_SECRET_PREVIOUS?: string;
  OPENAI_API_KEY?: string;
  OPENAI_BASE_URL?: string;
  NEON_LOCAL_PROXY?: string;
  EMAIL_API_KEY?: string;
  /** Where the e-mail provider's API lives (tests point it at a local fake). */
  EMAIL_API_BASE_URL?: string;
  EMAIL_OUTBOX_IN_PRODUCTION?: string;
  SENTRY_DSN?: string;
  SENTRY_ENVIRONMENT?: string;
  SENTRY_RELEASE?: string;
  SENTRY_TRACES_SAMPLE_RATE?: string;
  JSON_BODY_MAX_BYTES?: string;
  PASSWORD_RESET_MAX_REQUESTS?: string;
  BOOTSTRAP_ADMIN_EMAIL?: string;
  BOOTSTRAP_ADMIN_PASSWORD?: string;
  BOOTSTRAP_ADMIN_NAME?: string;
  BOOTSTRAP_WORKSPACE_NAME?: string;
}
interface Env extends BespokeSecrets {}
declare namespace Cloudflare {
  interface Env extends BespokeSecrets {}
}
