// Secrets are not in wrangler.toml, so `wrangler types` cannot see them: declared here (.dev.vars.example lists them).
interface BespokeSecrets {
  DATABASE_URL: string;
  JWT_SECRET: string;
  JWT_SECRET_PREVIOUS?: string;
  OPENAI_API_KEY?: string;
  OPENAI_BASE_URL?: string;
  NEON_LOCAL_PROXY?: string;
}
interface Env extends BespokeSecrets {}
declare namespace Cloudflare {
  interface Env extends BespokeSecrets {}
}
