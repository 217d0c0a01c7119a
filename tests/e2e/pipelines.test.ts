/**
 * Multiple pipelines in a real browser: an ADMIN adds a second pipeline in Settings (and gives a stage an aging
 * limit), a deal is created in it from quick create, it shows on that pipeline's board only (the switcher keeps the
 * choice in the URL and remembers it), and it moves to the default pipeline from its detail page with a stage and a
 * reason. The pipeline is deleted again at the end so the shared demo workspace keeps one pipeline.
 */
import { afterAll, describe, expect, it } from "vitest";
import { apiCall, apiToken, DEMO_LOGINS, expectNoSeriousA11yViolations, MOBILE, screenshot, signIn, unique, useBrowser, type Page } from "./helpers";

const app = useBrowser();

interface PipelineInfo {
  id: string;
  name: string;
  isDefault: boolean;
  stages: { id: string; name: string; kind: string; agingDays: number | null }[];
}

const tag = unique("Pl");
const pipelineName = `Renewals ${tag}`;
let created: PipelineInfo | undefined;

async function pipelines(): Promise<PipelineInfo[]> {
  const token = await apiToken(DEMO_LOGINS.admin);
  return (await apiCall<{ pipelines: PipelineInfo[] }>("/api/pipelines", { token })).pipelines;
}

afterAll(async () => {
  if (!created) return;
  const token = await apiToken(DEMO_LOGINS.admin);
  const sales = (await pipelines()).find((p) => p.isDefault)!;
  await apiCall(`/api/pipelines/${created.id}?moveTo=${sales.stages[0]!.id}`, { method: "DELETE", token }).catch(() => {});
});

const cards = (page: Page) => page.locator("article[data-card-id]");

describe("multiple pipelines", () => {
  it("creates a pipeline, adds a deal to it, shows it on its board only, and moves it across pipelines", async () => {
    const page = app.page;
    await signIn(page, DEMO_LOGINS.admin, undefined, "/settings/stages");

    // Settings → Pipelines: add one, then give its first stage an aging limit.
    await page.getByLabel("New pipeline name").fill(pipelineName);
    await page.getByRole("button", { name: "Add pipeline" }).click();
    await page.getByRole("heading", { name: `Stages of ${pipelineName}` }).waitFor();
    created = (await pipelines()).find((p) => p.name === pipelineName);
    expect(created?.stages.map((s) => s.name)).toEqual(["Prospecting", "Qualification", "Proposal", "Negotiation", "Closed Won", "Closed Lost"]);
    await page.getByLabel("Aging limit of Prospecting, days").fill("21");
    await page.getByRole("button", { name: "Save stages" }).click();
    await page.getByText("Pipeline stages saved").waitFor();
    await expect.poll(async () => (await pipelines()).find((p) => p.id === created!.id)?.stages[0]?.agingDays).toBe(21);
    // Back at the top: a settings link scrolled under the sticky app header would count as an obscured touch target.
    await page.evaluate(() => window.scrollTo(0, 0));
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, "settings-pipelines");

    // Quick create on that pipeline's board: the dialog preselects the board's pipeline.
    await page.goto(`/pipeline?pipeline=${created!.id}`);
    await page.getByRole("combobox", { name: "Pipeline" }).waitFor();
    expect(await page.getByRole("combobox", { name: "Pipeline" }).inputValue()).toBe(created!.id);
    await page.locator("body").press("c");
    const dialog = page.getByRole("dialog", { name: "Create a record" });
    await dialog.getByRole("radio", { name: "Opportunity" }).check();
    const dealName = `${tag} Renewal deal`;
    await dialog.getByLabel("Name").fill(dealName);
    await expect.poll(() => dialog.getByLabel("Pipeline").inputValue()).toBe(created!.id);
    await dialog.getByLabel("Stage").selectOption({ label: "Qualification (25%)" });
    await dialog.getByRole("button", { name: "Create opportunity" }).click();
    await page.waitForURL(/\/opportunities\/[0-9a-f-]{36}$/);
    const dealId = new URL(page.url()).pathname.split("/").pop()!;

    // Its own board shows it; the default board does not.
    await page.goto(`/pipeline?pipeline=${created!.id}&q=${encodeURIComponent(tag)}`);
    await expect.poll(() => cards(page).count(), { timeout: 15_000 }).toBe(1);
    await page.getByRole("article", { name: dealName }).waitFor();
    const sales = (await pipelines()).find((p) => p.isDefault)!;
    await page.getByRole("combobox", { name: "Pipeline" }).selectOption(sales.id);
    await page.waitForURL((url) => url.searchParams.get("pipeline") === sales.id);
    await page.getByText("No deals match these filters").waitFor();
    // Remembered: /pipeline without ?pipeline= opens the last one shown.
    await page.getByRole("combobox", { name: "Pipeline" }).selectOption(created!.id);
    await page.getByRole("article", { name: dealName }).waitFor();
    await page.goto(`/pipeline?q=${encodeURIComponent(tag)}`);
    await page.getByRole("article", { name: dealName }).waitFor();
    expect(await page.getByRole("combobox", { name: "Pipeline" }).inputValue()).toBe(created!.id);

    // Move to the default pipeline from the deal's page: pick the stage, give a reason.
    await page.goto(`/opportunities/${dealId}`);
    await page.getByRole("button", { name: "Move to pipeline…" }).click();
    const move = page.getByRole("dialog", { name: "Move deal to another pipeline" });
    await move.getByLabel("Pipeline").selectOption(sales.id);
    await move.getByLabel("Stage").selectOption({ label: "Proposal" });
    await move.getByLabel("Reason", { exact: true }).fill("Turned out to be new business");
    await screenshot(page, "pipeline-move-dialog");
    await move.getByRole("button", { name: "Confirm move" }).click();
    await move.waitFor({ state: "detached" });
    await page.locator('nav[aria-label="Stage"] [aria-current="step"]', { hasText: "Proposal" }).waitFor();
    const token = await apiToken(DEMO_LOGINS.admin);
    const deal = await apiCall<{ stageId: string; pipelineId: string }>(`/api/opportunities/${dealId}`, { token });
    expect(deal.pipelineId).toBe(sales.id);
    const timeline = await apiCall<{ data: { type: string; subject: string }[] }>(`/api/opportunities/${dealId}/timeline`, { token });
    expect(timeline.data.find((a) => a.type === "stage_change")?.subject).toBe(`${pipelineName}: Qualification → Sales: Proposal`);

    // Now on the default board, not on the other one.
    await page.goto(`/pipeline?pipeline=${created!.id}&q=${encodeURIComponent(tag)}`);
    await page.getByText("No deals match these filters").waitFor();
    await page.goto(`/pipeline?pipeline=${sales.id}&q=${encodeURIComponent(tag)}`);
    await page.getByRole("article", { name: dealName }).waitFor();

    // And back from the board: the card editor's "Move to pipeline…"; the card leaves this board.
    await page.getByRole("button", { name: `Edit ${dealName}` }).click();
    await page.getByRole("form", { name: `Edit ${dealName}` }).getByRole("button", { name: "Move to pipeline…" }).click();
    const back = page.getByRole("dialog", { name: "Move deal to another pipeline" });
    await back.getByLabel("Pipeline").selectOption(created!.id);
    await back.getByLabel("Stage").selectOption({ label: "Negotiation" });
    await back.getByLabel("Reason", { exact: true }).fill("Renewal after all");
    await back.getByRole("button", { name: "Confirm move" }).click();
    await back.waitFor({ state: "detached" });
    await expect.poll(() => cards(page).count()).toBe(0);
    const after = await apiCall<{ pipelineId: string; related: { stage: { name: string } } }>(`/api/opportunities/${dealId}`, { token });
    expect(after).toMatchObject({ pipelineId: created!.id, related: { stage: { name: "Negotiation" } } });

    // The dashboard follows one pipeline at a time: the default, or the one picked (kept in the URL).
    await page.goto("/dashboard");
    await page.getByRole("heading", { name: "Forecast · Sales" }).waitFor();
    await page.getByRole("combobox", { name: "Pipeline" }).selectOption(created!.id);
    await page.getByRole("heading", { name: `Forecast · ${pipelineName}` }).waitFor();
    await page.waitForURL((url) => url.searchParams.get("pipeline") === created!.id);
    const bars = page.locator("#by-stage-title").locator("xpath=ancestor::section[1]");
    await bars.getByText("Negotiation").waitFor();
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, "dashboard-pipeline");
    expect(app.pageErrors).toEqual([]);
  });

  it("shows the pipeline switcher on a phone", async () => {
    const context = await app.newContext(MOBILE);
    const page = await context.newPage();
    await signIn(page, DEMO_LOGINS.user, undefined, `/pipeline?pipeline=${created!.id}`);
    await page.getByRole("combobox", { name: "Pipeline" }).waitFor();
    await page.locator("section[data-stage-id]").first().waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await screenshot(page, "mobile-pipeline-switcher");
  });
});
