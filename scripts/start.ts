/**
 * `npm start`: the whole stack on one machine.
 * Postgres (DATABASE_URL, else an embedded one persisted under .data/) → migrations → demo seed when empty →
 * the Neon stand-in → SPA build → `wrangler dev` serving SPA + API on http://localhost:8787.
 * Ctrl-C stops everything it started; data survives restarts.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import * as schema from "../db/schema";
import { DEMO_PASSWORD, DEMO_USERS, seedDemo } from "../db/seed";
import { migrate, startEmbeddedPostgres } from "./lib/database";
import { startNeonStandin } from "./lib/neon-standin";
import { checkStartConfig } from "./lib/start-config";

const PORT = Number(process.env.PORT ?? 8787);
const DATA = ".data";
const t0 = Date.now();
const step = (msg: string) => console.log(`[start +${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}`);
const cleanups: (() => Promise<unknown> | void)[] = [];
let stopping = false;

async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const c of cleanups.reverse()) await Promise.resolve(c()).catch(() => {});
  process.exit(code);
}
process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));

function run(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv } = {}): ChildProcess {
  return spawn(cmd, args, { stdio: "inherit", env: { ...process.env, ...opts.env } });
}

async function main() {
  const [major] = process.versions.node.split(".").map(Number);
  if (major! < 22) throw new Error(`Node ${process.versions.node} is too old: run through npm (npm start) so the project's Node 22 is used`);
  mkdirSync(DATA, { recursive: true });

  // A stable signing key across restarts, so sessions survive them; .dev.vars or the environment may override.
  const secretFile = `${DATA}/jwt-secret`;
  if (!existsSync(secretFile)) writeFileSync(secretFile, randomBytes(48).toString("base64url"));
  const jwtSecret = process.env.JWT_SECRET ?? readFileSync(secretFile, "utf8").trim();

  let databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl) {
    step(`using DATABASE_URL (${new URL(databaseUrl).host})`);
  } else {
    step("starting embedded PostgreSQL (.data/postgres)");
    const pgEmbedded = await startEmbeddedPostgres({ dataDir: `${DATA}/postgres`, port: Number(process.env.EMBEDDED_PG_PORT ?? 54329) });
    cleanups.push(() => pgEmbedded.stop());
    databaseUrl = pgEmbedded.url;
  }

  const standin = await startNeonStandin({ port: Number(process.env.NEON_STANDIN_PORT ?? 0) });
  cleanups.push(() => standin.close());
  const vars: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    NEON_LOCAL_PROXY: `127.0.0.1:${standin.port}`,
    JWT_SECRET: jwtSecret,
  };
  checkStartConfig({ ...readDevVars(), ...process.env, ...vars });

  step("applying migrations");
  await migrate(databaseUrl);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const seeded = await seedDemo(drizzle({ client, schema }), { environment: process.env.ENVIRONMENT });
  await client.end();
  step(seeded ? "seeded the demo workspace" : "database already has data: seed skipped");

  step("building the SPA");
  const build = run("vite", ["build", "--config", "web/vite.config.ts", "--logLevel", "warn"]);
  const buildCode = await new Promise<number>((r) => build.on("exit", (c) => r(c ?? 1)));
  if (buildCode !== 0) throw new Error("SPA build failed");

  step(`starting wrangler dev on :${PORT}`);
  const wrangler = run(
    "wrangler",
    ["dev", "--port", String(PORT), "--ip", "127.0.0.1", "--persist-to", `${DATA}/wrangler`, "--log-level", "warn", "--show-interactive-dev-session=false",
      ...Object.entries(vars).flatMap(([k, v]) => ["--var", `${k}:${v}`])],
    { env: { WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" } },
  );
  cleanups.push(() => {
    wrangler.kill("SIGINT");
    return new Promise((r) => {
      wrangler.once("exit", r);
      setTimeout(() => r(null), 5000);
    });
  });
  wrangler.on("exit", (c) => {
    if (!stopping) {
      console.error(`wrangler exited (${c}); stopping`);
      void stop(c ?? 1);
    }
  });

  const url = `http://localhost:${PORT}`;
  for (let i = 0; i < 300 && !stopping; i++) {
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) break;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  step("ready");
  console.log(`\n  Bespoke CRM is running at ${url}\n`);
  if (seeded || !process.env.DATABASE_URL) {
    console.log("  Demo logins (password: " + DEMO_PASSWORD + ")");
    for (const u of DEMO_USERS) console.log(`    ${u.role.padEnd(6)}  ${u.email}`);
  }
  console.log("\n  Ctrl-C stops the app; data is kept in .data/ for the next start.\n");
}

function readDevVars(): Record<string, string> {
  if (!existsSync(".dev.vars")) return {};
  return Object.fromEntries(
    readFileSync(".dev.vars", "utf8")
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith("#") && l.includes("="))
      .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1).replace(/^["']|["']$/g, "")]),
  );
}

main().catch(async (err) => {
  console.error(`\n✖ ${err instanceof Error ? err.message : err}\n`);
  await stop(1);
});
