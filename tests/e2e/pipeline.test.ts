/**
 * The pipeline board in a real browser: moving deals by keyboard and by mouse (with the stage-change reason),
 * cancelling a move, inline editing with live totals, filters in the URL, a version conflict re-applied, and the
 * read-only board of a VIEWER. Each test works on deals it creates with a unique name and narrows the board to
 * them with the search box (`?q=`), so the shared demo data never changes what a test sees.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { apiCall, apiToken, DEMO_LOGINS, expectNoSeriousA11yViolations, screenshot, signIn, unique, useBrowser, waitForText, type Locator, type Page } from "./helpers";

const app = useBrowser();

interface Stage {
  id: string;
  name: string;
}
interface Opportunity {
  id: string;
  name: string;
  stageId: string;
  amount: number | null;
  version: number;
}

let token: string;
let stages: Stage[];
const stage = (name: string) => stages.find((s) => s.name === name)!;

beforeAll(async () => {
  token = await apiToken(DEMO_LOGINS.user);
  stages = (await apiCall<{ stages: Stage[] }>("/api/pipeline/stages", { token })).stages;
});

/** Deals named `<tag> …` in the given stage (USD), created through the API. */
async function createDeals(tag: string, specs: { name: string; stage: string; amount: number | null }[]): Promise<Opportunity[]> {
  const out: Opportunity[] = [];
  for (const s of specs) {
    out.push(await apiCall<Opportunity>("/api/opportunities", { token, body: { name: `${tag} ${s.name}`, stageId: stage(s.stage).id, amount: s.amount, currency: "USD" } }));
  }
  return out;
}

/** Opens the board narrowed to `q` and waits for its cards. */
async function openBoard(page: Page, q: string, expectedCards: number) {
  await page.goto(`/pipeline?q=${encodeURIComponent(q)}`);
  await page.getByRole("heading", { name: "Pipeline", level: 1 }).waitFor();
  await expect.poll(() => page.locator("article[data-card-id]").count(), { timeout: 15_000 }).toBe(expectedCards);
}

const column = (page: Page, stageName: string): Locator => page.locator("section[data-stage-id]", { has: page.getByRole("heading", { name: stageName, exact: true, level: 2 }) });
const card = (page: Page, name: string): Locator => page.getByRole("article", { name });
const stageOfCard = (page: Page, name: string) => card(page, name).evaluate((el) => el.closest("section[data-stage-id]")?.querySelector("h2")?.textContent ?? null);
const countOf = async (page: Page, stageName: string) => Number((await column(page, stageName).getByTestId("stage-count").innerText()).replace(/\D/g, ""));
const totalOf = (page: Page, stageName: string) => column(page, stageName).getByTestId("stage-total").first().getAttribute("title");

/**
 * Lifts the focused card with Space and waits until the keyboard sensor listens for arrows: dnd-kit attaches its
 * key listener in a setTimeout(0) after the lift, so one macrotask after the announcement it is there.
 */
async function lift(page: Page) {
  await page.keyboard.press("Space");
  await waitForText(page.locator("[id^=DndLiveRegion]"), /Picked up/);
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)));
}

async function serverDeal(id: string): Promise<Opportunity> {
  return apiCall<Opportunity>(`/api/opportunities/${id}`, { token });
}

describe("pipeline board", () => {
  it("moves a deal to another stage by keyboard, asks for the reason, and the move shows on the deal's timeline", async () => {
    const page = app.page;
    const tag = unique("Kbd ");
    const [deal] = await createDeals(tag, [{ name: "Alpha", stage: "Prospecting", amount: 1_000_00 }]);
    await signIn(page, DEMO_LOGINS.user);
    await openBoard(page, tag, 1);
    expect(await countOf(page, "Prospecting")).toBe(1);

    // Focus the card's move handle, lift with Space, → to the next stage, Space to drop.
    await page.getByRole("button", { name: `Move ${deal!.name}` }).focus();
    await lift(page);
    await page.keyboard.press("ArrowRight");
    await waitForText(page.locator("[id^=DndLiveRegion]"), /over Qualification/);
    await page.keyboard.press("Space");

    const dialog = page.getByRole("dialog", { name: "Move deal to another stage" });
    await dialog.waitFor();
    expect(await dialog.getAttribute("aria-modal")).toBe("true");
    expect(await dialog.textContent()).toContain("Qualification");
    // The reason is required: confirming without one keeps the dialog open with a message.
    await dialog.getByRole("button", { name: "Confirm move" }).click();
    await waitForText(dialog, "Enter a reason for the move.");
    // Focus stays inside the dialog while it is open (Tab cycles).
    for (let i = 0; i < 6; i++) await page.keyboard.press("Tab");
    expect(await page.evaluate(() => !!document.activeElement?.closest("dialog"))).toBe(true);
    await dialog.getByRole("textbox", { name: "Reason" }).fill("Budget confirmed on the call");
    await dialog.getByRole("combobox", { name: /Reason code/ }).selectOption("progressed");
    await dialog.getByRole("button", { name: "Confirm move" }).click();
    await dialog.waitFor({ state: "detached" });

    await expect.poll(() => stageOfCard(page, deal!.name)).toBe("Qualification");
    expect(await countOf(page, "Prospecting")).toBe(0);
    expect(await countOf(page, "Qualification")).toBe(1);
    await waitForText(page.getByRole("status").filter({ hasText: "Moved" }), `Moved “${deal!.name}” to Qualification.`);
    await expect.poll(async () => (await serverDeal(deal!.id)).stageId).toBe(stage("Qualification").id);
    // Keyboard focus is back on the moved card.
    expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe(`Move ${deal!.name}`);

    await page.getByRole("link", { name: deal!.name }).click();
    await page.getByRole("heading", { name: deal!.name, level: 1 }).waitFor();
    const entry = page.locator("li[data-activity-type=stage_change]").first();
    await waitForText(entry, "moved the deal from Prospecting to Qualification");
    expect(await entry.textContent()).toContain("Reason: Budget confirmed on the call");
    expect(app.pageErrors).toEqual([]);
  });

  it("moves a deal by mouse, and cancelling the reason dialog (button or Escape) puts the card back", async () => {
    const page = app.page;
    const tag = unique("Mouse ");
    const [deal] = await createDeals(tag, [{ name: "Bravo", stage: "Prospecting", amount: 2_000_00 }]);
    await signIn(page, DEMO_LOGINS.user);
    await openBoard(page, tag, 1);

    const drag = async (toStage: string) => {
      const from = (await card(page, deal!.name).boundingBox())!;
      const to = (await column(page, toStage).boundingBox())!;
      await page.mouse.move(from.x + 30, from.y + 50);
      await page.mouse.down();
      await page.mouse.move(from.x + 45, from.y + 60, { steps: 4 });
      await page.mouse.move(to.x + to.width / 2, to.y + 140, { steps: 12 });
      await page.mouse.up();
    };
    const dialog = page.getByRole("dialog", { name: "Move deal to another stage" });

    // Cancel button: the card returns to its stage and nothing is saved.
    await drag("Proposal");
    await dialog.waitFor();
    expect(await stageOfCard(page, deal!.name)).toBe("Proposal"); // shown where it was dropped while the dialog asks
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "detached" });
    expect(await stageOfCard(page, deal!.name)).toBe("Prospecting");
    expect(await countOf(page, "Proposal")).toBe(0);

    // Escape does the same.
    await drag("Proposal");
    await dialog.waitFor();
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });
    expect(await stageOfCard(page, deal!.name)).toBe("Prospecting");
    expect((await serverDeal(deal!.id)).stageId).toBe(stage("Prospecting").id);

    // And a confirmed mouse move sticks.
    await drag("Proposal");
    await dialog.waitFor();
    await dialog.getByRole("textbox", { name: "Reason" }).fill("Proposal requested by e-mail");
    await dialog.getByRole("button", { name: "Confirm move" }).click();
    await expect.poll(async () => (await serverDeal(deal!.id)).stageId).toBe(stage("Proposal").id);
    expect(await stageOfCard(page, deal!.name)).toBe("Proposal");
    const { data } = await apiCall<{ data: { type: string; body: string | null }[] }>(`/api/opportunities/${deal!.id}/timeline`, { token });
    expect(data.filter((a) => a.type === "stage_change").map((a) => a.body)).toEqual(["Proposal requested by e-mail"]);
  });

  it("cancels a keyboard drag with Escape before dropping: nothing moves and no dialog opens", async () => {
    const page = app.page;
    const tag = unique("Esc ");
    const [deal] = await createDeals(tag, [{ name: "Charlie", stage: "Qualification", amount: 3_000_00 }]);
    await signIn(page, DEMO_LOGINS.user);
    await openBoard(page, tag, 1);
    await page.getByRole("button", { name: `Move ${deal!.name}` }).focus();
    await lift(page);
    await page.keyboard.press("ArrowRight");
    await waitForText(page.locator("[id^=DndLiveRegion]"), /over Proposal/);
    await page.keyboard.press("Escape");
    await waitForText(page.locator("[id^=DndLiveRegion]"), /Move cancelled/);
    expect(await page.getByRole("dialog").count()).toBe(0);
    expect(await stageOfCard(page, deal!.name)).toBe("Qualification");
    expect((await serverDeal(deal!.id)).version).toBe(deal!.version);
  });

  it("reorders within a column (between two neighbours) and keeps the order after a reload", async () => {
    const page = app.page;
    const tag = unique("Order ");
    const deals = await createDeals(tag, [
      { name: "One", stage: "Negotiation", amount: 1_00 },
      { name: "Two", stage: "Negotiation", amount: 2_00 },
      { name: "Three", stage: "Negotiation", amount: 3_00 },
    ]);
    await signIn(page, DEMO_LOGINS.user);
    await openBoard(page, tag, 3);
    const names = () => column(page, "Negotiation").locator("article[data-card-id] h3").allInnerTexts();
    const before = await names();
    const last = before[2]!;
    await page.getByRole("button", { name: `Move ${last}` }).focus();
    await lift(page);
    await page.keyboard.press("ArrowUp");
    await waitForText(page.locator("[id^=DndLiveRegion]"), /position 2 of 3/);
    await page.keyboard.press("Space");
    await expect.poll(names).toEqual([before[0], last, before[1]]);
    expect(await page.getByRole("dialog").count()).toBe(0); // same stage: no reason needed
    await waitForText(page.getByRole("status").filter({ hasText: "Moved" }), `Moved “${last}”.`);
    await page.reload();
    await expect.poll(names, { timeout: 15_000 }).toEqual([before[0], last, before[1]]);
    expect(deals).toHaveLength(3);
  });

  it("edits an amount on the card and the column and board totals follow", async () => {
    const page = app.page;
    const tag = unique("Edit ");
    const [deal] = await createDeals(tag, [{ name: "Delta", stage: "Prospecting", amount: 1_000_00 }]);
    await signIn(page, DEMO_LOGINS.user);
    await openBoard(page, tag, 1);
    expect(await totalOf(page, "Prospecting")).toBe("Total $1,000.00 · weighted $100.00");
    const openPipeline = page.getByRole("definition").first();
    expect(await openPipeline.innerText()).toBe("$1,000");

    await page.getByRole("button", { name: `Edit ${deal!.name}` }).click();
    const form = page.getByRole("form", { name: `Edit ${deal!.name}` });
    await form.getByLabel("Amount (USD)").fill("2500");
    await form.getByLabel("Owner").selectOption({ label: "Ada Admin" });
    await form.getByLabel("Amount (USD)").press("Enter");
    await form.waitFor({ state: "detached" });

    await expect.poll(() => totalOf(page, "Prospecting")).toBe("Total $2,500.00 · weighted $250.00");
    await waitForText(openPipeline, "$2,500");
    expect(await card(page, deal!.name).innerText()).toContain("Ada Admin");
    const saved = await serverDeal(deal!.id);
    expect(saved.amount).toBe(2_500_00);
    expect(saved.version).toBe(deal!.version + 1);

    // Escape cancels an edit without saving.
    await page.getByRole("button", { name: `Edit ${deal!.name}` }).click();
    await form.getByLabel("Amount (USD)").fill("9");
    await page.keyboard.press("Escape");
    await form.waitFor({ state: "detached" });
    expect(await totalOf(page, "Prospecting")).toBe("Total $2,500.00 · weighted $250.00");
    expect((await serverDeal(deal!.id)).version).toBe(saved.version);
  });

  it("shows the newer version on a conflict and re-applies the user's change on top of it", async () => {
    const page = app.page;
    const tag = unique("Clash ");
    const [deal] = await createDeals(tag, [{ name: "Echo", stage: "Proposal", amount: 5_000_00 }]);
    await signIn(page, DEMO_LOGINS.user);
    await openBoard(page, tag, 1);
    // Someone else renames the deal after the board loaded.
    const admin = await apiToken(DEMO_LOGINS.admin);
    await apiCall(`/api/opportunities/${deal!.id}`, { method: "PATCH", token: admin, body: { name: `${deal!.name} (renamed)`, version: deal!.version } });

    await page.getByRole("button", { name: `Edit ${deal!.name}` }).click();
    const form = page.getByRole("form", { name: `Edit ${deal!.name}` });
    await form.getByLabel("Amount (USD)").fill("7000");
    await form.getByRole("button", { name: "Save" }).click();

    const dialog = page.getByRole("dialog", { name: "This deal was changed by someone else" });
    await dialog.waitFor();
    const text = await dialog.textContent();
    expect(text).toContain(`version ${deal!.version + 1}`);
    expect(text).toContain(`${deal!.name} (renamed)`); // the newer version is shown
    expect(text).toContain("$7,000.00"); // next to the user's change
    await screenshot(page, "pipeline-conflict", { fullPage: false });
    await dialog.getByRole("button", { name: "Re-apply my change" }).click();
    await dialog.waitFor({ state: "detached" });
    await expect.poll(async () => (await serverDeal(deal!.id)).amount).toBe(7_000_00);
    const after = await serverDeal(deal!.id);
    expect(after.name).toBe(`${deal!.name} (renamed)`); // their change survived
    expect(after.version).toBe(deal!.version + 2);
    await expect.poll(() => page.getByRole("article", { name: `${deal!.name} (renamed)` }).count()).toBe(1);
  });

  it("filters the board by owner and amount in the URL, with totals for the filtered deals only", async () => {
    const page = app.page;
    const tag = unique("Filter ");
    const users = (await apiCall<{ data: { id: string; name: string }[] }>("/api/users", { token })).data;
    const ada = users.find((u) => u.name === "Ada Admin")!;
    const sam = users.find((u) => u.name === "Sam Seller")!;
    const deals = await createDeals(tag, [
      { name: "Small", stage: "Prospecting", amount: 500_00 },
      { name: "Large", stage: "Prospecting", amount: 50_000_00 },
      { name: "Other owner", stage: "Qualification", amount: 40_000_00 },
    ]);
    await apiCall(`/api/opportunities/${deals[0]!.id}`, { method: "PATCH", token, body: { ownerId: sam.id, version: deals[0]!.version } });
    await apiCall(`/api/opportunities/${deals[1]!.id}`, { method: "PATCH", token, body: { ownerId: sam.id, version: deals[1]!.version } });
    await apiCall(`/api/opportunities/${deals[2]!.id}`, { method: "PATCH", token, body: { ownerId: ada.id, version: deals[2]!.version } });

    await signIn(page, DEMO_LOGINS.user);
    await openBoard(page, tag, 3);
    await page.getByRole("button", { name: "Filters", exact: true }).click();
    await page.getByRole("combobox", { name: "Owner", exact: true }).selectOption({ label: "Sam Seller" });
    await expect.poll(() => page.locator("article[data-card-id]").count()).toBe(2);
    expect(new URL(page.url()).searchParams.get("ownerId")).toBe(sam.id);
    expect(await countOf(page, "Qualification")).toBe(0);

    await page.getByRole("combobox", { name: "Currency" }).selectOption("USD");
    await page.getByLabel("Min amount (USD)").fill("1000");
    await page.getByLabel("Min amount (USD)").press("Enter");
    await expect.poll(() => page.locator("article[data-card-id]").count()).toBe(1);
    expect(new URL(page.url()).searchParams.get("amountMin")).toBe("100000"); // typed in dollars, sent in cents
    expect(await totalOf(page, "Prospecting")).toBe("Total $50,000.00 · weighted $5,000.00");
    expect(await page.getByRole("definition").first().innerText()).toBe("$50,000");
    expect(await page.getByRole("list", { name: "Active filters" }).innerText()).toMatch(/Owner: Sam Seller[\s\S]*Amount ≥ \$1,000/);

    // The URL is the whole state: a reload (or a shared link) shows the same filtered board.
    await page.reload();
    await expect.poll(() => page.locator("article[data-card-id]").count(), { timeout: 15_000 }).toBe(1);
    await card(page, `${tag} Large`).waitFor();
    await page.getByRole("button", { name: "Remove filter Owner: Sam Seller" }).click();
    await page.getByRole("button", { name: /Remove filter Amount/ }).click();
    await expect.poll(() => page.locator("article[data-card-id]").count()).toBe(3);
  });

  it("keeps a screenshot of the board and has no serious accessibility problems", async () => {
    const page = app.page;
    await signIn(page, DEMO_LOGINS.user);
    await page.goto("/pipeline");
    await page.locator("article[data-card-id]").first().waitFor();
    await page.waitForFunction(() => !document.querySelector("[aria-busy='true']"));
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, "pipeline-board", { fullPage: false });
  });
});

describe("pipeline board for a VIEWER", () => {
  it("shows the cards read-only: no move handles, no edit buttons, no drag", async () => {
    const page = app.page;
    const tag = unique("View ");
    const [deal] = await createDeals(tag, [{ name: "Foxtrot", stage: "Prospecting", amount: 1_00 }]);
    await signIn(page, DEMO_LOGINS.viewer);
    await openBoard(page, tag, 1);
    expect(await page.getByRole("button", { name: /^Move / }).count()).toBe(0);
    expect(await page.getByRole("button", { name: /^Edit / }).count()).toBe(0);
    expect(await page.locator("[aria-roledescription]").count()).toBe(0);
    // A mouse drag does nothing either.
    const from = (await card(page, deal!.name).boundingBox())!;
    const to = (await column(page, "Proposal").boundingBox())!;
    await page.mouse.move(from.x + 30, from.y + 50);
    await page.mouse.down();
    await page.mouse.move(to.x + 100, to.y + 120, { steps: 10 });
    await page.mouse.up();
    expect(await page.getByRole("dialog").count()).toBe(0);
    expect(await stageOfCard(page, deal!.name)).toBe("Prospecting");
    // The card still opens the deal.
    await page.getByRole("link", { name: deal!.name }).click();
    await page.getByRole("heading", { name: deal!.name, level: 1 }).waitFor();
    expect(await page.getByRole("button", { name: /^Edit / }).count()).toBe(0);
  });
});
