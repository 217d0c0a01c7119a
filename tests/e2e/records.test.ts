/**
 * Record lists and detail pages in a real browser: sort / filter / page with the state in the URL, open a row by
 * click or Enter, CSV export; in-place editing with server errors under the field, the activity timeline (log a
 * note, add and complete a task), moving a deal along its stage path, attachments (upload with progress, download
 * the same bytes, delete after confirming) and what a VIEWER may not do. Every test creates its own records.
 */
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { apiCall, apiToken, DEMO_LOGINS, expectNoSeriousA11yViolations, screenshot, signIn, unique, useBrowser, waitForText, type Page } from "./helpers";

const app = useBrowser();

let token: string;
beforeAll(async () => {
  token = await apiToken(DEMO_LOGINS.user);
});

/** The grid's record rows (group headers and the header row have no checkbox). */
const rows = (page: Page) => page.getByRole("table").getByRole("row").filter({ has: page.getByRole("checkbox", { name: /^Select row/ }) });
const firstCells = (page: Page) => rows(page).locator('[role="cell"]:nth-child(2)').allInnerTexts();
const toast = (page: Page, text: string) => waitForText(page.locator("[data-toast]").filter({ hasText: text }).first(), text);

describe("record lists", () => {
  it("loads accounts past the first page as the grid scrolls, sorts by a header, and a link's filter and sort apply", async () => {
    const tag = unique("Pager ");
    for (let i = 1; i <= 205; i++) await apiCall("/api/accounts", { token, body: { name: `${tag} ${String(i).padStart(3, "0")}` } });
    const page = app.page;
    await signIn(page, DEMO_LOGINS.user, undefined, `/accounts?q=${encodeURIComponent(tag)}`);
    await page.getByRole("heading", { name: "Accounts", level: 1 }).waitFor();
    await waitForText(page.getByTestId("grid-count"), "205 accounts · 200 loaded");
    expect((await firstCells(page))[0]).toBe(`${tag} 001`);
    // Scrolling to the end loads the next keyset page.
    await page.getByRole("table").evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await waitForText(page.getByTestId("grid-count"), /^205 accounts$/);

    const nameHeader = page.getByRole("columnheader", { name: /Name/ });
    expect(await nameHeader.getAttribute("aria-sort")).toBe("ascending");
    await page.getByRole("table").evaluate((el) => el.scrollTo(0, 0));
    await nameHeader.getByRole("button").click();
    await expect.poll(async () => (await firstCells(page))[0]).toBe(`${tag} 205`);
    expect(await nameHeader.getAttribute("aria-sort")).toBe("descending");

    // A link with a sort reproduces it.
    await page.goto(`/accounts?q=${encodeURIComponent(tag)}&sort=-name`);
    await expect.poll(async () => (await firstCells(page))[0]).toBe(`${tag} 205`);
    await rows(page).first().getByRole("link").click();
    await page.getByRole("heading", { name: `${tag} 205`, level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toMatch(/^\/accounts\/[0-9a-f-]{36}$/);
    expect(app.pageErrors).toEqual([]);
  }, 180_000);

  it("filters leads by status with the filter builder, contacts by a link's account, and shows the account's name", async () => {
    const tag = unique("Filt ");
    await apiCall("/api/leads", { token, body: { name: `${tag} Qualified Lead`, company: "Q Co", status: "qualified" } });
    await apiCall("/api/leads", { token, body: { name: `${tag} New Lead`, company: "N Co" } });
    const account = await apiCall<{ id: string; name: string }>("/api/accounts", { token, body: { name: `${tag} Holdings` } });
    await apiCall("/api/contacts", { token, body: { name: `${tag} Inside`, accountId: account.id } });
    await apiCall("/api/contacts", { token, body: { name: `${tag} Outside` } });

    const page = app.page;
    await signIn(page, DEMO_LOGINS.user, undefined, `/leads?q=${encodeURIComponent(tag)}`);
    await expect.poll(() => rows(page).count()).toBe(2);
    await page.getByRole("button", { name: /^Filters/ }).click();
    await page.getByRole("button", { name: "Add filter" }).click();
    await page.getByLabel("Filter 1 field").selectOption({ label: "Status" });
    await page.getByLabel("Filter 1 value").selectOption("qualified");
    await expect.poll(() => rows(page).count()).toBe(1);
    expect(await rows(page).first().innerText()).toContain("Qualified");

    await page.goto(`/contacts?q=${encodeURIComponent(tag)}&accountId=${account.id}`);
    await expect.poll(() => rows(page).count()).toBe(1);
    await expect.poll(() => rows(page).first().innerText()).toContain(`${tag} Holdings`); // the account's name
    await rows(page).first().getByRole("link").click();
    await page.getByRole("heading", { name: `${tag} Inside`, level: 1 }).waitFor();
  });

  it("exports a list as CSV through the authenticated download", async () => {
    const tag = unique("Export ");
    await apiCall("/api/accounts", { token, body: { name: `${tag} Ltd` } });
    const page = app.page;
    await signIn(page, DEMO_LOGINS.user, undefined, "/accounts");
    await page.getByRole("heading", { name: "Accounts", level: 1 }).waitFor();
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export CSV" }).click()]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const csv = readFileSync((await download.path())!, "utf8");
    expect(csv.split(/\r?\n/)[0]).toMatch(/name/i);
    expect(csv).toContain(`${tag} Ltd`);
  });

  it("shows no create controls to a VIEWER", async () => {
    const page = app.page;
    await signIn(page, DEMO_LOGINS.viewer, undefined, "/accounts");
    await page.getByRole("heading", { name: "Accounts", level: 1 }).waitFor();
    await rows(page).first().waitFor();
    expect(await page.getByRole("button", { name: /^New / }).count()).toBe(0);
    await page.goto("/opportunities");
    await rows(page).first().waitFor();
    expect(await page.getByRole("button", { name: "New opportunity" }).count()).toBe(0);
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, "opportunities-list");
  });
});

describe("record detail pages", () => {
  it("edits fields in place: Enter saves, Escape cancels, the server's complaint shows under the field", async () => {
    const tag = unique("Edit ");
    const contact = await apiCall<{ id: string }>("/api/contacts", { token, body: { name: `${tag} Person`, title: "Buyer" } });
    const page = app.page;
    await signIn(page, DEMO_LOGINS.user, undefined, `/contacts/${contact.id}`);
    await page.getByRole("heading", { name: `${tag} Person`, level: 1 }).waitFor();

    await page.getByRole("button", { name: /^Edit E-mail/ }).click();
    const email = page.getByRole("textbox", { name: "E-mail" });
    await email.fill("not-an-email");
    await email.press("Enter");
    await waitForText(page.locator("[data-field=email] [role=alert]"), /e-mail address/);
    expect(await email.getAttribute("aria-invalid")).toBe("true");
    await email.fill(`${tag.replace(/\s/g, "").toLowerCase()}@example.com`);
    await email.press("Enter");
    await toast(page, "E-mail saved.");
    await page.getByRole("button", { name: /^Edit E-mail: .*@example\.com/ }).waitFor();

    await page.getByRole("button", { name: /^Edit Title/ }).click();
    await page.getByRole("textbox", { name: "Title" }).fill("Something else");
    await page.keyboard.press("Escape");
    await page.getByRole("button", { name: "Edit Title: Buyer" }).waitFor();
    const saved = await apiCall<{ email: string; title: string }>(`/api/contacts/${contact.id}`, { token });
    expect(saved).toMatchObject({ email: `${tag.replace(/\s/g, "").toLowerCase()}@example.com`, title: "Buyer" });
  });

  it("logs a note and a task from the timeline and completes the task there", async () => {
    const tag = unique("Time ");
    const account = await apiCall<{ id: string }>("/api/accounts", { token, body: { name: `${tag} Corp` } });
    const page = app.page;
    await signIn(page, DEMO_LOGINS.user, undefined, `/accounts/${account.id}`);
    await page.getByRole("heading", { name: `${tag} Corp`, level: 1 }).waitFor();
    const composer = page.getByRole("form", { name: "Log activity" });

    await composer.getByRole("textbox", { name: "Subject" }).fill("Intro call booked");
    await composer.getByRole("textbox", { name: "Details" }).fill("They use spreadsheets today.");
    await composer.getByRole("button", { name: "Add note" }).click();
    await toast(page, "Note logged.");
    const note = page.locator("li[data-activity-type=note]").first();
    await waitForText(note, "Sam Seller added a note");
    expect(await note.innerText()).toContain("They use spreadsheets today.");

    await composer.locator("label", { hasText: /^Task$/ }).click();
    await composer.getByRole("textbox", { name: "Subject" }).fill("Send the pricing sheet");
    await composer.getByLabel("Due date").fill("2030-01-15");
    await composer.getByRole("button", { name: "Add task" }).click();
    await toast(page, "Task added.");
    const task = page.locator("li[data-activity-type=task]", { hasText: "Send the pricing sheet" });
    await waitForText(task, /Due .*2030/);
    await task.getByRole("button", { name: /Mark complete/ }).click();
    await waitForText(task, /Completed/);
    const { data } = await apiCall<{ data: { subject: string; completedAt: string | null }[] }>(`/api/activities?type=task&accountId=${account.id}`, { token });
    expect(data.find((t) => t.subject === "Send the pricing sheet")?.completedAt).toBeTruthy();
  });

  it("moves a deal along its stage path with a reason, shown on its timeline", async () => {
    const tag = unique("Path ");
    const stages = (await apiCall<{ stages: { id: string; name: string }[] }>("/api/pipeline/stages", { token })).stages;
    const deal = await apiCall<{ id: string }>("/api/opportunities", { token, body: { name: `${tag} Deal`, stageId: stages.find((s) => s.name === "Prospecting")!.id, amount: 10_000_00, currency: "USD" } });
    const page = app.page;
    await signIn(page, DEMO_LOGINS.user, undefined, `/opportunities/${deal.id}`);
    await page.getByRole("heading", { name: `${tag} Deal`, level: 1 }).waitFor();
    await page.getByRole("button", { name: "Move the deal to Negotiation" }).click();
    const dialog = page.getByRole("dialog", { name: "Move deal to another stage" });
    await dialog.getByRole("textbox", { name: "Reason" }).fill("Legal review started");
    await dialog.getByRole("button", { name: "Confirm move" }).click();
    await dialog.waitFor({ state: "detached" });
    const entry = page.locator("li[data-activity-type=stage_change]").first();
    await waitForText(entry, "from Prospecting to Negotiation");
    expect(await entry.innerText()).toContain("Legal review started");
    await page.locator('nav[aria-label="Stage"] [aria-current="step"]', { hasText: "Negotiation" }).waitFor();
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, "opportunity-detail");
  });

  it("uploads an attachment with a progress bar, downloads the same bytes, and deletes it after confirming", async () => {
    const tag = unique("Files ");
    const deal = await apiCall<{ id: string }>("/api/opportunities", { token, body: { name: `${tag} Deal` } });
    const page = app.page;
    await signIn(page, DEMO_LOGINS.user, undefined, `/opportunities/${deal.id}`);
    await page.getByRole("heading", { name: `${tag} Deal`, level: 1 }).waitFor();
    const panel = page.getByRole("region", { name: /^Attachments/ });
    await panel.getByText("No files yet").waitFor();

    // ~1.5 MB over a throttled link (1 MB/s up), so the progress bar is on screen long enough to see.
    const content = Buffer.from(Array.from({ length: 30_000 }, (_, i) => `line ${i} of the proposal, with some words to fill it up\n`).join(""));
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 1_000_000 });
    await panel.getByLabel("Files to upload").setInputFiles({ name: "proposal.txt", mimeType: "text/plain", buffer: content });
    const bar = panel.getByRole("progressbar", { name: "Uploading proposal.txt" });
    await bar.waitFor();
    const seen = Number(await bar.getAttribute("aria-valuenow"));
    expect(seen).toBeGreaterThanOrEqual(0);
    expect(seen).toBeLessThan(100);
    await bar.waitFor({ state: "detached", timeout: 30_000 });
    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await toast(page, "Uploaded proposal.txt.");
    await panel.getByText("proposal.txt").waitFor();

    const [download] = await Promise.all([page.waitForEvent("download"), panel.getByRole("button", { name: "Download proposal.txt" }).click()]);
    expect(download.suggestedFilename()).toBe("proposal.txt");
    expect(readFileSync((await download.path())!).equals(content)).toBe(true);

    await panel.getByRole("button", { name: "Delete proposal.txt" }).click();
    const confirm = page.getByRole("dialog", { name: "Delete “proposal.txt”?" });
    await confirm.getByRole("button", { name: "Cancel" }).click();
    await confirm.waitFor({ state: "detached" });
    expect(await panel.getByText("proposal.txt").count()).toBe(1);
    await panel.getByRole("button", { name: "Delete proposal.txt" }).click();
    await confirm.getByRole("button", { name: "Delete file" }).click();
    await panel.getByText("No files yet").waitFor();
    const list = await apiCall<{ data: unknown[] }>(`/api/opportunities/${deal.id}/attachments`, { token });
    expect(list.data).toEqual([]);
  });

  it("AI insights: a queued summary with citations that link to their sources, and a suggested action turned into a task", async () => {
    const tag = unique("AI ");
    const account = await apiCall<{ id: string; name: string }>("/api/accounts", { token, body: { name: `${tag} Robotics` } });
    const deal = await apiCall<{ id: string }>("/api/opportunities", { token, body: { name: `${tag} Pilot`, accountId: account.id, amount: 20_000_00, currency: "USD", closeDate: "2030-06-30" } });
    await apiCall("/api/activities", { token, body: { type: "call", subject: "Discovery call", body: "Budget approved for the pilot; security review pending.", opportunityId: deal.id } });
    const page = app.page;
    await signIn(page, DEMO_LOGINS.user, undefined, `/opportunities/${deal.id}`);
    const ai = page.getByRole("region", { name: "AI insights" });
    await ai.getByRole("button", { name: "Summarise" }).click();
    // The summary is written by the queue consumer; the panel polls the job until it lands.
    const summary = ai.getByRole("region", { name: "Summary" });
    await summary.getByRole("listitem").first().waitFor({ timeout: 45_000 });
    const accountCitation = summary.getByRole("link", { name: new RegExp(`${tag} Robotics`) }).first();
    expect(await accountCitation.getAttribute("href")).toBe(`/accounts/${account.id}`);

    await ai.getByRole("button", { name: "Suggest" }).click();
    const actions = ai.getByRole("region", { name: "Next best actions" });
    const create = actions.getByRole("button", { name: /^Create task/ }).first();
    await create.waitFor({ timeout: 30_000 });
    await create.click();
    await toast(page, "Task created");
    await actions.getByText("Task created").first().waitFor();
    await expect
      .poll(async () => (await apiCall<{ data: unknown[] }>(`/api/activities?type=task&opportunityId=${deal.id}`, { token })).data.length)
      .toBe(1);
  });

  it("shows a VIEWER the record read-only: no edit buttons, no composer, no upload", async () => {
    const tag = unique("Read ");
    const account = await apiCall<{ id: string }>("/api/accounts", { token, body: { name: `${tag} Inc`, industry: "Retail" } });
    const page = app.page;
    await signIn(page, DEMO_LOGINS.viewer, undefined, `/accounts/${account.id}`);
    await page.getByRole("heading", { name: `${tag} Inc`, level: 1 }).waitFor();
    await page.getByText("Retail").first().waitFor();
    expect(await page.getByRole("button", { name: /^Edit / }).count()).toBe(0);
    expect(await page.getByRole("form", { name: "Log activity" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Upload" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Delete" }).count()).toBe(0);
    await page.getByRole("region", { name: "AI insights" }).waitFor();
  });
});
