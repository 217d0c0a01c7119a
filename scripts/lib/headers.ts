/**
 * `<dir>/_headers` for the built SPA, so static files served without the Worker — Workers static assets (also under
 * `npm start`'s `wrangler dev`), or Pages — get the same security headers as the API (worker/lib/security-headers.ts
 * is the one source). The CSP's connect-src is computed from what the SPA was built with: VITE_API_URL (the API on
 * another origin when the SPA is on Pages) and VITE_SENTRY_DSN, read the way Vite read them (environment, then .env
 * files).
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { loadEnv } from "vite";
import { headersFile, sentryOrigin } from "../../worker/lib/security-headers";

function origin(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).origin;
  } catch {
    throw new Error(`VITE_API_URL must be an absolute URL such as https://api.example.com (got "${url}")`);
  }
}

/** Writes `<dir>/_headers`; returns the extra connect-src origins it allowed. */
export function writeHeaders(dir: string, cwd = process.cwd()): string[] {
  const env = { ...loadEnv("production", cwd, "VITE_"), ...process.env };
  const connect = [origin(env.VITE_API_URL), sentryOrigin(env.VITE_SENTRY_DSN)].filter((x): x is string => !!x);
  writeFileSync(path.join(dir, "_headers"), headersFile(connect));
  return connect;
}
