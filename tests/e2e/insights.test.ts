/**
 * Deal intelligence in a real browser on the demo data: after a refit, cards carry a win-score badge; a deal that has
 * sat in its stage past the stage's aging limit is marked ("N d over"), counted in its column and kept by "Rotting
 * only"; the deal page shows the score with its reasons, each linking to what it cites; Settings → Insights shows the
 * figures. The demo workspace has 10 closed deals (< 30), so the score is the stage probability and says so.
 * The rotting deal and the stage's limit are put back afterwards.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { apiCall, apiToken, DEMO_LOGINS, screenshot, signIn, unique, useBrowser } from "./helpers";

const app = useBrowser();
let client: pg.Client;
let token: string;
let deal: { id: string; name: string };
let stage: { id: string; aging_days: number | null };

beforeAll(async () => {
  token = await apiToken(DEMO_LOGINS.admin);
  client = new pg.Client({ connectionString: inject("e2eDatabaseUrl") });
  await client.connect();
  const name = unique("Rotting deal ");
  deal = { ...(await apiCall<{ id: string }>("/api/opportunities", { token, body: { name, amount: 12_000_00, currency: "USD" } })), name };
  const { rows } = await client.query("select s.id, s.aging_days from opportunities o join pipeline_stages s on s.id = o.stage_id where o.id = $1", [deal.id]);
  stage = rows[0];
  // Twelve days in a stage whose limit is 5 (written straight to the database: no API moves time).
  await client.query("update pipeline_stages set aging_days = 5 where id = $1", [stage.id]);
  await client.query("update opportunities set stage_entered_at = now() - interval '12 days 1 hour' where id = $1", [deal.id]);
  // At the top of its column: other files add many deals to it, and a column shows its first 50 cards.
  await client.query("update opportunities set position = (select coalesce(min(position), 0) - 1 from opportunities where stage_id = $2) where id = $1", [deal.id, stage.id]);
  await apiCall("/api/insights/refit", { token, method: "POST" });
});

afterAll(async () => {
  await client?.query("update pipeline_stages set aging_days = $2 where id = $1", [stage?.id, stage?.aging_days ?? null]);
  if (deal) await apiCall(`/api/opportunities/${deal.id}`, { token, method: "DELETE" }).catch(() => undefined);
  await client?.end();
});

describe("deal intelligence", () => {
  it("marks the rotting card, counts it, filters to it, and shows win-score badges", async () => {
    const page = app.page;
    await signIn(page, DEMO_LOGINS.user, undefined, "/pipeline");
    const card = page.locator(`[data-card-id="${deal.id}"]`);
    await card.waitFor();
    expect(await card.getAttribute("data-rotting")).toBe("true");
    expect(await card.getByTestId("rotting").innerText()).toMatch(/(^|\s)7 d over$/);
    expect(await card.getByTestId("win-score").innerText()).toMatch(/\d+/);
    expect(await page.getByTestId("stage-rotting").first().innerText()).toMatch(/\d+ rotting/);
    await screenshot(page, "insights/board-rotting");

    await page.getByRole("button", { name: "Rotting only" }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get("rotting")).toBe("true");
    await expect.poll(async () => page.locator("[data-card-id]").evaluateAll((els) => els.every((e) => e.getAttribute("data-rotting") === "true"))).toBe(true);
    await card.waitFor();
  });

  it("shows the deal's score with its reasons, each linking to what it cites", async () => {
    const page = app.page;
    await page.goto(new URL(`/opportunities/${deal.id}`, page.url()).toString());
    const panel = page.getByRole("region", { name: "Win score" });
    await panel.waitFor();
    await panel.getByTestId("score-explanation").waitFor();
    expect(await panel.getByTestId("score-explanation").innerText()).toMatch(/Not enough history yet \(\d+ of 30 closed deals\): this is the stage probability/);
    const reason = panel.locator('[data-reason="stage"]');
    expect(await reason.innerText()).toMatch(/whose probability is \d+%/);
    const link = reason.getByRole("link", { name: "this deal" });
    expect(await link.getAttribute("href")).toBe(`/opportunities/${deal.id}`);
    await screenshot(page, "insights/deal-score");
  });

  it("Settings → Insights shows the model, the backtest and forecast accuracy", async () => {
    const page = app.page;
    await signIn(page, DEMO_LOGINS.admin, undefined, "/settings/insights");
    await page.getByTestId("model-summary").waitFor();
    expect(await page.getByTestId("model-summary").innerText()).toMatch(/closed deals/);
    await page.getByTestId("forecast-accuracy").waitFor();
    await screenshot(page, "insights/settings", { fullPage: true });
  });
});
