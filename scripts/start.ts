/**
 * `npm start`: the whole stack on one machine.
 * Postgres (DATABASE_URL, else an embedded one persisted under .data/) → migrations → demo seed when empty →
 * the Neon stand-in → SPA build → `wrangler dev` serving SPA + API on http://localhost:8787.
 * Ctrl-C stops everything it started; data survives restarts. The stack itself is scripts/lib/stack.ts, which the
 * browser tests start the same way. Configuration: a documented variable in the environment wins over .dev.vars,
 * which wins over wrangler.toml [vars] (scripts/lib/start-config.ts).
 * BESPOKE_DATA_DIR and BESPOKE_ASSETS_DIR move .data/ and dist/web (tests start a second app beside yours).
 * BESPOKE_CONFIG picks the configuration file (`BESPOKE_CONFIG=examples/recruiting npm start`; default
 * bespoke.config.ts): validated before anything starts (a bad file stops the start listing every problem), applied
 * to every workspace after the migrations, and built into the Worker (CUSTOMIZING.md).
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { DEMO_PASSWORD, DEMO_USERS } from "../db/seed";
import { loadConfigFile } from "./lib/config-file";
import { startEmbeddedPostgres } from "./lib/database";
import { StartError } from "./lib/start-error";
import { startStack } from "./lib/stack";
import { describeStart, readDevVars, startInputs, tomlVars } from "./lib/start-config";

const PORT = Number(process.env.PORT ?? 8787);
const DATA = process.env.BESPOKE_DATA_DIR ?? ".data";
const t0 = Date.now();
const step = (msg: string) => console.log(`[start +${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}`);
const cleanups: (() => Promise<unknown> | void)[] = [];
let stopping = false;
let ready = false;

async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const c of cleanups.reverse()) await Promise.resolve(c()).catch(() => {});
  process.exit(code);
}
process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));
// Whatever fails, and however (an error event nobody listened to, a rejected promise), the user reads one sentence
// with the fix, never a stack trace.
process.on("uncaughtException", (err) => void fail(err));
process.on("unhandledRejection", (err) => void fail(err));

async function main() {
  const [major] = process.versions.node.split(".").map(Number);
  if (major! < 22) throw new StartError(`Node ${process.versions.node} is too old`, "run it through npm (npm start), which uses the project's Node 22");
  // The configuration file before anything starts: a bad one stops here, listing every problem (startStack loads it
  // again, for the browser tests that call it directly).
  await loadConfigFile();
  mkdirSync(DATA, { recursive: true });
  const { values, sources } = startInputs(process.env, readDevVars(), tomlVars());

  // A stable signing key across restarts, so sessions survive them; .dev.vars or the environment may override.
  const secretFile = `${DATA}/jwt-secret`;
  if (!existsSync(secretFile)) writeFileSync(secretFile, randomBytes(48).toString("base64url"), { mode: 0o600 });
  const jwtSecret = values.JWT_SECRET ?? readFileSync(secretFile, "utf8").trim();

  let databaseUrl = values.DATABASE_URL;
  let kept = `${DATA}/`;
  if (databaseUrl) {
    let host: string;
    try {
      host = new URL(databaseUrl).host;
    } catch {
      throw new StartError("DATABASE_URL is not a URL", "set it to a connection string such as postgres://user:password@host:5432/db, or unset it to use the embedded PostgreSQL");
    }
    step(`using DATABASE_URL (${host}, from ${sources.DATABASE_URL})`);
  } else {
    step(`starting embedded PostgreSQL (${DATA}/postgres)`);
    const pgEmbedded = await startEmbeddedPostgres({ dataDir: `${DATA}/postgres`, port: Number(process.env.EMBEDDED_PG_PORT ?? 54329) });
    cleanups.push(() => pgEmbedded.stop());
    if (pgEmbedded.dataDir !== path.resolve(`${DATA}/postgres`)) {
      step(`the postgres user cannot enter this folder: its data is kept in ${pgEmbedded.dataDir} instead`);
      kept = `${DATA}/ and ${pgEmbedded.dataDir}`;
    }
    databaseUrl = pgEmbedded.url;
  }

  const stack = await startStack({
    databaseUrl,
    jwtSecret,
    port: PORT,
    persistTo: `${DATA}/wrangler`,
    assetsDir: process.env.BESPOKE_ASSETS_DIR,
    configInputs: values,
    environment: values.ENVIRONMENT,
    // wrangler.toml defaults to production (a bare `wrangler deploy` must be safe); a local start is development.
    // E-mail capture works locally: POST raw MIME to /cdn-cgi/handler/email (to: crm+<secret>@inbound.localhost).
    vars: { ENVIRONMENT: values.ENVIRONMENT ?? "development", INBOUND_EMAIL_DOMAIN: values.INBOUND_EMAIL_DOMAIN || "inbound.localhost" },
    stdio: "inherit",
    log: step,
    onUnexpectedExit: (code) => {
      // Before it was ready, startStack itself fails with the reason.
      if (stopping || !ready) return;
      console.error(`wrangler exited (${code}); stopping`);
      void stop(code ?? 1);
    },
  });
  cleanups.push(() => stack.stop());
  ready = true;

  step("ready");
  const url = `http://localhost:${stack.port}`;
  console.log(`\n  Bespoke CRM is running at ${url}\n`);
  console.log(`  Configuration: ${stack.configFile}${process.env.BESPOKE_CONFIG?.trim() ? " (BESPOKE_CONFIG)" : ""}`);
  for (const line of describeStart(stack.config, sources)) console.log(`  ${line}`);
  if (stack.seeded || !values.DATABASE_URL) {
    console.log("\n  Demo logins (password: " + DEMO_PASSWORD + ")");
    for (const u of DEMO_USERS) console.log(`    ${u.role.padEnd(6)}  ${u.email}`);
  }
  console.log(`\n  Ctrl-C stops the app; data is kept in ${kept} for the next start.\n`);
}

/** One sentence and its fix for the failures people meet; the message (never a stack) for the rest. */
function explain(err: unknown): string {
  if (err instanceof StartError) return `${err.message}${err.message.endsWith("\n") ? "" : "."}\n  Fix: ${err.fix}.`;
  const e = err as NodeJS.ErrnoException & { address?: string; port?: number };
  const message = err instanceof Error ? err.message : String(err);
  if (e?.code === "EACCES" && e.syscall?.startsWith("spawn")) {
    return `${e.path ?? "A program"} may not be run by this user (EACCES).\n  Fix: run npm install again in this folder, or export DATABASE_URL to use your own PostgreSQL.`;
  }
  if (e?.code === "ECONNREFUSED" || /ECONNREFUSED|ENOTFOUND|password authentication failed|does not exist/.test(message)) {
    return `The database did not accept a connection (${message.split("\n")[0]}).\n  Fix: check DATABASE_URL (host, port, user, password, database), or unset it to use the embedded PostgreSQL.`;
  }
  if (/Address already in use|EADDRINUSE|port .* (is )?(busy|in use)/i.test(message)) {
    return `Port ${PORT} is taken.\n  Fix: stop what uses it, or start on another port: PORT=8788 npm start.`;
  }
  return message;
}

async function fail(err: unknown) {
  if (stopping) return;
  console.error(`\n✖ ${explain(err)}\n`);
  await stop(1);
}

main().catch(fail);
