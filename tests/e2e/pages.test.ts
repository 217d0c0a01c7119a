/**
 * Every main page, signed in as the demo admin: axe-core finds no serious or critical violation, and a full-page
 * screenshot lands in tests/artifacts/ for a person to look at.
 */
import { describe, expect, it } from "vitest";
import { apiCall, apiToken, axe, describeViolations, DEMO_LOGINS, expectNoSeriousA11yViolations, screenshot, signIn, useBrowser, type Page } from "./helpers";

const app = useBrowser();

/** Waits until a page has no skeletons and no pending route (the state a user looks at). */
async function settled(page: Page) {
  await page.locator("main#main").waitFor();
  // Best effort: a panel that never finishes loading is that page's bug, shown in its screenshot, not a reason to stop.
  await page.waitForFunction(() => !document.querySelector(".animate-pulse, [aria-busy='true']"), undefined, { timeout: 8_000 }).catch(() => {});
}

describe("main pages: accessibility and screenshots", () => {
  it("login", async () => {
    const page = app.page;
    await page.goto("/login");
    await page.getByRole("button", { name: "Sign in" }).waitFor();
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, "login");
  });

  it("dashboard: forecast, pipeline by stage, my tasks, recent activity", async () => {
    const page = app.page;
    await signIn(page, DEMO_LOGINS.user, undefined, "/dashboard");
    await page.getByRole("heading", { name: "Dashboard", level: 1 }).waitFor();
    await settled(page);
    for (const panel of ["Forecast", "Pipeline by stage", "My open tasks", "Recent activity"]) {
      await page.getByRole("region", { name: panel, exact: true }).waitFor();
    }
    // The seed gives the demo user open tasks, some overdue, which come first.
    const tasks = page.getByRole("region", { name: "My open tasks" });
    await tasks.getByRole("listitem").first().waitFor();
    const firstDue = await tasks.getByRole("listitem").first().innerText();
    const overdueCount = await tasks.getByText(/^Overdue/).count();
    if (overdueCount > 0) expect(firstDue).toMatch(/Overdue/);
    await page.getByRole("region", { name: "Forecast in USD" }).waitFor();
    expect(await page.getByRole("region", { name: "Pipeline by stage" }).getByRole("link").count()).toBeGreaterThan(3);
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, "dashboard");
    expect(app.pageErrors).toEqual([]);
  });

  it("dashboard: the four panels load in parallel, not one after another", async () => {
    const page = app.page;
    await signIn(page, DEMO_LOGINS.user);
    await page.goto("/dashboard");
    await settled(page);
    await page.getByRole("region", { name: "Recent activity", exact: true }).getByRole("listitem").first().waitFor();
    // Resource Timing's startTime is when the page asked for the resource (before any wait for a free connection):
    // what shows a waterfall in the app's own code, independent of how busy the machine or the browser is.
    const timings = await page.evaluate(() =>
      performance
        .getEntriesByType("resource")
        .filter((e) => /\/api\/(opportunities\/pipeline|activities|users)\b/.test(e.name))
        // A PerformanceResourceTiming in the page (this file is typed against Node's perf_hooks, which lacks it).
        .map((e) => ({ path: new URL(e.name).pathname, start: e.startTime, end: (e as unknown as { responseEnd: number }).responseEnd })),
    );
    // One request per panel (a second round would mean a remount or a double effect).
    expect(timings.map((t) => t.path).sort()).toEqual(["/api/activities", "/api/activities", "/api/opportunities/pipeline", "/api/users"]);
    // No request waits for another: all four are asked for before the first answer is in.
    const lastStart = Math.max(...timings.map((t) => t.start));
    const firstEnd = Math.min(...timings.map((t) => t.end));
    expect(lastStart).toBeLessThanOrEqual(firstEnd);
  });

  it("pipeline", async () => {
    const page = app.page;
    await signIn(page, DEMO_LOGINS.admin, undefined, "/pipeline");
    await page.getByRole("heading", { name: "Pipeline", level: 1 }).waitFor();
    await settled(page);
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, "pipeline");
  });

  it("a list (accounts) and a detail page (an account)", async () => {
    const page = app.page;
    await page.goto("/accounts");
    await page.getByRole("heading", { name: "Accounts", level: 1 }).waitFor();
    await settled(page);
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, "accounts");

    const token = await apiToken(DEMO_LOGINS.admin);
    const { data } = await apiCall<{ data: { id: string; name: string }[] }>("/api/accounts?q=Globex", { token });
    await page.goto(`/accounts/${data[0]!.id}`);
    await page.getByRole("heading", { name: "Globex", level: 1 }).waitFor();
    await settled(page);
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, "account-detail");
  });

  it("settings (every tab) and the import wizard", async () => {
    const page = app.page;
    const problems: string[] = [];
    for (const tab of ["users", "stages", "api-keys", "webhooks", "branding"]) {
      await page.goto(`/settings/${tab}`);
      await page.getByRole("navigation", { name: "Settings sections" }).waitFor();
      await settled(page);
      const found = describeViolations(await axe(page));
      if (found) problems.push(`/settings/${tab}\n${found}`);
      await screenshot(page, `settings-${tab}-page`);
    }
    await page.goto("/import?entity=contacts");
    await page.getByRole("heading", { name: "Import contacts" }).waitFor();
    const found = describeViolations(await axe(page));
    if (found) problems.push(`/import\n${found}`);
    await screenshot(page, "import");
    expect(problems.join("\n")).toBe("");
  });
});
