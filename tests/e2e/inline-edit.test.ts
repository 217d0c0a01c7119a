/**
 * Editing in place and typing money: a refused save keeps its editor open *and focused* (no second editor opens, so
 * nothing is typed into the wrong field), and amounts are read strictly — malformed or over-precise amounts are
 * refused in the user's words instead of being misread or rounded.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { apiCall, apiToken, DEMO_LOGINS, signIn, unique, useBrowser, waitForText } from "./helpers";

const app = useBrowser();

let token: string;
beforeAll(async () => {
  token = await apiToken(DEMO_LOGINS.user);
});

describe("inline editing", () => {
  it("a server error keeps the editor focused; clicking another field does not open a second editor", async () => {
    const tag = unique("Focus ");
    const contact = await apiCall<{ id: string }>("/api/contacts", { token, body: { name: `${tag} Person`, title: "Buyer" } });
    const page = app.page;
    await signIn(page, DEMO_LOGINS.user, undefined, `/contacts/${contact.id}`);
    await page.getByRole("heading", { name: `${tag} Person`, level: 1 }).waitFor();

    await page.getByRole("button", { name: /^Edit E-mail/ }).click();
    const email = page.getByRole("textbox", { name: "E-mail" });
    await email.fill("not-an-email");
    // Leaving the field for another one saves it; the server refuses.
    await page.getByRole("button", { name: /^Edit Title/ }).click();
    await waitForText(page.locator("[data-field=email] [role=alert]"), /e-mail address/);
    await expect.poll(() => email.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await page.getByRole("textbox", { name: "Title" }).count()).toBe(0);
    // A second click on Title still leaves the e-mail editor the only one, with the cursor in it.
    await page.getByRole("button", { name: /^Edit Title/ }).click();
    expect(await page.getByRole("textbox", { name: "Title" }).count()).toBe(0);
    await expect.poll(() => email.evaluate((el) => el === document.activeElement)).toBe(true);

    // What the user types now lands in the e-mail field, where they think it goes.
    const address = `${tag.replace(/\s/g, "").toLowerCase()}@example.com`;
    await page.keyboard.press("ControlOrMeta+A");
    await page.keyboard.type(address);
    await page.keyboard.press("Enter");
    await page.getByRole("button", { name: `Edit E-mail: ${address}` }).waitFor();
    // Now the other field opens as usual.
    await page.getByRole("button", { name: /^Edit Title/ }).click();
    await page.getByRole("textbox", { name: "Title" }).waitFor();
    await page.keyboard.press("Escape");
    const saved = await apiCall<{ email: string; title: string }>(`/api/contacts/${contact.id}`, { token });
    expect(saved).toMatchObject({ email: address, title: "Buyer" });
    expect(app.pageErrors).toEqual([]);
  });

  it("a deal's amount is read strictly: malformed or too precise amounts are refused in plain words", async () => {
    const deal = await apiCall<{ id: string }>("/api/opportunities", { token, body: { name: unique("Strict amount "), amount: 100_000, currency: "USD" } });
    const page = app.page;
    await page.goto(`/opportunities/${deal.id}`);
    await page.getByRole("button", { name: /^Edit Amount \(USD\): \$1,000\.00/ }).click();
    const amount = page.getByRole("textbox", { name: "Amount (USD)" });
    expect(await amount.inputValue()).toBe("1000.00");
    const alert = page.locator("[data-field=amount] [role=alert]");

    await amount.fill("12,5,00.999");
    await amount.press("Enter");
    await waitForText(alert, "Enter an amount such as 12,500.99 or 12500.99");
    expect(await alert.textContent()).not.toMatch(/minor units|cents/);
    await amount.fill("12500.999");
    await amount.press("Enter");
    await waitForText(alert, "USD amounts have at most 2 decimals");

    await amount.fill("12,500.99");
    await amount.press("Enter");
    await page.getByRole("button", { name: /^Edit Amount \(USD\): \$12,500\.99/ }).waitFor();
    expect((await apiCall<{ amount: number }>(`/api/opportunities/${deal.id}`, { token })).amount).toBe(1_250_099);
  });
});

describe("quick create amounts", () => {
  it("refuses 12,5,00.999 with a clear message instead of reading 12,500,999, and creates 12,500.99 exactly", async () => {
    const page = app.page;
    await page.goto("/pipeline");
    await page.locator("main#main").waitFor();
    await page.getByRole("button", { name: "New record" }).click();
    const dialog = page.getByRole("dialog", { name: "Create a record" });
    await dialog.getByRole("radio", { name: "Opportunity" }).check();
    const name = unique("Typed amount ");
    await dialog.getByLabel("Name").fill(name);
    await dialog.getByLabel("Currency").selectOption("USD");
    await dialog.getByLabel("Amount").fill("12,5,00.999");
    await dialog.getByRole("button", { name: "Create opportunity" }).click();
    await dialog.getByText("Enter an amount such as 12,500.99 or 12500.99").waitFor();
    await dialog.getByLabel("Amount").fill("12,500.999");
    await dialog.getByRole("button", { name: "Create opportunity" }).click();
    await dialog.getByText("USD amounts have at most 2 decimals").waitFor();
    expect(await dialog.isVisible()).toBe(true);

    await dialog.getByLabel("Amount").fill("12,500.99");
    await dialog.getByRole("button", { name: "Create opportunity" }).click();
    await page.waitForURL(/\/opportunities\/[0-9a-f-]{36}$/);
    const id = new URL(page.url()).pathname.split("/").pop()!;
    expect(await apiCall<{ name: string; amount: number; currency: string }>(`/api/opportunities/${id}`, { token })).toMatchObject({ name, amount: 1_250_099, currency: "USD" });
  });
});
