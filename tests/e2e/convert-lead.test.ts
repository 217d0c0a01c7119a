import { describe, expect, it } from "vitest";
import { apiCall, apiToken, DEMO_LOGINS, expectNoSeriousA11yViolations, screenshot, signIn, unique, useBrowser } from "./helpers";

const app = useBrowser();

interface Lead {
  id: string;
  status: string;
  convertedAccountId: string | null;
  convertedOpportunityId: string | null;
}

describe("lead conversion", () => {
  it("converts a lead into a new account, contact, opportunity and task, then opens the opportunity", async () => {
    const token = await apiToken(DEMO_LOGINS.user);
    const company = unique("Convert Works ");
    const lead = await apiCall<Lead>("/api/leads", { token, body: { name: "Lena Lead", email: `${unique("lena")}@convert.example`, company, title: "CTO" } });

    const page = app.page;
    await signIn(page, DEMO_LOGINS.user, undefined, `/leads/${lead.id}`);
    await page.getByRole("button", { name: "Convert lead" }).click();
    const dialog = page.getByRole("dialog", { name: /Convert/ });
    await dialog.waitFor();

    // Prefilled from the lead.
    expect(await dialog.getByLabel("Account name").inputValue()).toBe(company);
    expect(await dialog.getByLabel("First name").inputValue()).toBe("Lena");
    expect(await dialog.getByLabel("Job title").inputValue()).toBe("CTO");
    await dialog.getByLabel("Opportunity name").fill(`${company} — pilot`);
    await dialog.getByLabel("Amount").fill("48000");
    await dialog.getByLabel("Currency").selectOption("USD");
    await dialog.getByLabel("Stage").selectOption({ label: "Qualification (25%)" });
    await dialog.getByLabel("Subject").fill("Send the pilot proposal");
    await dialog.getByLabel("Due in (days)").fill("5");
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, "convert-lead-dialog", { fullPage: false });
    await dialog.getByRole("button", { name: "Convert lead" }).click();

    await page.waitForURL(/\/opportunities\/[0-9a-f-]{36}$/);
    const opportunityId = new URL(page.url()).pathname.split("/").pop()!;
    const after = await apiCall<Lead>(`/api/leads/${lead.id}`, { token });
    expect(after.status).toBe("converted");
    expect(after.convertedOpportunityId).toBe(opportunityId);
    const deal = await apiCall<{ name: string; amount: number; related: { account: { name: string }; stage: { name: string } } }>(`/api/opportunities/${opportunityId}`, { token });
    expect(deal).toMatchObject({ name: `${company} — pilot`, amount: 4_800_000 });
    expect(deal.related.account.name).toBe(company);
    expect(deal.related.stage.name).toBe("Qualification");
    const tasks = await apiCall<{ data: { subject: string; dueAt: string }[] }>(`/api/activities?type=task&opportunityId=${opportunityId}`, { token });
    expect(tasks.data.map((t) => t.subject)).toEqual(["Send the pilot proposal"]);
    expect(app.pageErrors).toEqual([]);
  });

  it("adds the lead to an existing account when its company matches one, and reports a second conversion", async () => {
    const token = await apiToken(DEMO_LOGINS.user);
    const lead = await apiCall<Lead>("/api/leads", { token, body: { name: "Otto Existing", company: "Initech" } });

    const page = app.page;
    await page.goto(`/leads/${lead.id}`);
    await page.getByRole("button", { name: "Convert lead" }).click();
    const dialog = page.getByRole("dialog", { name: /Convert/ });
    await dialog.waitFor();
    // The matching account is found and preselected.
    await dialog.getByText(/An account named “Initech” already exists/).waitFor();
    expect(await dialog.getByRole("radio", { name: "Add to an existing account" }).isChecked()).toBe(true);

    // Someone else converts it meanwhile: the dialog explains instead of failing silently.
    await apiCall(`/api/leads/${lead.id}/convert`, { token, body: { account: { name: unique("Elsewhere ") }, opportunity: { name: "Parallel deal" } } });
    await dialog.getByRole("button", { name: "Convert lead" }).click();
    await dialog.getByRole("alert").getByText(/already converted/).waitFor();
    await dialog.getByRole("link", { name: "Open its opportunity" }).waitFor();
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
  });
});
