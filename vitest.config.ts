import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

/**
 * Two projects share one Postgres prepared by the global setup (a fresh database per run):
 * - worker: tests inside workerd with the real R2 / Durable Object / Queue bindings from wrangler.toml,
 *   reaching Postgres through the Neon driver and the local Neon stand-in, exactly like `npm start`;
 * - node: database-level checks (migrations, seed) and scripts.
 */
export default defineConfig({
  test: {
    globalSetup: ["tests/helpers/global-setup.ts"],
    projects: [
      {
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
              },
            },
          })),
        ],
        test: { name: "worker", include: ["tests/worker/**/*.test.ts"], testTimeout: 30_000, hookTimeout: 60_000 },
      },
      {
        test: { name: "node", environment: "node", include: ["tests/node/**/*.test.ts"], testTimeout: 60_000, hookTimeout: 60_000 },
      },
    ],
  },
});
