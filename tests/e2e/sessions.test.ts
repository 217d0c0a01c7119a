import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startStack, type Stack } from "../../scripts/lib/stack";
import { apiCall, apiToken, DEMO_LOGINS, signIn, signOut, unique, useBrowser, type Page } from "./helpers";

/**
 * Sliding sessions in the browser. A second copy of the app (same database, same SPA build) runs with a 6-second
 * access token, so tokens really expire while the user works; the shared app keeps its 15 minutes.
 */
const app = useBrowser();
const TTL_SECONDS = 6;
const PASSWORD = "sliding-session-2026";
const state = `.tmp/e2e-sessions-${process.pid}`;
let shortLived: Stack | undefined;
let email = "";

beforeAll(async () => {
  if (inject("e2eSetupError")) return; // useBrowser fails every test with the reason
  shortLived = await startStack({
    databaseUrl: inject("e2eDatabaseUrl"),
    jwtSecret: randomBytes(32).toString("base64url"),
    port: 0,
    persistTo: `${state}/wrangler`,
    assetsDir: inject("e2eAssetsDir"),
    build: false,
    vars: { ENVIRONMENT: "test", JWT_TTL_SECONDS: String(TTL_SECONDS) },
    stdio: "capture",
  });
  // A user of its own: signing out everywhere must not end other test files' demo sessions.
  email = `${unique("sliding.")}@example.test`;
  await apiCall("/api/users", { token: await apiToken(DEMO_LOGINS.admin), body: { email, name: "Sliding Sam", role: "USER", password: PASSWORD } });
}, 180_000);

afterAll(async () => {
  await shortLived?.stop();
  await rm(state, { recursive: true, force: true });
});

/** Expiry (ms) of the access token the page holds. */
const tokenExpiry = (page: Page) =>
  page.evaluate(() => {
    const token = window.localStorage.getItem("bespoke.token")!;
    return (JSON.parse(atob(token.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/"))) as { exp: number }).exp * 1000;
  });

/** Records every refresh the page makes, with its status. */
function watchRefreshes(page: Page): number[] {
  const seen: number[] = [];
  page.on("response", (res) => {
    if (new URL(res.url()).pathname === "/api/auth/refresh") seen.push(res.status());
  });
  return seen;
}

async function shortLivedPage(): Promise<Page> {
  const context = await app.newContext({ baseURL: shortLived!.url });
  return context.newPage();
}

describe("sliding sessions", () => {
  it("the access token expires mid-session and the user keeps working on the same page", async () => {
    const page = await shortLivedPage();
    await signIn(page, email, PASSWORD, "/accounts");
    const refreshes = watchRefreshes(page);
    const expiry = await tokenExpiry(page);
    expect(expiry - Date.now()).toBeLessThanOrEqual(TTL_SECONDS * 1000);
    // The user pauses past the token's lifetime (the server's clock and this machine's are the same).
    await page.waitForFunction((exp) => Date.now() > exp + 1000, expiry, { polling: 250, timeout: 20_000 });

    await page.getByRole("button", { name: "New record" }).click();
    const dialog = page.getByRole("dialog", { name: "Create a record" });
    await dialog.getByRole("radio", { name: "Account" }).check();
    const name = unique("Still Signed In ");
    await dialog.getByLabel("Name").fill(name);
    await dialog.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(/\/accounts\/[0-9a-f-]{36}$/);
    await page.getByRole("heading", { name, level: 1 }).waitFor();
    expect(refreshes).toEqual([200]);
    expect(await tokenExpiry(page)).toBeGreaterThan(expiry);

    // Again after the renewed token expired too, now with a reload: the session slides on, on the same record.
    const recordUrl = page.url();
    const second = await tokenExpiry(page);
    await page.waitForFunction((exp) => Date.now() > exp + 1000, second, { polling: 250, timeout: 20_000 });
    await page.reload();
    await page.getByRole("heading", { name, level: 1 }).waitFor();
    expect(refreshes).toEqual([200, 200]);
    expect(page.url()).toBe(recordUrl);
    expect(app.pageErrors).toEqual([]);
  });

  it("with a clock behind the server, the requests that get 401 at once share one refresh and are repeated", async () => {
    const page = await shortLivedPage();
    await signIn(page, email, PASSWORD, "/accounts");
    // This browser's clock stands still: it never renews ahead of time, so the server's 401 is what triggers it.
    await page.clock.setFixedTime(Date.now());
    const expiry = await tokenExpiry(page);
    await new Promise((r) => setTimeout(r, Math.max(0, expiry - Date.now()) + 1000));

    const refreshes = watchRefreshes(page);
    const unauthorized: string[] = [];
    page.on("response", (res) => {
      if (res.status() === 401) unauthorized.push(new URL(res.url()).pathname);
    });
    // The dashboard starts four requests together.
    const pipelineLoaded = page.waitForResponse((res) => new URL(res.url()).pathname === "/api/opportunities/pipeline" && res.status() === 200);
    await page.getByRole("link", { name: "Dashboard" }).first().click();
    await page.getByRole("heading", { name: "Dashboard", level: 1 }).waitFor();
    await pipelineLoaded;
    await page.getByRole("heading", { name: "Pipeline by stage" }).waitFor();
    expect(await page.getByText(/Couldn’t load/).count()).toBe(0);
    expect(unauthorized.length).toBeGreaterThanOrEqual(2);
    expect(refreshes).toEqual([200]);
    expect(new URL(page.url()).pathname).toBe("/dashboard");
  });

  it("signing out everywhere ends the session in the other browser at once", async () => {
    const laptop = await (await app.newContext()).newPage();
    const phone = await (await app.newContext()).newPage();
    await signIn(laptop, email, PASSWORD, "/accounts");
    await signIn(phone, email, PASSWORD, "/contacts");
    await signOut(phone, { everywhere: true });

    // The laptop's token has minutes left, but its session is revoked: its next request sends it to sign in.
    await laptop.getByRole("link", { name: "Leads" }).first().click();
    await laptop.waitForURL(/\/login\?next=%2Fleads/);
    await laptop.getByRole("button", { name: "Sign in" }).waitFor();
  });
});
