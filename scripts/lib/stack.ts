/**
 * "Start the stack" as `npm start` does it, shared by scripts/start.ts and the browser tests' global setup
 * (tests/e2e/setup.ts): migrations → demo seed when empty → the Neon stand-in → SPA build → `wrangler dev` serving
 * SPA + API → wait for /api/health. The caller brings the database (its own Postgres, embedded or a fresh test one).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import * as schema from "../../db/schema";
import { seedDemo } from "../../db/seed";
import { migrate } from "./database";
import { startNeonStandin } from "./neon-standin";
import type { Config } from "../../worker/config";
import { writeHeaders } from "./headers";
import { applyConfigToAllWorkspaces, describeApply } from "../../worker/config-file/apply";
import { configJsonVar } from "../../worker/config-file/bundled";
import { displayPath, loadConfigFile } from "./config-file";
import { checkStartConfig } from "./start-config";
import { StartError } from "./start-error";

const REPO = fileURLToPath(new URL("../..", import.meta.url));
const BIN = path.join(REPO, "node_modules", ".bin");

export interface StackOptions {
  databaseUrl: string;
  jwtSecret: string;
  /** Port for `wrangler dev`; 0 picks a free one. An explicit busy port is an error (wrangler's own rule). */
  port: number;
  /** wrangler's local state (R2 objects, Durable Object storage, queues). */
  persistTo: string;
  /** Where the SPA is built and served from; defaults to wrangler.toml's [assets] directory (dist/web). */
  assetsDir?: string;
  /** false: serve the SPA already built in `assetsDir` (a second app on the same build, e.g. with other vars). */
  build?: boolean;
  /** Values the Worker gets on top of wrangler.toml [vars] (ENVIRONMENT, BRAND_*, …); they win over `configInputs`. */
  vars?: Record<string, string>;
  /**
   * .dev.vars and documented variables from the environment (scripts/lib/start-config.ts `startInputs`). Passed to
   * wrangler in a private env file together with `vars` and the secrets (wrangler then reads no .dev.vars itself).
   */
  configInputs?: Record<string, string | undefined>;
  environment?: string;
  /** "inherit" streams wrangler/vite output to this terminal; "capture" keeps it (see `output()`), for tests. */
  stdio?: "inherit" | "capture";
  /** Progress lines ("applying migrations", …). */
  log?: (message: string) => void;
  /** Called when wrangler exits on its own (not through `stop()`). */
  onUnexpectedExit?: (code: number | null) => void;
  /**
   * The configuration file (a folder holding bespoke.config.ts, or a file; scripts/lib/config-file.ts). Default:
   * BESPOKE_CONFIG, else bespoke.config.ts. Validated before anything starts, applied after the migrations.
   */
  configFile?: string;
}

export interface Stack {
  url: string;
  port: number;
  /** True when this start seeded the demo workspace (the database was empty). */
  seeded: boolean;
  /** The validated configuration the Worker runs with (`config.bespoke` is the configuration file). */
  config: Config;
  /** Which configuration file it runs with (relative to the repository when inside it). */
  configFile: string;
  /** The last lines wrangler and vite printed (with stdio "capture"). */
  output(): string;
  stop(): Promise<void>;
}

/** Whether something already listens on 127.0.0.1:`port`. */
async function portTaken(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(true));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(false)));
  });
}

/** A port nobody listens on right now (the OS picks it); tiny race with other starters, acceptable for dev/tests. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function definedValues(values: Record<string, string | undefined> = {}): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter((e): e is [string, string] => e[1] !== undefined));
}

/** dotenv lines wrangler reads back exactly: quotes that do not occur in the value, line breaks as \n. */
export function dotenv(values: Record<string, string>): string {
  return Object.entries(values)
    .map(([key, value]) => {
      if (/[\r\n]/.test(value)) {
        if (value.includes('"')) throw new Error(`${key} has both line breaks and double quotes: wrangler cannot read it back`);
        return `${key}="${value.replace(/\r?\n/g, "\\n")}"`;
      }
      const quote = ["'", '"', "`"].find((q) => !value.includes(q));
      if (!quote) throw new Error(`${key} contains every kind of quote: wrangler cannot read it back`);
      return `${key}=${quote}${value}${quote}`;
    })
    .join("\n")
    .concat("\n");
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const log = options.log ?? (() => {});
  const capture = options.stdio === "capture";
  const tail: string[] = [];
  const remember = (chunk: Buffer) => {
    tail.push(...chunk.toString().split("\n").filter((l) => l.trim()));
    tail.splice(0, Math.max(0, tail.length - 200));
  };
  const env = {
    ...process.env,
    PATH: `${BIN}${path.delimiter}${process.env.PATH ?? ""}`,
    WRANGLER_SEND_METRICS: "false",
    CLOUDFLARE_CF_FETCH_ENABLED: "false",
  };
  const run = (cmd: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}): ChildProcess => {
    // stdin is never theirs: a child reading the terminal of a backgrounded `npm start` would be stopped (SIGTTIN).
    const child = spawn(cmd, args, { cwd: REPO, env: { ...env, ...extraEnv }, stdio: capture ? ["ignore", "pipe", "pipe"] : ["ignore", "inherit", "inherit"] });
    child.stdout?.on("data", remember);
    child.stderr?.on("data", remember);
    return child;
  };

  const cleanups: (() => Promise<unknown> | void)[] = [];
  let stopping = false;
  const stop = async () => {
    stopping = true;
    for (const c of cleanups.reverse()) await Promise.resolve(c()).catch(() => {});
    cleanups.length = 0;
  };

  try {
    // wrangler would print its own error and exit; say it once, with the fix, before building anything.
    if (options.port && (await portTaken(options.port))) {
      throw new StartError(`Port ${options.port} is taken, so the app cannot listen on it`, `stop what uses it, or start on another port: PORT=${options.port + 1} npm start`);
    }
    // The configuration file first: a bad one stops the start with every problem listed, before anything runs.
    const file = await loadConfigFile(options.configFile);
    log(`configuration file ${displayPath(file.path)}`);
    const standin = await startNeonStandin();
    cleanups.push(() => standin.close());
    const vars: Record<string, string> = {
      ...definedValues(options.configInputs),
      ...options.vars,
      DATABASE_URL: options.databaseUrl,
      NEON_LOCAL_PROXY: `127.0.0.1:${standin.port}`,
      JWT_SECRET: options.jwtSecret,
      // The validated file, for the Worker: `wrangler dev` ignores --alias (worker/config-file/bundled.ts).
      BESPOKE_CONFIG_JSON: configJsonVar(file.config),
    };
    const config = checkStartConfig(vars, file.config);
    // Secrets never go on a command line (`ps` shows it to every user): wrangler reads them from a file only this
    // user can read, removed again at stop.
    const privateDir = mkdtempSync(path.join(tmpdir(), "bespoke-stack-"));
    cleanups.push(() => rmSync(privateDir, { recursive: true, force: true }));
    const envFile = path.join(privateDir, "worker.env");
    writeFileSync(envFile, dotenv(vars), { mode: 0o600 });

    log("applying migrations");
    await migrate(options.databaseUrl);
    const client = new pg.Client({ connectionString: options.databaseUrl });
    await client.connect();
    let seeded: boolean;
    try {
      const db = drizzle({ client, schema });
      const declared = file.config.pipelines.find((p) => p.default) ?? file.config.pipelines[0];
      seeded = await seedDemo(db, { environment: options.environment ?? vars.ENVIRONMENT, pipeline: declared });
      log(seeded ? "seeded the demo workspace" : "database already has data: seed skipped");
      const reports = await applyConfigToAllWorkspaces(db, (fn) => db.transaction((tx) => fn(tx)), file.config);
      for (const line of describeApply(reports)) log(line);
    } finally {
      await client.end();
    }

    if (options.build !== false) {
      log("building the SPA");
      const buildArgs = ["build", "--config", "web/vite.config.ts", "--logLevel", "warn"];
      if (options.assetsDir) buildArgs.push("--outDir", path.resolve(REPO, options.assetsDir), "--emptyOutDir");
      // A production bundle whatever the caller's NODE_ENV (vitest sets "test", which would bundle React's
      // development build: slower, and effects run twice under StrictMode).
      const build = run("vite", buildArgs, { NODE_ENV: "production" });
      // A build takes seconds; one that hangs must fail loudly instead of leaving `npm start` silent.
      const buildTimer = setTimeout(() => build.kill("SIGKILL"), 300_000);
      const buildCode = await new Promise<number>((r) => build.on("exit", (c) => r(c ?? 1)));
      clearTimeout(buildTimer);
      if (buildCode !== 0) throw new Error(`SPA build failed${capture ? `:\n${tail.slice(-40).join("\n")}` : ""}`);
    }
    // The SPA's security headers (CSP, frame, referrer) for the static files wrangler serves, as in production.
    writeHeaders(path.resolve(REPO, options.assetsDir ?? "dist/web"), REPO);

    const port = options.port || (await freePort());
    log(`starting wrangler dev on :${port}`);
    const wranglerArgs = ["dev", "--port", String(port), "--ip", "127.0.0.1", "--persist-to", options.persistTo,
      "--log-level", "warn", "--show-interactive-dev-session=false",
      ...(options.assetsDir ? ["--assets", path.resolve(REPO, options.assetsDir)] : []),
      "--env-file", envFile];
    const wrangler = run("wrangler", wranglerArgs);
    let exited: number | null | undefined;
    wrangler.on("exit", (code) => {
      exited = code;
      if (!stopping) options.onUnexpectedExit?.(code);
    });
    cleanups.push(() => {
      if (exited !== undefined) return;
      wrangler.kill("SIGINT");
      return new Promise((r) => {
        wrangler.once("exit", r);
        setTimeout(() => {
          wrangler.kill("SIGKILL");
          r(null);
        }, 5000);
      });
    });

    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 90_000;
    for (;;) {
      if (exited !== undefined) throw new Error(`wrangler dev exited (${exited}) before it was ready${capture ? `:\n${tail.slice(-40).join("\n")}` : ""}`);
      if (Date.now() > deadline) throw new Error(`wrangler dev did not answer ${url}/api/health within 90 s${capture ? `:\n${tail.slice(-40).join("\n")}` : ""}`);
      try {
        const res = await fetch(`${url}/api/health`);
        if (res.ok) break;
      } catch {
        /* not up yet */
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    return { url, port, seeded, config, configFile: displayPath(file.path), output: () => tail.join("\n"), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
