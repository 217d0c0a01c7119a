/**
 * `npm run deploy:pages`: the SPA on Cloudflare Pages, calling the Worker's API on its own origin.
 *   VITE_API_URL=https://api.example.com npm run deploy:pages              (project "bespoke-crm-web")
 *   VITE_API_URL=… PAGES_PROJECT=acme-crm npm run deploy:pages -- --build-only
 * Builds into dist/pages (never dist/web, which is the Worker's own assets) with the API URL baked in, writes the
 * security headers (_headers, connect-src allowing the API), then `wrangler pages deploy`. The Worker must list the
 * Pages origin in CORS_ORIGINS, or browsers refuse its answers.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";

const apiUrl = process.env.VITE_API_URL?.trim();
const project = process.env.PAGES_PROJECT?.trim() || "bespoke-crm-web";
const buildOnly = process.argv.includes("--build-only");
const outDir = "dist/pages";

if (!apiUrl || !/^https?:\/\/[^/]+/.test(apiUrl)) {
  console.error("VITE_API_URL must be the API's origin, e.g. VITE_API_URL=https://bespoke-crm.<account>.workers.dev npm run deploy:pages");
  process.exit(1);
}

function run(cmd: string, args: string[]) {
  console.log(`$ ${cmd} ${args.join(" ")}`);
  const r = spawnSync(cmd, args, { stdio: "inherit", env: { ...process.env, VITE_API_URL: apiUrl } });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

run("vite", ["build", "--config", "web/vite.config.ts", "--outDir", path.resolve(outDir), "--emptyOutDir"]);
run("tsx", ["scripts/write-headers.ts", outDir]);
if (buildOnly) {
  console.log(`built ${outDir} for ${apiUrl} (--build-only: not deployed)`);
  process.exit(0);
}
run("wrangler", ["pages", "deploy", outDir, "--project-name", project, "--branch", "main", "--commit-dirty=true"]);
console.log(
  `\nDeployed. Allow the Pages origin on the Worker, e.g. in wrangler.toml [vars]:\n  CORS_ORIGINS = "https://${project}.pages.dev"\nthen npm run deploy.`,
);
