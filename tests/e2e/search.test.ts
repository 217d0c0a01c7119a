import { describe, expect, it } from "vitest";
import { DEMO_LOGINS, expectNoSeriousA11yViolations, screenshot, signIn, useBrowser } from "./helpers";

const app = useBrowser();

describe("global search palette", () => {
  it("opens with Ctrl+K, shows grouped results as you type, moves with the arrows and opens a record with Enter", async () => {
    const page = app.page;
    await signIn(page, DEMO_LOGINS.user);
    await page.keyboard.press("Control+K");
    const dialog = page.getByRole("dialog", { name: "Search records" });
    await dialog.waitFor();
    const box = dialog.getByRole("combobox");
    expect(await box.evaluate((el) => el === document.activeElement)).toBe(true);

    await box.pressSequentially("globex", { delay: 20 });
    const listbox = dialog.getByRole("listbox", { name: "Search results" });
    await listbox.getByRole("group", { name: "Accounts" }).getByRole("option", { name: /Globex/ }).first().waitFor();
    // Deals of that account come back too, in their own group.
    await listbox.getByRole("group", { name: "Opportunities" }).getByRole("option").first().waitFor();
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, "search-palette", { fullPage: false });

    const first = await box.getAttribute("aria-activedescendant");
    expect(first).toBeTruthy();
    expect(await page.locator(`[id="${first}"]`).getAttribute("aria-selected")).toBe("true");
    await box.press("ArrowDown");
    const second = await box.getAttribute("aria-activedescendant");
    expect(second).not.toBe(first);
    await box.press("ArrowUp");
    expect(await box.getAttribute("aria-activedescendant")).toBe(first);

    const title = (await page.locator(`[id="${first}"]`).innerText()).split("\n")[0]!;
    expect(title).toContain("Globex");
    await box.press("Enter");
    await page.waitForURL(/\/accounts\/[0-9a-f-]{36}$/);
    expect(await dialog.isVisible()).toBe(false);
    expect(app.pageErrors).toEqual([]);
  });

  it("closes with Escape, offers the record just opened as recent, and says when nothing matches", async () => {
    const page = app.page;
    await page.keyboard.press("Control+K");
    const dialog = page.getByRole("dialog", { name: "Search records" });
    await dialog.waitFor();
    await dialog.getByRole("group", { name: "Recent" }).getByRole("option", { name: /Globex/ }).waitFor();

    await dialog.getByRole("combobox").fill("zzqxv-nothing-like-this");
    await dialog.getByText(/No records match/).waitFor();
    expect(await dialog.getByRole("option").count()).toBe(0);

    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    // The "/" shortcut opens it too when focus is not in a text field.
    await page.locator("main#main").focus();
    await page.keyboard.press("/");
    await dialog.waitFor();
    await page.keyboard.press("Escape");
  });
});
