/**
 * Reports in a real browser on the demo data: the win/loss report opens as a chart, its grouping and the table view
 * live in the URL, a number on screen equals the API's, the CSV holds the same numbers, and the page works at phone
 * width. Read-only: nothing here changes the demo data.
 */
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { apiCall, apiToken, DEMO_LOGINS, expectNoSeriousA11yViolations, screenshot, signIn, useBrowser } from "./helpers";

const app = useBrowser();

interface Group {
  key: string | null;
  label: string;
  won: { count: number };
  lost: { count: number };
  winRate: number | null;
}

let token: string;
beforeAll(async () => {
  token = await apiToken(DEMO_LOGINS.viewer);
});

describe("reports", () => {
  it("shows win/loss by owner, switches to by reason, toggles the table, and its numbers are the API's", async () => {
    const page = app.page;
    await signIn(page, DEMO_LOGINS.viewer, undefined, "/reports");
    await page.getByRole("heading", { name: "Reports", level: 1 }).waitFor();
    // The chart: one labelled SVG with bars.
    await page.getByRole("img", { name: /Won and lost deals by owner/ }).waitFor();
    expect(await page.getByTestId("chart-bar").count()).toBeGreaterThan(0);
    await screenshot(page, "reports/win-loss-chart");

    await page.getByLabel("Group by").selectOption("reason");
    await expect.poll(() => new URL(page.url()).searchParams.get("groupBy")).toBe("reason");
    await page.getByRole("img", { name: /Won and lost deals by reason/ }).waitFor();

    await page.getByRole("button", { name: "Table" }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get("view")).toBe("table");
    const table = page.getByTestId("report-table");
    await table.waitFor();

    const api = await apiCall<{ groups: Group[]; total: Group }>("/api/reports/win-loss?groupBy=reason", { token });
    expect(api.groups.length).toBeGreaterThan(0);
    for (const g of api.groups) {
      const row = table.getByRole("row").filter({ has: page.getByRole("rowheader", { name: g.label, exact: true }) });
      expect(await row.locator('td[data-column="won"]').innerText()).toBe(g.won.count.toLocaleString("en-US"));
      expect(await row.locator('td[data-column="lost"]').innerText()).toBe(g.lost.count.toLocaleString("en-US"));
    }
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, "reports/win-loss-by-reason-table");

    // A reload keeps the report as the URL says; the CSV holds the table's numbers.
    await page.reload();
    await page.getByTestId("report-table").waitFor();
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export CSV" }).click()]);
    const csv = readFileSync((await download.path())!, "utf8").trim().split(/\r\n/);
    expect(csv[0]).toMatch(/^Reason,Won,Lost,Win rate/);
    expect(csv.length).toBe(api.groups.length + 1);
    const first = api.groups[0]!;
    expect(csv.some((line) => line.startsWith(`${first.label.includes(",") ? `"${first.label}"` : first.label},${first.won.count},${first.lost.count},`))).toBe(true);

    // A named period fills From / To in the URL, and the table follows it.
    await page.getByLabel("Period").selectOption({ label: "Last 90 days" });
    await expect.poll(() => new URL(page.url()).searchParams.get("from")).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const url = new URL(page.url());
    const from = url.searchParams.get("from")!;
    const to = url.searchParams.get("to")!;
    const recent = await apiCall<{ groups: Group[] }>(`/api/reports/win-loss?groupBy=reason&from=${from}&to=${to}`, { token });
    await expect.poll(async () => (await page.getByTestId("report-table").getByRole("row").count()) - 1).toBe(Math.max(1, recent.groups.length));
    expect(app.pageErrors).toEqual([]);
  });

  it("every report renders a chart and a table from the demo data", async () => {
    const page = app.page;
    for (const [name, heading] of [
      ["pipeline-by-stage", "Open deals by stage"],
      ["pipeline-over-time", "Open deals per stage, week by week"],
      ["conversion", "Stage conversion and velocity"],
      ["forecast", /Forecast by close month/],
      ["activity-volume", "Logged activities per week, by type"],
    ] as const) {
      await page.goto(`/reports?report=${name}`);
      await page.getByRole("heading", { name: heading, level: 2 }).waitFor();
      await page.getByRole("img", { name: heading }).or(page.getByText("Nothing in this period.")).first().waitFor();
      await screenshot(page, `reports/${name}`);
      await page.getByRole("button", { name: "Table" }).click();
      await page.getByTestId("report-table").waitFor();
    }
    expect(app.pageErrors).toEqual([]);
  });
});

describe("dashboard deal watch", () => {
  it("shows closing this month and slipped since last week, each with its period, as the API counts them", async () => {
    const page = app.page;
    await page.goto("/dashboard");
    const panel = page.getByRole("region", { name: "Deal watch" });
    await panel.getByTestId("closing-count").waitFor();
    const api = await apiCall<{ closingThisMonth: { count: number }; slipped: { count: number } }>("/api/dashboard/deal-watch", { token });
    expect(await panel.getByTestId("closing-count").innerText()).toMatch(new RegExp(`^${api.closingThisMonth.count.toLocaleString("en-US")} deals?$`));
    expect(await panel.getByTestId("slipped-count").innerText()).toBe(api.slipped.count.toLocaleString("en-US"));
    expect(await panel.innerText()).toMatch(/Open deals with a close date \w{3} 1, \d{4} – /);
    await screenshot(page, "reports/dashboard-deal-watch");
  });
});

describe("reports on a phone", () => {
  it("fits a 390×844 screen", async () => {
    const context = await app.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await signIn(page, DEMO_LOGINS.viewer, undefined, "/reports?groupBy=month");
    await page.getByRole("img", { name: /Won and lost deals by close month/ }).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, "reports/phone-win-loss");
    await page.getByRole("button", { name: "Table" }).click();
    await page.getByTestId("report-table").waitFor();
    await screenshot(page, "reports/phone-table");
  });
});
