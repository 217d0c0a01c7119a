/** The import wizard on a phone (390 × 844): every step fits the screen, the duplicate choice and match counts too. */
import { describe, expect, it } from "vitest";
import { apiCall, apiToken, DEMO_LOGINS, screenshot, signIn, unique, useBrowser, waitForText, type Page } from "./helpers";
import { checkFile, expectInList, importAndOpenList, summaryCounts, uploadCsv } from "./import-wizard";

const app = useBrowser({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });

/** Nothing wider than the viewport: no sideways scrolling on a phone. */
const expectNoSidewaysScroll = async (page: Page) =>
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

describe("import wizard on a phone", () => {
  it("imports contacts: mapping as cards, duplicate choice, match counts, then the list", async () => {
    const tag = unique("phone");
    const token = await apiToken(DEMO_LOGINS.user);
    await apiCall("/api/contacts", { token, body: { firstName: "Pat", lastName: tag, email: `${tag}-pat@example.test` } });
    const page = app.page;
    await signIn(page, DEMO_LOGINS.user, undefined, "/import?entity=contacts");
    await screenshot(page, "import-phone-upload");
    await expectNoSidewaysScroll(page);

    await uploadCsv(page, "contacts", ["First name,Last name,Email,Job title", `Pat,${tag},${tag}-pat@example.test,Buyer`, `Sam,${tag},${tag}-sam@example.test,CFO`].join("\n"));
    await page.getByLabel("Import column “Email” as").waitFor();
    expect(await page.getByLabel("Import column “Email” as").inputValue()).toBe("email");
    await page.getByRole("radio", { name: /Update the existing record/ }).scrollIntoViewIfNeeded();
    await expectNoSidewaysScroll(page);
    await screenshot(page, "import-phone-mapping");

    expect(await checkFile(page)).toBe("1 row matches existing contacts: 1 by e-mail. It will be updated where the file differs.");
    await expectNoSidewaysScroll(page);
    await screenshot(page, "import-phone-check");
    // Changing the choice on the check step checks the file again with it.
    const matches = page.getByRole("status", { name: "Matches with existing records" });
    await page.getByLabel("Rows matching existing records").selectOption("create");
    await waitForText(matches, "It will be created as new records anyway.");
    expect(await summaryCounts(page)).toMatchObject({ "would be created": 2, "would be updated": 0 });
    await page.getByLabel("Rows matching existing records").selectOption("update");
    await waitForText(matches, "It will be updated where the file differs.");
    await importAndOpenList(page, "contacts", /^Import 2 rows$/, "import-phone-done");
    await expectInList(page, "contacts", tag, [`Pat ${tag}`, `Sam ${tag}`]);
    expect((await apiCall<{ data: unknown[] }>(`/api/contacts?q=${encodeURIComponent(tag)}`, { token })).data).toHaveLength(2);
    expect(app.pageErrors).toEqual([]);
  });
});
