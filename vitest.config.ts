import { fileURLToPath } from "node:url";
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

/** The deployment's configuration file (wrangler.toml [alias] does the same for the Worker bundle). */
const resolve = { alias: { "bespoke-config": fileURLToPath(new URL("./bespoke.config.ts", import.meta.url)) } };

/**
 * The worker and node projects share one Postgres prepared by the global setup (a fresh database per run):
 * - worker: tests inside workerd with the real R2 / Durable Object / Queue bindings from wrangler.toml,
 *   reaching Postgres through the Neon driver and the local Neon stand-in, exactly like `npm start`;
 * - node: database-level checks (migrations, seed) and scripts;
 * - e2e: the browser suite, with its own global setup that starts the whole app on its own demo database.
 */
export default defineConfig({
  test: {
    globalSetup: ["tests/helpers/global-setup.ts"],
    // The Worker logs one JSON line per request: show console output only for failing tests.
    silent: "passed-only",
    projects: [
      {
        resolve,
        plugins: [
          cloudflareTest(({ inject }) => ({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              bindings: {
                ENVIRONMENT: "test",
                DATABASE_URL: inject<string>("databaseUrl"),
                NEON_LOCAL_PROXY: inject<string>("neonProxy"),
                JWT_SECRET: "test-secret-that-is-long-enough-for-hs256-0123456789",
                JWT_SECRET_PREVIOUS: "previous-secret-still-valid-during-rotation-0123456789",
                INBOUND_EMAIL_DOMAIN: "in.crm.test",
                INBOUND_EMAIL_MAX_BYTES: "65536",
              },
            },
          })),
        ],
        test: { name: "worker", include: ["tests/worker/**/*.test.ts"], setupFiles: ["tests/helpers/zod-openapi-first.ts"], testTimeout: 30_000, hookTimeout: 60_000 },
      },
      {
        resolve,
        test: { name: "node", environment: "node", include: ["tests/node/**/*.test.ts"], testTimeout: 60_000, hookTimeout: 60_000 },
      },
      {
        // Real Chromium against the app started like `npm start` (tests/e2e/setup.ts; see tests/e2e/README.md).
        // The files share that one app and its database, so they run one after another.
        resolve,
        test: {
          name: "e2e",
          environment: "node",
          include: ["tests/e2e/**/*.test.ts"],
          globalSetup: ["tests/e2e/setup.ts"],
          fileParallelism: false,
          testTimeout: 90_000,
          hookTimeout: 240_000,
          // A saved change is checked by polling the API; on a loaded 2-core CI machine a write (WebSocket
          // transaction through the local Neon stand-in) can take longer than vitest's 1 s default to land.
          expect: { poll: { timeout: 10_000, interval: 100 } },
        },
      },
    ],
  },
});
