/**
 * AI that respects the user, in the browser: a call logged with its direction, outcome and people feeds the offline
 * engine; the offline summary shows at once; AI entries read as the assistant's ("AI summary · requested by Sam
 * Seller"), the latest summary replaces the earlier one on the timeline (one click away), and a per-user toggle,
 * remembered across reloads, hides AI entries from the timeline and the dashboard feed; the draft can be copied, and
 * sent: "Send…" opens the page's e-mail composer with it, and what the user sends reaches the (dev) outbox and the timeline.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { apiCall, apiToken, baseUrl, DEMO_LOGINS, screenshot, signIn, unique, useBrowser, waitForText } from "./helpers";

const app = useBrowser();
let dealId: string;
let dealName: string;
let aliceEmail: string;

beforeAll(async () => {
  const token = await apiToken(DEMO_LOGINS.user);
  const account = await apiCall<{ id: string }>("/api/accounts", { token, body: { name: unique("Respect Co ") } });
  aliceEmail = `${unique("alice.")}@respect-co.test`;
  const alice = await apiCall<{ id: string }>("/api/contacts", { token, body: { firstName: "Alice", lastName: unique("Ray"), email: aliceEmail, accountId: account.id } });
  const ben = await apiCall<{ id: string }>("/api/contacts", { token, body: { firstName: "Ben", lastName: unique("Cole"), accountId: account.id } });
  const stages = await apiCall<{ stages: { id: string; name: string }[] }>("/api/pipeline/stages", { token });
  const prospecting = stages.stages.find((s) => s.name === "Prospecting")!;
  dealName = unique("Respect deal ");
  const deal = await apiCall<{ id: string }>("/api/opportunities", {
    token,
    body: { name: dealName, accountId: account.id, stageId: prospecting.id, primaryContactId: alice.id, contactIds: [alice.id, ben.id] },
  });
  dealId = deal.id;
});

describe("AI that respects the user", () => {
  it("logs a call with direction, outcome and people; the offline engine uses it; AI entries are the assistant's and can be hidden", async () => {
    const page = app.page;
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseUrl });
    await signIn(page, DEMO_LOGINS.user, undefined, `/opportunities/${dealId}`);
    await page.getByRole("heading", { name: dealName }).waitFor();

    // Log an inbound discovery call with Alice and Ben.
    const composer = page.getByRole("form", { name: "Log activity" });
    await composer.getByText("Call", { exact: true }).click();
    await composer.getByPlaceholder("What was the call about?").fill("Discovery call");
    await composer.getByText("Inbound", { exact: true }).click();
    await composer.getByLabel("Outcome").selectOption("connected");
    await composer.locator("label", { hasText: "Alice" }).click();
    await composer.locator("label", { hasText: "Ben" }).click();
    await screenshot(page, "ai-respect/log-call");
    await composer.getByRole("button", { name: "Log call" }).click();
    const callEntry = page.locator('[data-activity-type="call"]').first();
    await waitForText(callEntry, "(inbound · connected · 2 people)");

    // The offline summary answers at once, as the assistant's, requested by the user.
    const panel = page.getByRole("region", { name: "AI insights" });
    await panel.getByRole("button", { name: /Summarise|Refresh/ }).click();
    await waitForText(panel, /inbound, connected/);
    const aiEntries = page.locator('[data-activity-type="ai_summary"]');
    // (The call also queued an automatic summary: "AI summary · written automatically" when it lands last.)
    await waitForText(aiEntries.first(), /^AI summary · (requested by Sam Seller|written automatically)/);
    expect(await page.locator("#activity-title").locator("xpath=ancestor::section").textContent()).not.toContain("added an AI");

    // A second summary replaces the first on the timeline; the earlier ones are one click away.
    await panel.getByRole("button", { name: "Refresh" }).click();
    await waitForText(aiEntries.first(), "AI summary · requested by Sam Seller");
    await waitForText(aiEntries.first(), /Earlier versions \(\d\)/);
    expect(await aiEntries.count()).toBe(1);
    const earlier = Number((await aiEntries.first().getByRole("button", { name: /Earlier versions/ }).textContent())!.replace(/\D/g, ""));
    expect(earlier).toBeGreaterThanOrEqual(1);
    await aiEntries.first().getByRole("button", { name: /Earlier versions/ }).click();
    await page.locator("[data-summary-version]").first().waitFor();
    expect(await page.locator("[data-summary-version]").count()).toBe(earlier);

    // Next best actions: the discovery call just happened, so no one suggests booking it.
    await panel.getByRole("button", { name: "Suggest" }).click();
    await waitForText(panel, /recap of the call/);
    expect(await panel.textContent()).not.toContain("Book a discovery call");

    // The draft follows the intent and can be copied.
    await panel.getByLabel("What should it achieve?").fill("schedule a call next Tuesday to review the migration plan");
    await panel.getByRole("button", { name: "Draft" }).click();
    const body = panel.getByLabel("Body");
    await body.waitFor();
    expect(await body.inputValue()).toContain("I am writing to schedule a call next Tuesday to review the migration plan");
    await panel.getByRole("button", { name: "Copy" }).click();
    await waitForText(page.locator("body"), "Draft copied.");
    expect(await page.evaluate(() => navigator.clipboard.readText())).toContain("review the migration plan");
    await screenshot(page, "ai-respect/deal", { fullPage: true });

    // …and sent: "Send…" opens the page's composer with the draft (recipient, subject, body) to review, and it goes out
    // through the mail provider (the dev outbox), logged as an e-mail on the timeline; the draft then reads "Sent".
    const draftSubject = await panel.getByLabel("Subject").inputValue();
    const draftBody = await body.inputValue();
    await panel.getByRole("button", { name: "Send…" }).click();
    const mailForm = page.getByRole("form", { name: "Send e-mail" });
    await mailForm.waitFor();
    expect(await mailForm.getByLabel("To").inputValue()).toBe(aliceEmail);
    expect(await mailForm.getByLabel("Subject").inputValue()).toBe(draftSubject);
    expect(await mailForm.getByLabel("Message").inputValue()).toBe(draftBody);
    await expect.poll(() => mailForm.getByLabel("To").evaluate((el) => el === document.activeElement)).toBe(true);
    await screenshot(page, "ai-respect/draft-in-composer");
    const subject = unique("Migration plan review ");
    await mailForm.getByLabel("Subject").fill(subject);
    await mailForm.getByLabel("Message").fill(`${draftBody}\n\nP.S. Tuesday 10:00 works on our side.`);
    await mailForm.getByRole("button", { name: "Send e-mail" }).click();
    await waitForText(page.locator("body"), "E-mail sent and logged.");
    const sentEntry = page.locator('[data-activity-type="email"]').filter({ hasText: subject });
    await sentEntry.waitFor();
    const outbox = await fetch(`${baseUrl}/api/dev/outbox`).then((r) => r.text());
    const mail = outbox.split("<article>").find((a) => a.includes(subject));
    expect(mail).toContain(`to ${aliceEmail}`);
    expect(mail).toContain("review the migration plan");
    expect(mail).toContain("P.S. Tuesday 10:00 works on our side.");
    await waitForText(panel.getByTestId("draft-status"), "Sent");
    expect(await panel.getByLabel("Subject").inputValue()).toBe(subject);
    expect(await panel.getByRole("button", { name: "Send…" }).count()).toBe(0);
    await screenshot(page, "ai-respect/draft-sent", { fullPage: true });

    // Hide AI entries: gone from the timeline, and still gone after a reload.
    await page.getByLabel("Show AI entries").uncheck();
    await page.locator('[data-activity-type^="ai_"]').first().waitFor({ state: "detached" });
    await page.reload();
    await callEntry.waitFor();
    expect(await page.getByLabel("Show AI entries").isChecked()).toBe(false);
    expect(await page.locator('[data-activity-type^="ai_"]').count()).toBe(0);

    // The dashboard feed follows the same choice, and shows AI entries as the assistant's when shown.
    await page.goto("/dashboard");
    const recent = page.getByRole("region", { name: "Recent activity" });
    await waitForText(recent, "Discovery call");
    expect(await recent.textContent()).not.toContain("AI summary");
    await recent.getByLabel("Show AI entries").check();
    await waitForText(recent, "AI summary · requested by Sam Seller");
    expect(await recent.textContent()).not.toMatch(/ai_\w+/);
    await screenshot(page, "ai-respect/dashboard");
  });
});
