import type { TestProject } from "vitest/node";
import { createDatabase, dropDatabase, isReachable, migrate, startEmbeddedPostgres } from "../../scripts/lib/database";
import { startNeonStandin } from "../../scripts/lib/neon-standin";
import { startFakeOpenAI } from "./fake-openai";
import { startFakeProviders } from "./fake-providers";
import { startWebhookReceiver } from "./webhook-receiver";

declare module "vitest" {
  interface ProvidedContext {
    databaseUrl: string;
    adminDatabaseUrl: string;
    neonProxy: string;
    /** Fake Resend / Postmark / Sentry (tests/helpers/fake-providers.ts). */
    fakeProvidersUrl: string;
    /** Migrated, empty databases of their own: first-admin bootstrap, and a backup's source and restore target. */
    bootstrapDatabaseUrl: string;
    backupSourceDatabaseUrl: string;
    backupTargetDatabaseUrl: string;
    /** Records webhook deliveries and fails on request (tests/helpers/webhook-receiver.ts). */
    webhookReceiverUrl: string;
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

  // Production readiness (issue 7): outside services' fakes, and databases that must start empty.
  const fakes = await startFakeProviders();
  cleanups.unshift(fakes.close);
  project.provide("fakeProvidersUrl", fakes.url);
  await Promise.all(
    (["bootstrapDatabaseUrl", "backupSourceDatabaseUrl", "backupTargetDatabaseUrl"] as const).map(async (key, i) => {
      const extra = `${name}_x${i}`;
      const extraUrl = await createDatabase(adminUrl, extra);
      cleanups.unshift(() => dropDatabase(adminUrl, extra));
      await migrate(extraUrl);
      project.provide(key, extraUrl);
    }),
  );

  const receiver = await startWebhookReceiver();
  cleanups.unshift(receiver.close);
  project.provide("webhookReceiverUrl", receiver.url);

  // AI layer (issue 6): a fake OpenAI Responses API, reached through OPENAI_BASE_URL per request.
  const fakeOpenAI = await startFakeOpenAI();
  cleanups.unshift(fakeOpenAI.close);
  project.provide("fakeOpenAIUrl", fakeOpenAI.url);

  return async () => {
    for (const c of cleanups) await c().catch((e) => console.error("teardown:", e));
  };
}
