import { describe, expect, it } from "vitest";
import { apiCall, apiToken, DEMO_LOGINS, expectNoSeriousA11yViolations, screenshot, signIn, unique, useBrowser } from "./helpers";

const app = useBrowser();

describe("quick create", () => {
  it("creates an account from the header's + button and opens it", async () => {
    const page = app.page;
    await signIn(page, DEMO_LOGINS.user);
    await page.getByRole("button", { name: "New record" }).click();
    const dialog = page.getByRole("dialog", { name: "Create a record" });
    await dialog.waitFor();
    await dialog.getByRole("radio", { name: "Account" }).check();

    // Nothing typed: the form says what is missing and sends nothing.
    await dialog.getByRole("button", { name: "Create account" }).click();
    await dialog.getByText("Enter a name").waitFor();

    const name = unique("Quick Co ");
    await dialog.getByLabel("Name").fill(name);
    await dialog.getByLabel("Domain").fill("quick.example");
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, "quick-create-account", { fullPage: false });
    await dialog.getByRole("button", { name: "Create account" }).click();

    await page.waitForURL(/\/accounts\/[0-9a-f-]{36}$/);
    const id = new URL(page.url()).pathname.split("/").pop()!;
    const token = await apiToken(DEMO_LOGINS.user);
    const account = await apiCall<{ name: string; domain: string }>(`/api/accounts/${id}`, { token });
    expect(account).toMatchObject({ name, domain: "quick.example" });
    expect(app.pageErrors).toEqual([]);
  });

  it("opens with the C shortcut and creates an opportunity on an account with an amount in major units", async () => {
    const page = app.page;
    await page.goto("/pipeline");
    await page.locator("main#main").waitFor();
    await page.locator("body").press("c");
    const dialog = page.getByRole("dialog", { name: "Create a record" });
    await dialog.waitFor();
    await dialog.getByRole("radio", { name: "Opportunity" }).check();
    const name = unique("Quick deal ");
    await dialog.getByLabel("Name").fill(name);
    const account = dialog.getByRole("combobox", { name: "Account" });
    await account.fill("Initech");
    await dialog.getByRole("option", { name: /Initech/ }).first().click();
    await dialog.getByLabel("Amount").fill("12,500.50");
    await dialog.getByLabel("Currency").selectOption("EUR");
    await dialog.getByLabel("Stage").selectOption({ label: "Proposal (50%)" });
    await dialog.getByRole("button", { name: "Create opportunity" }).click();

    await page.waitForURL(/\/opportunities\/[0-9a-f-]{36}$/);
    const id = new URL(page.url()).pathname.split("/").pop()!;
    const token = await apiToken(DEMO_LOGINS.user);
    const deal = await apiCall<{ name: string; amount: number; currency: string; related: { account: { name: string }; stage: { name: string } } }>(
      `/api/opportunities/${id}`,
      { token },
    );
    expect(deal).toMatchObject({ name, amount: 1250050, currency: "EUR" });
    expect(deal.related.account.name).toBe("Initech");
    expect(deal.related.stage.name).toBe("Proposal");
  });

  it("is not offered to a viewer", async () => {
    const page = app.page;
    await signIn(page, DEMO_LOGINS.viewer);
    expect(await page.getByRole("button", { name: "New record" }).count()).toBe(0);
    await page.locator("body").press("c");
    expect(await page.getByRole("dialog").count()).toBe(0);
  });
});
