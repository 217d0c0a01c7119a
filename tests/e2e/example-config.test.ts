import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import renewals from "../../examples/saas-renewals/bespoke.config";
import { createDatabase, dropDatabase } from "../../scripts/lib/database";
import { startStack, type Stack } from "../../scripts/lib/stack";
import { screenshot, signIn, useBrowser } from "./helpers";

/**
 * A client's configuration seen in the browser: a second app (same SPA build) started the way
 * `BESPOKE_CONFIG=examples/saas-renewals npm start` starts it, on a database of its own, shows its brand and its own
 * board: the Renewals pipeline's stages, the demo deals in them.
 */
const app = useBrowser();
const state = `.tmp/e2e-example-config-${process.pid}`;
const name = `bespoke_e2e_renewals_${process.pid}_${Date.now()}`;
let adminUrl = "";
let stack: Stack | undefined;

beforeAll(async () => {
  if (inject("e2eSetupError")) return; // useBrowser fails every test with the reason
  const server = new URL(inject("e2eDatabaseUrl"));
  server.pathname = "/postgres";
  adminUrl = server.toString();
  stack = await startStack({
    databaseUrl: await createDatabase(adminUrl, name),
    jwtSecret: randomBytes(32).toString("base64url"),
    port: 0,
    persistTo: `${state}/wrangler`,
    assetsDir: inject("e2eAssetsDir"),
    build: false,
    vars: { ENVIRONMENT: "test" },
    configFile: "examples/saas-renewals",
    stdio: "capture",
  });
}, 180_000);

afterAll(async () => {
  await stack?.stop();
  if (adminUrl) await dropDatabase(adminUrl, name).catch(() => {});
  await rm(state, { recursive: true, force: true });
});

describe("examples/saas-renewals in Chromium", () => {
  it("shows the example's brand and its Renewals board", async () => {
    const context = await app.newContext({ baseURL: stack!.url });
    const page = await context.newPage();
    await signIn(page, "admin@demo.test", undefined, "/pipeline");
    await page.getByRole("heading", { name: "Pipeline", level: 1 }).waitFor();
    expect(await page.title()).toContain("RenewalDesk");
    const columns = page.locator("section[data-stage-id]").getByRole("heading", { level: 2 });
    await columns.first().waitFor();
    const shown = await columns.allTextContents();
    for (const stage of renewals.pipelines[0]!.stages) expect(shown).toContain(stage.name);
    expect(shown).not.toContain("Prospecting");
    // The demo deals were seeded into the example's default pipeline: its first column has cards.
    const first = page.locator("section[data-stage-id]", { has: page.getByRole("heading", { name: "Upcoming (90 days)", exact: true, level: 2 }) });
    await expect.poll(() => first.locator("[data-card-id]").count()).toBeGreaterThan(0);
    await screenshot(page, "example-config-saas-renewals-board");
  });
});
