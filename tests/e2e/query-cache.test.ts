/**
 * The SPA's query cache (web/lib/query.ts): a change made in Settings reaches the board, quick create, list filters
 * and owner pickers without a reload, and going back to a page shows what was loaded at once while it revalidates.
 * Every navigation here goes through the SPA's own links (no page.goto after sign-in), so nothing is reloaded.
 */
import { afterAll, describe, expect, it } from "vitest";
import { apiCall, apiToken, DEMO_LOGINS, screenshot, signIn, unique, useBrowser, type Page } from "./helpers";

const app = useBrowser();

interface Stage {
  id: string;
  name: string;
  probability: number;
  kind: "open" | "won" | "lost";
}

let restoreName: { id: string; name: string } | undefined;

// Other files use the demo pipeline: the renamed stage gets its name back.
afterAll(async () => {
  if (!restoreName) return;
  const token = await apiToken(DEMO_LOGINS.admin);
  const { stages } = await apiCall<{ stages: Stage[] }>("/api/pipeline/stages", { token });
  const body = stages.map(({ id, name, probability, kind }) => ({ id, name: id === restoreName!.id ? restoreName!.name : name, probability, kind }));
  await apiCall("/api/pipeline/stages", { method: "PUT", token, body: { stages: body } });
});

const nav = (page: Page, name: string) => page.getByRole("navigation", { name: "Main" }).getByRole("link", { name, exact: true });

describe("query cache", () => {
  it("a stage renamed in Settings shows on the board, in quick create and in the list filter without a reload", async () => {
    const page = app.page;
    await signIn(page, DEMO_LOGINS.admin, undefined, "/pipeline");
    // Load (and so cache) every screen that shows stage names before the change.
    await page.getByRole("heading", { name: "Prospecting" }).first().waitFor();
    await page.getByRole("link", { name: "List view" }).click();
    // The grid is virtualised and other files add many deals: wait for its rows, not for a particular stage's.
    await page.getByRole("table", { name: "Opportunities" }).getByRole("row").nth(2).waitFor();
    await page.locator("body").press("c");
    const dialog = page.getByRole("dialog", { name: "Create a record" });
    await dialog.getByRole("radio", { name: "Opportunity" }).check();
    await dialog.getByLabel("Stage").locator("option", { hasText: "Prospecting" }).waitFor({ state: "attached" });
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });

    // The document survives the whole test: a marker on window would vanish with a reload.
    await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));

    await nav(page, "Settings").click();
    await page.getByRole("navigation", { name: "Settings sections" }).getByRole("link", { name: "Pipelines" }).click();
    const stageName = page.getByLabel("Name of stage 1");
    expect(await stageName.inputValue()).toBe("Prospecting");
    const token = await apiToken(DEMO_LOGINS.admin);
    const { stages } = await apiCall<{ stages: Stage[] }>("/api/pipeline/stages", { token });
    restoreName = { id: stages[0]!.id, name: stages[0]!.name };
    const renamed = unique("Discovery call ");
    await stageName.fill(renamed);
    await page.getByRole("button", { name: "Save stages" }).click();
    await page.getByText("Pipeline stages saved").waitFor();

    // The board's column has the new name.
    await nav(page, "Pipeline").click();
    await page.getByRole("heading", { name: renamed }).waitFor();
    expect(await page.getByRole("heading", { name: "Prospecting", exact: true }).count()).toBe(0);
    await screenshot(page, "query-cache-board-after-rename");

    // Quick create's stage picker.
    await page.locator("body").press("c");
    await dialog.getByRole("radio", { name: "Opportunity" }).check();
    await dialog.getByLabel("Stage").locator("option", { hasText: renamed }).waitFor({ state: "attached" });
    expect(await dialog.getByLabel("Stage").locator("option", { hasText: /^Prospecting/ }).count()).toBe(0);
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });

    // The opportunities grid's stage filter (cached before the change).
    await page.getByRole("link", { name: "List view" }).click();
    await page.getByRole("button", { name: /^Filters/ }).click();
    await page.getByRole("button", { name: "Add filter" }).click();
    await page.getByLabel("Filter 1 field").selectOption({ label: "Stage" });
    await page.getByLabel("Filter 1 value").locator("option", { hasText: renamed }).waitFor({ state: "attached" });
    expect(await page.getByLabel("Filter 1 value").locator("option", { hasText: /: Prospecting$/ }).count()).toBe(0);

    expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
    expect(app.pageErrors).toEqual([]);
  });

  it("a user added in Settings is in the board's owner filter without a reload", async () => {
    const page = app.page;
    await nav(page, "Pipeline").click();
    await page.getByRole("button", { name: "Filters" }).click();
    const owner = page.locator("main").getByLabel("Owner");
    await owner.locator("option", { hasText: "Ada Admin" }).waitFor({ state: "attached" });

    await nav(page, "Settings").click();
    await page.getByRole("navigation", { name: "Settings sections" }).getByRole("link", { name: "Users" }).click();
    await page.getByRole("heading", { name: "Users", level: 2 }).waitFor();
    const name = unique("Owen Owner ");
    await page.getByRole("button", { name: "Add user" }).click();
    const add = page.getByRole("dialog", { name: "Add a user" });
    await add.getByLabel("Name").fill(name);
    await add.getByLabel("Email").fill(`${name.replace(/\W+/g, ".").toLowerCase()}@demo.test`);
    await add.getByRole("radio", { name: /^User/ }).check();
    await add.getByRole("button", { name: "Add user" }).click();
    await page.getByRole("dialog", { name: `${name} can now sign in` }).getByRole("button", { name: "Done" }).click();

    await nav(page, "Pipeline").click();
    const filters = page.getByRole("button", { name: "Filters" });
    if ((await filters.getAttribute("aria-expanded")) !== "true") await filters.click();
    await owner.locator("option", { hasText: name }).waitFor({ state: "attached" });
    expect(app.pageErrors).toEqual([]);
  });

  it("going back to a page shows the cached rows at once, then revalidates behind them", async () => {
    const page = app.page;
    await nav(page, "Accounts").click();
    const firstRow = page.locator('main [role="row"][aria-selected]').first();
    await firstRow.waitFor();
    const before = await firstRow.innerText();
    await nav(page, "Contacts").click();
    await page.locator('main [role="row"][aria-selected]').first().waitFor();

    // From now on the accounts API answers only after 3 s: whatever shows sooner came from the cache.
    let requests = 0;
    await page.route(/\/api\/accounts(\?|$)/, async (route) => {
      requests++;
      await new Promise((resolve) => setTimeout(resolve, 3000));
      await route.continue();
    });
    const started = Date.now();
    await nav(page, "Accounts").click();
    await page.waitForFunction(
      (text) => {
        const row = document.querySelector('main [role="row"][aria-selected]');
        return !!row && (row as HTMLElement).innerText === text && !document.querySelector("main .animate-pulse");
      },
      before,
      { timeout: 2000 },
    );
    expect(Date.now() - started).toBeLessThan(2000);
    await page.unroute(/\/api\/accounts(\?|$)/);
    // Fresh data is not refetched at once (10 s); either way the rows never went away.
    expect(requests).toBeLessThanOrEqual(1);
  });
});
