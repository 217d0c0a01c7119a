/**
 * Reports in a real browser on the demo data: the win/loss report opens as a chart, its grouping and the table view
 * live in the URL, a number on screen equals the API's, the CSV holds the same numbers, and the page works at phone
 * width. The rotting report lists the deals past their stage's limit, linking to each: for it, Prospecting gets a
 * 10-day limit and one new deal is set 30 days back in it; both are put back afterwards. Nothing else changes.
 */
import { readFileSync } from "node:fs";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { apiCall, apiToken, DEMO_LOGINS, expectNoSeriousA11yViolations, screenshot, signIn, unique, useBrowser } from "./helpers";

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
      ["rotting", "Rotting deals by stage"],
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

interface Rotting {
  total: number;
  stages: { stageId: string; name: string; pipelineId: string; pipelineName: string; count: number; agingLimit: number | null }[];
  deals: { id: string; name: string; daysOver: number; daysInStage: number }[];
}

describe("rotting deals report", () => {
  let client: pg.Client;
  let adminToken: string;
  let stage: { id: string; aging_days: number | null };
  let deal: { id: string; name: string; ownerId: string };

  beforeAll(async () => {
    adminToken = await apiToken(DEMO_LOGINS.admin);
    client = new pg.Client({ connectionString: inject("e2eDatabaseUrl") });
    await client.connect();
    const name = unique("Stale deal ");
    const made = await apiCall<{ id: string; ownerId: string }>("/api/opportunities", { token: adminToken, body: { name, amount: 4_200_00, currency: "USD" } });
    deal = { id: made.id, name, ownerId: made.ownerId };
    stage = (await client.query("select s.id, s.aging_days from opportunities o join pipeline_stages s on s.id = o.stage_id where o.id = $1", [deal.id])).rows[0];
    // No API moves time: the limit and the entry date are written straight to the database.
    await client.query("update pipeline_stages set aging_days = 10 where id = $1", [stage.id]);
    await client.query("update opportunities set stage_entered_at = now() - interval '30 days 1 hour' where id = $1", [deal.id]);
  });

  afterAll(async () => {
    await client?.query("update pipeline_stages set aging_days = $2 where id = $1", [stage?.id, stage?.aging_days ?? null]);
    if (deal) await apiCall(`/api/opportunities/${deal.id}`, { token: adminToken, method: "DELETE" }).catch(() => undefined);
    await client?.end();
  });

  it("charts rotting deals per stage, lists them with links, follows the filters and exports both tables", async () => {
    const page = app.page;
    await page.goto("/reports?report=rotting");
    await page.getByRole("img", { name: "Rotting deals by stage" }).waitFor();
    const api = await apiCall<Rotting>("/api/reports/rotting", { token });
    expect(api.total).toBeGreaterThan(0);
    const prospecting = api.stages.find((s) => s.stageId === stage.id)!;
    // Stages are named with their pipeline when there are several (another file may have added one).
    const multi = new Set(api.stages.map((s) => s.pipelineId)).size > 1;
    const label = (s: Rotting["stages"][number]) => (multi ? `${s.pipelineName} · ${s.name}` : s.name);
    expect(prospecting).toMatchObject({ agingLimit: 10 });
    expect(prospecting.count).toBeGreaterThan(0);

    // The list: the stale deal, 30 days in its stage, 20 over, linking to its page.
    const list = page.getByTestId("report-deals");
    await list.waitFor();
    await expect.poll(() => page.getByRole("heading", { name: /rotting deals?$/, level: 3 }).innerText()).toMatch(new RegExp(`${api.total.toLocaleString("en-US")} rotting deals?$`));
    expect(await list.getByRole("row").count()).toBe(api.deals.length + 1);
    const row = list.getByRole("row").filter({ has: page.getByRole("link", { name: deal.name, exact: true }) });
    expect(await row.locator('td[data-column="daysInStage"]').innerText()).toBe("30 d");
    expect(await row.locator('td[data-column="daysOver"]').innerText()).toBe("20 d");
    expect(await row.locator('td[data-column="amount"]').innerText()).toBe("$4,200");
    // The chart's numbers are the API's (the table view is the chart's twin).
    expect(await page.getByTestId("chart-bar").count()).toBeGreaterThan(0);
    await screenshot(page, "reports/rotting-chart", { fullPage: true });

    await page.getByRole("button", { name: "Table", exact: true }).click();
    const table = page.getByTestId("report-table");
    await table.waitFor();
    for (const s of api.stages) {
      const r = table.getByRole("row").filter({ has: page.getByRole("rowheader", { name: label(s), exact: true }) });
      expect(await r.locator('td[data-column="count"]').innerText(), label(s)).toBe(s.count.toLocaleString("en-US"));
    }
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, "reports/rotting-table", { fullPage: true });

    // Both CSVs: the per-stage numbers, and the deals.
    const [stagesCsv] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export CSV", exact: true }).click()]);
    const stageLines = readFileSync((await stagesCsv.path())!, "utf8").trim().split(/\r\n/);
    expect(stageLines[0]).toMatch(/^Stage,Aging limit,Limit from,Rotting deals,Worst days over/);
    expect(stageLines.length).toBe(api.stages.length + 1);
    expect(stageLines.some((l) => l.startsWith(`${label(prospecting)},10,Stage setting,${prospecting.count},`))).toBe(true);
    const [dealsCsv] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export deals CSV" }).click()]);
    expect(dealsCsv.suggestedFilename()).toMatch(/^rotting-deals-\d{4}-\d{2}-\d{2}\.csv$/);
    const dealLines = readFileSync((await dealsCsv.path())!, "utf8").trim().split(/\r\n/);
    expect(dealLines[0]).toBe("Deal,Owner,Stage,Days in stage,Days over,Currency,Amount");
    expect(dealLines.length).toBe(api.deals.length + 1);
    expect(dealLines.some((l) => l.startsWith(`${deal.name},`) && l.endsWith(`,${label(prospecting)},30,20,USD,4200.00`))).toBe(true);

    // The owner filter goes to the URL and the API, and the list follows.
    await page.getByLabel("Owner").selectOption(deal.ownerId);
    await expect.poll(() => new URL(page.url()).searchParams.get("ownerId")).toBe(deal.ownerId);
    const mine = await apiCall<Rotting>(`/api/reports/rotting?ownerId=${deal.ownerId}`, { token });
    await expect.poll(async () => (await list.getByRole("row").count()) - 1).toBe(mine.deals.length);
    expect(mine.total).toBeLessThanOrEqual(api.total);

    // A deal's name opens the deal.
    await list.getByRole("link", { name: deal.name, exact: true }).click();
    await page.waitForURL(`**/opportunities/${deal.id}`);
    await page.getByRole("heading", { name: deal.name }).waitFor();
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
