/**
 * The board's money and traffic in a real browser: a move or an edit is applied locally and only the totals are
 * fetched again (requests counted); the totals wait behind the stage-change dialog until the user confirms; a
 * long column loads its next page on scroll; the amount filter's currency is the user's pick; an amount with more
 * decimals than its currency has is refused, not rounded.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { apiCall, apiToken, baseUrl, DEMO_LOGINS, screenshot, signIn, unique, useBrowser, waitForText, type Locator, type Page } from "./helpers";

const app = useBrowser();

interface Stage {
  id: string;
  name: string;
}
interface Opportunity {
  id: string;
  name: string;
  amount: number | null;
  version: number;
}

let token: string;
let stages: Stage[];
const stageId = (name: string) => stages.find((s) => s.name === name)!.id;

beforeAll(async () => {
  token = await apiToken(DEMO_LOGINS.user);
  stages = (await apiCall<{ stages: Stage[] }>("/api/pipeline/stages", { token })).stages;
});

async function createDeal(name: string, stage: string, amount: number | null, currency = "USD"): Promise<Opportunity> {
  return apiCall<Opportunity>("/api/opportunities", { token, body: { name, stageId: stageId(stage), amount, currency } });
}

async function openBoard(page: Page, query: string) {
  await page.goto(`/pipeline?${query}`);
  await page.getByRole("heading", { name: "Pipeline", level: 1 }).waitFor();
  await page.locator("article[data-card-id]").first().waitFor({ timeout: 15_000 });
}

const column = (page: Page, stageName: string): Locator => page.locator("section[data-stage-id]", { has: page.getByRole("heading", { name: stageName, exact: true, level: 2 }) });
const countOf = async (page: Page, stageName: string) => Number((await column(page, stageName).getByTestId("stage-count").innerText()).replace(/\D/g, ""));
const totalOf = (page: Page, stageName: string) => column(page, stageName).getByTestId("stage-total").first().getAttribute("title");
const stageOfCard = (page: Page, name: string) => page.getByRole("article", { name }).evaluate((el) => el.closest("section[data-stage-id]")?.querySelector("h2")?.textContent ?? null);

/** Every API request the page makes from now on, as `METHOD /path?query`. */
function recordRequests(page: Page): string[] {
  const seen: string[] = [];
  page.on("request", (r) => {
    const url = new URL(r.url());
    if (url.pathname.startsWith("/api/")) seen.push(`${r.method()} ${url.pathname}${url.search}`);
  });
  return seen;
}
const boardLoads = (seen: string[]) => seen.filter((r) => r.startsWith("GET /api/opportunities/pipeline?") || r === "GET /api/opportunities/pipeline");

describe("board moves and money", () => {
  it("a move waits for its reason with the totals unchanged, then is applied locally: only the totals are fetched again", async () => {
    const page = app.page;
    const tag = unique("Local ");
    const [alpha] = [await createDeal(`${tag} Alpha`, "Prospecting", 1_000_00), await createDeal(`${tag} Beta`, "Prospecting", 3_000_00)];
    await signIn(page, DEMO_LOGINS.user);
    await openBoard(page, `q=${encodeURIComponent(tag)}`);
    expect(await totalOf(page, "Prospecting")).toBe("Total $4,000.00 · weighted $400.00");
    const summary = page.getByRole("definition").first();
    expect(await summary.innerText()).toBe("$4,000");
    const seen = recordRequests(page);

    // Drag Alpha to Qualification with the mouse.
    const from = page.getByRole("article", { name: alpha!.name });
    const target = column(page, "Qualification");
    const a = (await from.boundingBox())!;
    const t = (await target.boundingBox())!;
    await page.mouse.move(a.x + a.width / 2, a.y + 20);
    await page.mouse.down();
    await page.mouse.move(a.x + a.width / 2 + 10, a.y + 30, { steps: 3 });
    await page.mouse.move(t.x + t.width / 2, t.y + 80, { steps: 12 });
    await page.mouse.up();

    const dialog = page.getByRole("dialog", { name: "Move deal to another stage" });
    await dialog.waitFor();
    // The card shows where it was dropped, but no number has moved yet: the user has not confirmed.
    expect(await stageOfCard(page, alpha!.name)).toBe("Qualification");
    expect(await countOf(page, "Prospecting")).toBe(2);
    expect(await countOf(page, "Qualification")).toBe(0);
    expect(await totalOf(page, "Prospecting")).toBe("Total $4,000.00 · weighted $400.00");
    expect(await summary.innerText()).toBe("$4,000");
    await screenshot(page, "board-move-dialog", { fullPage: false });

    await dialog.getByRole("textbox", { name: "Reason" }).fill("Qualified on the call");
    await dialog.getByRole("button", { name: "Confirm move" }).click();
    await dialog.waitFor({ state: "detached" });
    // Confirmed: the numbers follow at once.
    expect(await countOf(page, "Prospecting")).toBe(1);
    expect(await countOf(page, "Qualification")).toBe(1);
    expect(await totalOf(page, "Prospecting")).toBe("Total $3,000.00 · weighted $300.00");
    await waitForText(page.getByRole("status").filter({ hasText: "Moved" }), `Moved “${alpha!.name}” to Qualification.`);
    await expect.poll(() => seen.filter((r) => r.startsWith("GET /api/opportunities/pipeline/totals")).length).toBe(1);
    await page.waitForTimeout(300);
    expect(seen.filter((r) => r.startsWith("PATCH /api/opportunities/"))).toHaveLength(1);
    expect(boardLoads(seen)).toEqual([]); // the board itself is not fetched again
    expect(await totalOf(page, "Qualification")).toMatch(/^Total \$1,000\.00/);

    // An inline edit: again one PATCH and one totals request, no board.
    await page.getByRole("button", { name: `Edit ${alpha!.name}` }).click();
    const form = page.getByRole("form", { name: `Edit ${alpha!.name}` });
    await form.getByLabel("Amount (USD)").fill("1500");
    await form.getByLabel("Amount (USD)").press("Enter");
    await form.waitFor({ state: "detached" });
    await expect.poll(() => seen.filter((r) => r.startsWith("GET /api/opportunities/pipeline/totals")).length).toBe(2);
    expect(await totalOf(page, "Qualification")).toMatch(/^Total \$1,500\.00/);
    expect(boardLoads(seen)).toEqual([]);
    expect(app.pageErrors).toEqual([]);
  });

  it("cancelling the dialog leaves the numbers as they were", async () => {
    const page = app.page;
    const tag = unique("Keep ");
    const deal = await createDeal(`${tag} Gamma`, "Prospecting", 2_000_00);
    await signIn(page, DEMO_LOGINS.user);
    await openBoard(page, `q=${encodeURIComponent(tag)}`);
    await page.getByRole("button", { name: `Move ${deal.name}` }).focus();
    await page.keyboard.press("Space");
    await waitForText(page.locator("[id^=DndLiveRegion]"), /Picked up/);
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)));
    await page.keyboard.press("ArrowRight");
    await waitForText(page.locator("[id^=DndLiveRegion]"), /over Qualification/);
    await page.keyboard.press("Space");
    const dialog = page.getByRole("dialog", { name: "Move deal to another stage" });
    await dialog.waitFor();
    expect(await totalOf(page, "Prospecting")).toBe("Total $2,000.00 · weighted $200.00");
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });
    expect(await stageOfCard(page, deal.name)).toBe("Prospecting");
    expect(await countOf(page, "Prospecting")).toBe(1);
    expect(await totalOf(page, "Prospecting")).toBe("Total $2,000.00 · weighted $200.00");
  });

  it("refuses 12.345 USD with a clear message instead of saving 12.35", async () => {
    const page = app.page;
    const tag = unique("Cents ");
    const deal = await createDeal(`${tag} Delta`, "Prospecting", 1_000_00);
    await signIn(page, DEMO_LOGINS.user);
    await openBoard(page, `q=${encodeURIComponent(tag)}`);
    const seen = recordRequests(page);
    await page.getByRole("button", { name: `Edit ${deal.name}` }).click();
    const form = page.getByRole("form", { name: `Edit ${deal.name}` });
    await form.getByLabel("Amount (USD)").fill("12.345");
    await form.getByRole("button", { name: "Save" }).click();
    await waitForText(form, "USD amounts have at most 2 decimal places: 12.345 can’t be saved as it is.");
    expect(await form.getByLabel("Amount (USD)").getAttribute("aria-invalid")).toBe("true");
    await screenshot(page, "board-amount-refused", { fullPage: false });
    expect(seen.filter((r) => r.startsWith("PATCH"))).toEqual([]);
    expect((await apiCall<Opportunity>(`/api/opportunities/${deal.id}`, { token })).amount).toBe(1_000_00);
    // 12.34 is fine.
    await form.getByLabel("Amount (USD)").fill("12.34");
    await form.getByRole("button", { name: "Save" }).click();
    await form.waitFor({ state: "detached" });
    await expect.poll(async () => (await apiCall<Opportunity>(`/api/opportunities/${deal.id}`, { token })).amount).toBe(12_34);
  });

  it("the amount filter is in the currency the user picks, whatever currency dominates the view", async () => {
    const page = app.page;
    const tag = unique("Money ");
    // Mostly USD: the old board typed amounts in USD because USD dominated.
    for (const [n, amount] of [["U1", 500_00], ["U2", 900_00], ["U3", 2_000_00]] as const) await createDeal(`${tag} ${n}`, "Prospecting", amount, "USD");
    await createDeal(`${tag} Euro small`, "Prospecting", 300_00, "EUR");
    await createDeal(`${tag} Euro big`, "Prospecting", 4_000_00, "EUR");
    await signIn(page, DEMO_LOGINS.user);
    await openBoard(page, `q=${encodeURIComponent(tag)}`);
    await page.getByRole("button", { name: "Filters", exact: true }).click();
    // No currency picked: no amount fields, a hint instead.
    expect(await page.getByLabel(/Min amount/).count()).toBe(0);
    await page.getByText("Pick a currency to filter by amount.").waitFor();
    const picker = page.getByRole("combobox", { name: "Currency" });
    expect(await picker.locator("option").allInnerTexts()).toEqual(["Any currency", "EUR", "USD"]);
    await picker.selectOption("EUR");
    await expect.poll(() => page.locator("article[data-card-id]").count()).toBe(2);
    await page.getByLabel("Min amount (EUR)").fill("1000");
    await page.getByLabel("Min amount (EUR)").press("Enter");
    await expect.poll(() => page.locator("article[data-card-id]").count()).toBe(1);
    const url = new URL(page.url());
    expect([url.searchParams.get("currency"), url.searchParams.get("amountMin")]).toEqual(["EUR", "100000"]);
    await page.getByRole("article", { name: `${tag} Euro big` }).waitFor();
    expect(await page.getByRole("list", { name: "Active filters" }).innerText()).toMatch(/Currency: EUR[\s\S]*Amount ≥ €1,000/);
    // The other currencies stay on offer while the board shows EUR only.
    expect(await picker.locator("option").allInnerTexts()).toEqual(["Any currency", "EUR", "USD"]);
    await screenshot(page, "board-currency-filter");
    // Switching currency drops the range typed in the other money.
    await picker.selectOption("USD");
    await expect.poll(() => page.locator("article[data-card-id]").count()).toBe(3);
    expect(new URL(page.url()).searchParams.get("amountMin")).toBeNull();
  });
});

describe("a long column", () => {
  it("loads the next cards when scrolled near its end", async () => {
    const page = app.page;
    const tag = unique("Long ");
    const csv = ["name,stageName,amount,currency", ...Array.from({ length: 120 }, (_, i) => `${tag} ${String(i).padStart(3, "0")},Negotiation,${(i + 1) * 100},USD`)].join("\n");
    const form = new FormData();
    form.append("file", new File([csv], "deals.csv", { type: "text/csv" }));
    const imported = await fetch(new URL("/api/import/opportunities", baseUrl), { method: "POST", body: form, headers: { Authorization: `Bearer ${token}` } });
    expect(await imported.json()).toMatchObject({ created: 120 });

    await signIn(page, DEMO_LOGINS.user);
    const seen = recordRequests(page);
    await openBoard(page, `q=${encodeURIComponent(tag)}`);
    const negotiation = column(page, "Negotiation");
    await waitForText(negotiation, "Showing 50 of 120");
    const scroller = negotiation.locator("[data-card-scroller]");
    for (const loaded of [100, 120]) {
      await scroller.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
      if (loaded < 120) await waitForText(negotiation, `Showing ${loaded} of 120`);
      else await expect.poll(() => negotiation.innerText()).not.toContain("Showing");
    }
    await scroller.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await page.getByRole("article", { name: `${tag} 119` }).waitFor();
    const pages = seen.filter((r) => r.startsWith(`GET /api/opportunities/pipeline/stages/${stageId("Negotiation")}/cards`));
    expect(pages).toHaveLength(2);
    expect(boardLoads(seen)).toHaveLength(1);
    await screenshot(page, "board-long-column", { fullPage: false });
  });
});
