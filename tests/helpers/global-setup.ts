import type { TestProject } from "vitest/node";
import { createDatabase, dropDatabase, isReachable, migrate, startEmbeddedPostgres } from "../../scripts/lib/database";
import { startNeonStandin } from "../../scripts/lib/neon-standin";

declare module "vitest" {
  interface ProvidedContext {
    databaseUrl: string;
    adminDatabaseUrl: string;
    neonProxy: string;
  }
}

const SYSTEM_PG = process.env.TEST_DATABASE_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/**
 * A fresh, migrated database per run: on the machine's PostgreSQL when it answers, else on the embedded one.
 * Also starts the Neon stand-in so the Worker under test reaches it the way it reaches Neon.
 */
export default async function setup(project: TestProject) {
  const cleanups: (() => Promise<void>)[] = [];
  let adminUrl = SYSTEM_PG;
  if (!(await isReachable(SYSTEM_PG))) {
    const embedded = await startEmbeddedPostgres({ dataDir: ".data/test-postgres", port: 54330 });
    cleanups.push(embedded.stop);
    adminUrl = embedded.url;
  }
  const name = `bespoke_test_${process.pid}_${Date.now()}`;
  const url = await createDatabase(adminUrl, name);
  cleanups.unshift(() => dropDatabase(adminUrl, name));
  await migrate(url);
  const standin = await startNeonStandin();
  cleanups.unshift(standin.close);

  project.provide("databaseUrl", url);
  project.provide("adminDatabaseUrl", adminUrl);
  project.provide("neonProxy", `127.0.0.1:${standin.port}`);

  return async () => {
    for (const c of cleanups) await c().catch((e) => console.error("teardown:", e));
  };
}
