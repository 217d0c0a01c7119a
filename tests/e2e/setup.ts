/**
 * Global setup of the "e2e" vitest project: the app started the way `npm start` starts it (scripts/lib/stack.ts),
 * on a fresh database seeded with the demo workspace, served by `wrangler dev` on a free port. Tests get its URL
 * with `inject("baseUrl")`; the teardown stops wrangler and the Neon stand-in and drops the database.
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import type { TestProject } from "vitest/node";
import { createDatabase, dropDatabase, isReachable, startEmbeddedPostgres } from "../../scripts/lib/database";
import { startStack } from "../../scripts/lib/stack";
import { CHROMIUM_PATH } from "./chromium";

declare module "vitest" {
  interface ProvidedContext {
    baseUrl: string;
    e2eDatabaseUrl: string;
    /** The SPA build the app serves, so a test can start a second app on it (other settings, same bundle). */
    e2eAssetsDir: string;
    /** Why the app could not be started (no Chromium, SPA build failed …): every browser test fails with it. */
    e2eSetupError: string;
  }
}

const SYSTEM_PG = process.env.TEST_DATABASE_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export default async function setup(project: TestProject) {
  // A missing browser or an app that does not start is never a reason to skip: every browser test then fails with
  // the reason (helpers.ts), while the other suites of the run still run and count.
  const fail = (reason: string) => {
    project.provide("baseUrl", "");
    project.provide("e2eDatabaseUrl", "");
    project.provide("e2eAssetsDir", "");
    project.provide("e2eSetupError", reason);
  };
  if (!existsSync(CHROMIUM_PATH)) {
    fail(
      `Chromium is not installed at ${CHROMIUM_PATH}: the browser tests cannot run. ` +
        "Install Debian's package (`apt-get update && apt-get install -y chromium`, as .ci/run does) or set CHROMIUM_PATH.",
    );
    return;
  }

  const cleanups: (() => Promise<unknown>)[] = [];
  const teardown = async () => {
    for (const c of cleanups.reverse()) await c().catch((e) => console.error("e2e teardown:", e));
  };
  const work = `.tmp/e2e-${process.pid}`;
  await mkdir(work, { recursive: true });
  cleanups.push(() => rm(work, { recursive: true, force: true }));

  try {
    let adminUrl = SYSTEM_PG;
    if (!(await isReachable(SYSTEM_PG))) {
      // Its own cluster: the worker suites' global setup may be running one on .data/test-postgres in this process.
      const embedded = await startEmbeddedPostgres({ dataDir: ".data/e2e-postgres", port: 54331 });
      cleanups.push(embedded.stop);
      adminUrl = embedded.url;
    }
    const name = `bespoke_e2e_${process.pid}_${Date.now()}`;
    const databaseUrl = await createDatabase(adminUrl, name);
    cleanups.push(() => dropDatabase(adminUrl, name));

    const started = Date.now();
    // Its own assets folder and state: never disturbs a running `npm start` (dist/web) or another test run.
    const stack = await startStack({
      databaseUrl,
      jwtSecret: randomBytes(32).toString("base64url"),
      port: 0,
      persistTo: `${work}/wrangler`,
      assetsDir: `${work}/web`,
      vars: { ENVIRONMENT: "test", INBOUND_EMAIL_DOMAIN: "in.crm.test" },
      stdio: "capture",
    });
    cleanups.push(async () => {
      await writeFile(".tmp/e2e-wrangler.log", stack.output()).catch(() => {});
      await stack.stop();
    });
    console.log(`[e2e] app ready at ${stack.url} in ${((Date.now() - started) / 1000).toFixed(1)} s (database ${name})`);

    project.provide("baseUrl", stack.url);
    project.provide("e2eDatabaseUrl", databaseUrl);
    project.provide("e2eAssetsDir", `${work}/web`);
    project.provide("e2eSetupError", "");
  } catch (error) {
    await teardown();
    const reason = `The app under test did not start: ${error instanceof Error ? error.message : String(error)}`;
    console.error(`[e2e] ${reason}`);
    fail(reason);
    return;
  }
  return teardown;
}
