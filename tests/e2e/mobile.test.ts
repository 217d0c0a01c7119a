/** The app at 375 px (a small phone): no page is wider than the screen, forms stack, the menu works. */
import { describe, expect, it } from "vitest";
import { DEMO_LOGINS, expectNoSeriousA11yViolations, MOBILE, screenshot, signIn, useBrowser, type Page } from "./helpers";

const app = useBrowser(MOBILE);

/** Horizontal overflow of the document itself (a board or table scrolling inside its own box is fine). */
const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

async function settled(page: Page) {
  await page.locator("main#main").waitFor();
  // Best effort: a panel that never finishes loading is that page's bug, shown in its screenshot, not a reason to stop.
  await page.waitForFunction(() => !document.querySelector(".animate-pulse, [aria-busy='true']"), undefined, { timeout: 8_000 }).catch(() => {});
}

describe("375 px wide", () => {
  it("signs in, and the dashboard, settings and import fit the screen", async () => {
    const page = app.page;
    await page.goto("/login");
    await page.getByRole("button", { name: "Sign in" }).waitFor();
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await screenshot(page, "mobile-login");

    await signIn(page, DEMO_LOGINS.admin, undefined, "/dashboard");
    await settled(page);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await screenshot(page, "mobile-dashboard");

    const pages: [string, (p: Page) => Promise<void>][] = [
      ["/settings/users", (p) => p.getByRole("listitem", { name: /Ada Admin/ }).waitFor()],
      ["/settings/stages", (p) => p.getByRole("list", { name: "Stages in board order" }).getByRole("listitem").first().waitFor()],
      ["/settings/webhooks", (p) => p.getByRole("button", { name: "Add endpoint" }).waitFor()],
      ["/settings/branding", (p) => p.getByRole("heading", { name: "Rebrand a deployment" }).waitFor()],
      ["/import", (p) => p.getByText("Drop a CSV file here").waitFor()],
    ];
    for (const [path, ready] of pages) {
      await page.goto(path);
      await ready(page);
      await settled(page);
      expect(await overflow(page), path).toBeLessThanOrEqual(0);
      if (path === "/settings/users" || path === "/settings/stages") await screenshot(page, `mobile-${path.slice(1).replace("/", "-")}`);
    }
  });

  it("opens the navigation menu, the search palette and quick create", async () => {
    const page = app.page;
    await page.goto("/dashboard");
    await settled(page);

    await page.getByRole("button", { name: "Open menu" }).click();
    await page.getByRole("navigation", { name: "Main (mobile)" }).getByRole("link", { name: "Leads" }).waitFor();
    await screenshot(page, "mobile-menu", { fullPage: false });
    await page.getByRole("button", { name: "Close menu" }).click();

    await page.getByRole("button", { name: "Search" }).click();
    const palette = page.getByRole("dialog", { name: "Search records" });
    await palette.getByRole("combobox").fill("glob");
    await palette.getByRole("option").first().waitFor();
    await screenshot(page, "mobile-search", { fullPage: false });
    await page.keyboard.press("Escape");

    await page.getByRole("button", { name: "New record" }).click();
    const create = page.getByRole("dialog", { name: "Create a record" });
    await create.getByRole("radio", { name: "Opportunity" }).check();
    await create.getByLabel("Stage").locator("option").nth(1).waitFor({ state: "attached" });
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, "mobile-quick-create", { fullPage: false });
    await page.keyboard.press("Escape");
  });

  it("the pipeline board scrolls sideways inside its own box, not the whole page", async () => {
    const page = app.page;
    await page.goto("/pipeline");
    await settled(page);
    await screenshot(page, "mobile-pipeline");
    expect(await overflow(page)).toBeLessThanOrEqual(0);
  });
});
