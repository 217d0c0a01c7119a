/**
 * `npm start`: the whole stack on one machine.
 * Postgres (DATABASE_URL, else an embedded one persisted under .data/) → migrations → demo seed when empty →
 * the Neon stand-in → SPA build → `wrangler dev` serving SPA + API on http://localhost:8787.
 * Ctrl-C stops everything it started; data survives restarts. The stack itself is scripts/lib/stack.ts, which the
 * browser tests start the same way.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { DEMO_PASSWORD, DEMO_USERS } from "../db/seed";
import { startEmbeddedPostgres } from "./lib/database";
import { startStack } from "./lib/stack";

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

  const stack = await startStack({
    databaseUrl,
    jwtSecret,
    port: PORT,
    persistTo: `${DATA}/wrangler`,
    configInputs: { ...readDevVars(), ...process.env },
    environment: process.env.ENVIRONMENT,
    // wrangler.toml defaults to production (a bare `wrangler deploy` must be safe); a local start is development.
    vars: { ENVIRONMENT: process.env.ENVIRONMENT ?? readDevVars().ENVIRONMENT ?? "development" },
    stdio: "inherit",
    log: step,
    onUnexpectedExit: (code) => {
      if (stopping) return;
      console.error(`wrangler exited (${code}); stopping`);
      void stop(code ?? 1);
    },
  });
  cleanups.push(() => stack.stop());

  step("ready");
  const url = `http://localhost:${stack.port}`;
  console.log(`\n  Bespoke CRM is running at ${url}\n`);
  if (stack.seeded || !process.env.DATABASE_URL) {
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
