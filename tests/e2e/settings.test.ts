import { afterAll, describe, expect, it } from "vitest";
import { apiCall, apiToken, baseUrl, DEMO_LOGINS, expectNoSeriousA11yViolations, screenshot, signIn, unique, useBrowser } from "./helpers";

const app = useBrowser();

interface Stage {
  id: string;
  name: string;
  probability: number;
  kind: "open" | "won" | "lost";
  opportunityCount: number;
}

let originalStages: Stage[] | undefined;

// Other files use the demo pipeline: whatever happens here, its stages are put back (by name: a removed stage comes
// back as a new one, and the deals moved away from it return to it).
afterAll(async () => {
  if (!originalStages) return;
  const token = await apiToken(DEMO_LOGINS.admin);
  const { stages: now } = await apiCall<{ stages: Stage[] }>("/api/pipeline/stages", { token });
  const live = new Set(now.map((s) => s.id));
  const stages = originalStages.map(({ id, name, probability, kind }) => (live.has(id) ? { id, name, probability, kind } : { name, probability, kind }));
  const recreated = originalStages.findIndex((s) => !live.has(s.id));
  const wanted = new Set(originalStages.map((s) => s.id));
  const moveTo = Object.fromEntries(
    now.filter((s) => !wanted.has(s.id) && s.opportunityCount > 0).map((s) => [s.id, recreated >= 0 ? recreated : originalStages![0]!.id]),
  );
  await apiCall("/api/pipeline/stages", { method: "PUT", token, body: { stages, ...(Object.keys(moveTo).length && { moveTo }) } });
});

describe("settings: pipeline stages", () => {
  it("renames, re-weights, reorders, adds and removes stages (moving the removed stage's deals) in one save", async () => {
    const token = await apiToken(DEMO_LOGINS.admin);
    originalStages = (await apiCall<{ stages: Stage[] }>("/api/pipeline/stages", { token })).stages;
    const negotiation = originalStages.find((s) => s.name === "Negotiation")!;
    expect(negotiation.opportunityCount).toBeGreaterThan(0);

    const page = app.page;
    await signIn(page, DEMO_LOGINS.admin, undefined, "/settings/stages");
    await page.getByRole("heading", { name: "Pipelines", level: 2 }).waitFor();
    const list = page.getByRole("list", { name: "Stages in board order" });
    await list.getByRole("listitem").first().waitFor();

    await page.getByLabel("Name of stage 2").fill("Discovery");
    await page.getByLabel("Probability of Discovery, percent").fill("20");
    // Keyboard users reorder with the arrow buttons: Proposal moves above Discovery.
    await page.getByRole("button", { name: "Move Proposal up" }).click();
    await page.getByRole("button", { name: "Add stage" }).click();
    const newName = unique("Security review ");
    await page.locator("input[id^='stage-name-new-']").fill(newName);
    await page.getByRole("button", { name: "Remove Negotiation" }).click();
    const move = page.getByLabel(`moves its ${negotiation.opportunityCount} deals to`);
    await move.selectOption({ label: newName });
    await page.getByText("Unsaved changes").waitFor();
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, "settings-stages");

    await page.getByRole("button", { name: "Save stages" }).click();
    await page.getByText("Pipeline stages saved").waitFor();

    const { stages } = await apiCall<{ stages: Stage[] }>("/api/pipeline/stages", { token });
    expect(stages.map((s) => s.name)).toEqual(["Prospecting", "Proposal", "Discovery", newName, "Closed Won", "Closed Lost"]);
    expect(stages.find((s) => s.name === "Discovery")!.probability).toBe(20);
    expect(stages.find((s) => s.name === newName)!.opportunityCount).toBe(negotiation.opportunityCount);
  });

  it("says what is wrong instead of saving a stage without a name", async () => {
    const page = app.page;
    await page.goto("/settings/stages");
    await page.getByLabel("Name of stage 1").fill("");
    await page.getByRole("button", { name: "Save stages" }).click();
    await page.getByText("Name the stage").waitFor();
    await page.getByRole("button", { name: "Discard" }).click();
    expect(await page.getByLabel("Name of stage 1").inputValue()).toBe("Prospecting");
  });
});

describe("settings: API keys", () => {
  it("creates a key whose secret is shown once and works against the API, then revokes it", async () => {
    const page = app.page;
    await page.goto("/settings/api-keys");
    const name = unique("Billing sync ");
    await page.getByLabel("Name").fill(name);
    await page.getByLabel("Role").selectOption("VIEWER");
    await page.getByRole("button", { name: "Create key" }).click();
    const secret = (await page.getByLabel(`Key for “${name}”`).innerText()).trim();
    expect(secret).toMatch(/^bk_live_/);
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, "settings-api-keys");

    const res = await fetch(new URL("/api/accounts?limit=1", baseUrl), { headers: { authorization: `Bearer ${secret}` } });
    expect(res.status).toBe(200);

    await page.getByRole("button", { name: `Revoke ${name}` }).click();
    await page.getByRole("dialog", { name: `Revoke “${name}”?` }).getByRole("button", { name: "Revoke key" }).click();
    await page.getByRole("row", { name: new RegExp(name) }).getByText("Revoked").waitFor();
    const after = await fetch(new URL("/api/accounts?limit=1", baseUrl), { headers: { authorization: `Bearer ${secret}` } });
    expect(after.status).toBe(401);
  });
});

describe("settings: webhooks", () => {
  it("adds an endpoint (signing secret shown once), shows its delivery log, pauses and deletes it", async () => {
    const page = app.page;
    await page.goto("/settings/webhooks");
    await page.getByRole("button", { name: "Add endpoint" }).click();
    const dialog = page.getByRole("dialog", { name: "Add a webhook endpoint" });
    const url = `https://hooks.example.com/${unique("crm")}`;
    await dialog.getByLabel("Endpoint URL").fill(url);
    await dialog.getByLabel("lead.created").check();
    await dialog.getByRole("button", { name: "Add endpoint" }).click();
    const secret = page.getByLabel(`Signing secret for ${url}`);
    await secret.waitFor();
    expect((await secret.innerText()).trim().length).toBeGreaterThan(16);

    await page.getByRole("button", { name: `Deliveries to ${url}` }).click();
    await page.waitForURL(/endpoint=/);
    await page.getByRole("region", { name: /Deliveries to/ }).getByText("No deliveries yet.").waitFor();
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, "settings-webhooks");

    await page.getByRole("button", { name: `Pause ${url}` }).click();
    await page.getByRole("listitem").filter({ hasText: url }).getByText("Paused").waitFor();
    await page.getByRole("button", { name: `Delete ${url}` }).click();
    await page.getByRole("dialog", { name: "Delete this endpoint?" }).getByRole("button", { name: "Delete endpoint" }).click();
    await page.getByRole("listitem").filter({ hasText: url }).waitFor({ state: "detached" });
  });
});

describe("settings: branding", () => {
  it("previews the configured brand and documents the variables", async () => {
    const page = app.page;
    await page.goto("/settings/branding");
    await page.getByRole("heading", { name: "Rebrand a deployment" }).waitFor();
    for (const variable of ["BRAND_NAME", "BRAND_ACCENT_COLOR", "BRAND_LOGO_URL"]) await page.getByRole("rowheader", { name: variable }).waitFor();
    const favicon = page.getByRole("img", { name: "Favicon at 64 pixels" });
    await expect.poll(() => favicon.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, "settings-branding");
    // The document links the generated icon and manifest.
    expect(await page.locator('link[rel="manifest"]').getAttribute("href")).toBe("/manifest.webmanifest");
    const manifest = await (await fetch(new URL("/manifest.webmanifest", baseUrl))).json();
    expect(manifest).toMatchObject({ name: "Bespoke CRM", theme_color: "#4f46e5" });
  });
});
