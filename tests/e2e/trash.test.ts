/**
 * Recently deleted: an ADMIN sees who deleted a record, when, and the days left, and restores it; USERs and VIEWERs
 * see the page without a Restore button. The navigation has Tasks and Opportunities; lists offer Import to USERs;
 * the user menu leads to the profile and the change-password page.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { apiCall, apiToken, DEMO_LOGINS, screenshot, signIn, unique, useBrowser, waitForText } from "./helpers";

const app = useBrowser();
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

let admin: string;
let deleted: { id: string; name: string };

beforeAll(async () => {
  admin = await apiToken(DEMO_LOGINS.admin);
  deleted = await apiCall("/api/accounts", { token: admin, body: { name: unique("Binned Ltd ") } });
  await apiCall(`/api/accounts/${deleted.id}`, { token: admin, method: "DELETE" });
});

describe("Recently deleted", () => {
  it("USER and VIEWER see who deleted what and the days left, with no Restore button", async () => {
    for (const login of [DEMO_LOGINS.user, DEMO_LOGINS.viewer]) {
      const page = app.page;
      await signIn(page, login, undefined, "/accounts");
      // The way in from the list.
      await page.getByRole("link", { name: "Recently deleted" }).click();
      await page.waitForURL(/\/trash\/accounts$/);
      const row = page.getByRole("listitem").filter({ hasText: deleted.name });
      await row.waitFor();
      await waitForText(row, /by Ada Admin|by .+/);
      await waitForText(row, /29 days left|30 days left/);
      expect(await page.getByRole("button", { name: /^Restore/ }).count()).toBe(0);
    }
    await screenshot(app.page, "trash/desktop-viewer");
  });

  it("an ADMIN restores a deleted account; it is back in the list", async () => {
    const page = app.page;
    await signIn(page, DEMO_LOGINS.admin, undefined, "/trash/accounts");
    const row = page.getByRole("listitem").filter({ hasText: deleted.name });
    await row.waitFor();
    await screenshot(page, "trash/desktop-admin");
    // The admin's eight navigation entries fit at 1280 px without widening the page.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
    await page.getByRole("navigation", { name: "Main", exact: true }).getByRole("link", { name: "Settings" }).waitFor();
    await row.getByRole("button", { name: `Restore ${deleted.name}` }).click();
    await row.waitFor({ state: "detached" });
    await waitForText(page.getByRole("status"), new RegExp(`Restored ${deleted.name}`));
    const back = await apiCall<{ deletedAt: string | null }>(`/api/accounts/${deleted.id}`, { token: admin });
    expect(back.deletedAt).toBeNull();
    // The other types have their own tab.
    await page.getByRole("link", { name: "Opportunities" }).last().click();
    await page.waitForURL(/\/trash\/opportunities$/);
    expect(app.pageErrors).toEqual([]);
  });

  it("the trash fits a phone", async () => {
    const context = await app.newContext(PHONE);
    const page = await context.newPage();
    const other = await apiCall<{ id: string; name: string }>("/api/contacts", { token: admin, body: { name: unique("Gone Person ") } });
    await apiCall(`/api/contacts/${other.id}`, { token: admin, method: "DELETE" });
    await signIn(page, DEMO_LOGINS.admin, undefined, "/trash/contacts");
    await page.getByRole("listitem").filter({ hasText: other.name }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, "trash/phone-admin");
  });
});

describe("Navigation", () => {
  it("Tasks and Opportunities are in the main navigation; Import is on each list for a USER, not for a VIEWER", async () => {
    const page = app.page;
    await signIn(page, DEMO_LOGINS.user, undefined, "/pipeline");
    const nav = page.getByRole("navigation", { name: "Main", exact: true });
    await nav.getByRole("link", { name: "Opportunities" }).click();
    await page.waitForURL(/\/opportunities$/);
    await nav.getByRole("link", { name: "Tasks" }).waitFor();
    for (const entity of ["accounts", "contacts", "leads", "opportunities"]) {
      await page.goto(`/${entity}`);
      await page.getByRole("link", { name: "Import", exact: true }).click();
      await page.waitForURL(new RegExp(`/import\\?entity=${entity}$`));
    }
    await screenshot(page, "navigation/desktop-import-opportunities");
    await page.goto("/opportunities");
    await page.getByRole("link", { name: "Import", exact: true }).waitFor();
    await screenshot(page, "navigation/desktop-opportunities-list", { fullPage: false });

    const phone = await (await app.newContext(PHONE)).newPage();
    await signIn(phone, DEMO_LOGINS.user, undefined, "/opportunities");
    await phone.getByRole("link", { name: "Import", exact: true }).waitFor();
    await screenshot(phone, "navigation/phone-opportunities-list", { fullPage: false });
    // What is wider than the phone (the data grid and its phone pass are another piece of work).
    const wide = await phone.evaluate(() =>
      [...document.querySelectorAll("main *")].filter((el) => el.getBoundingClientRect().right > 391 && !el.closest("table")).map((el) => `${el.tagName}.${el.className}`.slice(0, 80)).slice(0, 5),
    );
    expect(wide).toEqual([]);
    await phone.getByRole("button", { name: "Open menu" }).click();
    await phone.getByRole("link", { name: "Change password" }).waitFor();
    await screenshot(phone, "navigation/phone-menu", { fullPage: false });

    await signIn(page, DEMO_LOGINS.viewer, undefined, "/contacts");
    await page.getByRole("link", { name: "Recently deleted" }).waitFor();
    expect(await page.getByRole("link", { name: "Import", exact: true }).count()).toBe(0);
  });

  it("the user menu leads to the profile and to the change-password page", async () => {
    const page = app.page;
    await signIn(page, DEMO_LOGINS.user, undefined, "/accounts");
    await page.getByRole("button", { name: /Account menu/ }).click();
    await page.getByRole("link", { name: "Your profile" }).click();
    await page.getByRole("heading", { name: "Your profile", level: 1 }).waitFor();
    await waitForText(page.locator("main"), DEMO_LOGINS.user);
    // From any page; the form returns there afterwards.
    await page.goto("/accounts");
    await page.getByRole("button", { name: /Account menu/ }).click();
    await page.getByRole("link", { name: "Change password" }).click();
    await page.waitForURL(/\/change-password\?next=%2Faccounts$/);
    await page.getByLabel(/current password/i).first().waitFor();
    expect(app.pageErrors).toEqual([]);
  });
});
