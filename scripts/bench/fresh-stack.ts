/**
 * The app as `npm start` runs it (scripts/lib/stack.ts: wrangler dev) on a fresh database of the local PostgreSQL at
 * 127.0.0.1:5432, else the embedded one; everything it made is undone by the returned `cleanups` (last first).
 */
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { createDatabase, dropDatabase, isReachable, startEmbeddedPostgres } from "../lib/database";
import { startStack, type Stack } from "../lib/stack";

export async function startFreshStack(opts: { name: string; work: string; vars?: Record<string, string>; cleanups: (() => Promise<unknown>)[] }): Promise<{ stack: Stack; databaseUrl: string }> {
  const { cleanups } = opts;
  let adminUrl = "postgres://postgres@127.0.0.1:5432/postgres";
  if (!(await isReachable(adminUrl))) {
    const embedded = await startEmbeddedPostgres({ dataDir: ".data/bench-postgres", port: 54331 });
    cleanups.push(embedded.stop);
    adminUrl = embedded.url;
  }
  const dbName = `bespoke_bench_${opts.name}_${process.pid}`;
  const databaseUrl = await createDatabase(adminUrl, dbName);
  cleanups.push(() => dropDatabase(adminUrl, dbName));
  cleanups.push(async () => rmSync(opts.work, { recursive: true, force: true }));

  console.log(`Starting the app on a fresh database (${dbName})…`);
  const stack = await startStack({
    databaseUrl,
    jwtSecret: randomBytes(32).toString("base64url"),
    port: 0,
    persistTo: `${opts.work}/wrangler`,
    assetsDir: `${opts.work}/web`,
    vars: { ENVIRONMENT: "test", ...opts.vars },
    stdio: "capture",
  });
  cleanups.push(() => stack.stop());
  return { stack, databaseUrl };
}
