/**
 * Writes `<dir>/_headers` after the SPA build (`npm run build:web`, `npm run deploy:pages`), so static files served
 * without the Worker — Workers static assets in production, or Pages — get the same security headers as the API.
 * The CSP's connect-src is computed from what the SPA was built with: VITE_API_URL (the API on another origin when
 * the SPA is on Pages) and VITE_SENTRY_DSN, read the way Vite read them (environment, then .env files).
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { loadEnv } from "vite";
import { headersFile, sentryOrigin } from "../worker/lib/security-headers";

const dir = process.argv[2] ?? "dist/web";
const env = { ...loadEnv("production", process.cwd(), "VITE_"), ...process.env };

function origin(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).origin;
  } catch {
    throw new Error(`VITE_API_URL must be an absolute URL such as https://api.example.com (got "${url}")`);
  }
}

const connect = [origin(env.VITE_API_URL), sentryOrigin(env.VITE_SENTRY_DSN)].filter((x): x is string => !!x);
writeFileSync(path.join(dir, "_headers"), headersFile(connect));
console.log(`wrote ${path.join(dir, "_headers")} (connect-src 'self'${connect.map((c) => ` ${c}`).join("")})`);
