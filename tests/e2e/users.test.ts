import { describe, expect, it } from "vitest";
import { DEMO_LOGINS, expectNoSeriousA11yViolations, screenshot, signIn, signOut, unique, useBrowser } from "./helpers";

const app = useBrowser();

describe("users administration", () => {
  it("an admin creates a user, who signs in with the temporary password and must choose their own", async () => {
    const page = app.page;
    await signIn(page, DEMO_LOGINS.admin, undefined, "/settings/users");
    await page.getByRole("heading", { name: "Users", level: 2 }).waitFor();
    await page.getByRole("button", { name: "Add user" }).click();
    const dialog = page.getByRole("dialog", { name: "Add a user" });
    const email = `${unique("new.hire")}@demo.test`;
    await dialog.getByLabel("Name").fill("Nina Newhire");
    await dialog.getByLabel("Email").fill(email);
    await dialog.getByRole("radio", { name: /^User/ }).check();
    await dialog.getByRole("button", { name: "Add user" }).click();

    const reveal = page.getByRole("dialog", { name: "Nina Newhire can now sign in" });
    await reveal.waitFor();
    const temporary = (await reveal.getByRole("code").or(reveal.locator("code")).first().innerText()).trim();
    expect(temporary).toMatch(/^\S{10,}$/);
    await screenshot(page, "settings-user-created", { fullPage: false });
    await reveal.getByRole("button", { name: "Done" }).click();
    const row = page.getByRole("listitem", { name: /Nina Newhire/ });
    await row.getByText("Temporary password").waitFor();

    // The new user, in their own browser.
    const context = await app.newContext();
    const hire = await context.newPage();
    await hire.goto("/login");
    await hire.getByLabel("Email").fill(email);
    await hire.getByLabel("Password", { exact: true }).fill(temporary);
    await hire.getByRole("button", { name: "Sign in" }).click();
    await hire.waitForURL(/\/change-password/);
    await hire.getByRole("heading", { name: "Choose your own password" }).waitFor();
    await expectNoSeriousA11yViolations(hire);
    await screenshot(hire, "change-password");

    // The app stays closed until the password is changed.
    await hire.goto("/pipeline");
    await hire.waitForURL(/\/change-password/);

    await hire.getByLabel("Temporary password").fill(temporary);
    await hire.getByLabel("New password", { exact: true }).fill("short");
    await hire.getByLabel("Confirm new password").fill("short");
    await hire.getByRole("button", { name: "Save and continue" }).click();
    await hire.getByText("Use at least 10 characters").waitFor();

    await hire.getByLabel("New password", { exact: true }).fill("violet tractor harbour 42");
    await hire.getByLabel("Confirm new password").fill("violet tractor harbour 42");
    await hire.getByRole("button", { name: "Save and continue" }).click();
    await hire.waitForURL((url) => url.pathname === "/pipeline");
    await hire.getByRole("banner").getByText("Nina Newhire").filter({ visible: true }).waitFor();
    // A user is no admin: no Settings in the navigation.
    expect(await hire.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).count()).toBe(0);

    // The admin's list shows the temporary password is gone; the new password works on the next sign-in.
    await page.reload();
    await page.getByRole("listitem", { name: /Nina Newhire/ }).waitFor();
    expect(await page.getByRole("listitem", { name: /Nina Newhire/ }).getByText("Temporary password").count()).toBe(0);
    await signOut(hire);
    await signIn(hire, email, "violet tractor harbour 42");
    expect(new URL(hire.url()).pathname).toBe("/pipeline");
  });

  it("an admin deactivates a user, who can then no longer sign in, and reactivates them", async () => {
    const page = app.page;
    await page.goto("/settings/users");
    await page.getByRole("button", { name: "Add user" }).click();
    const dialog = page.getByRole("dialog", { name: "Add a user" });
    const email = `${unique("leaver")}@demo.test`;
    await dialog.getByLabel("Name").fill("Lee Leaver");
    await dialog.getByLabel("Email").fill(email);
    await dialog.getByRole("button", { name: "Add user" }).click();
    const reveal = page.getByRole("dialog", { name: "Lee Leaver can now sign in" });
    const temporary = (await reveal.locator("code").first().innerText()).trim();
    await reveal.getByRole("button", { name: "Done" }).click();

    await page.getByRole("button", { name: "Deactivate Lee Leaver" }).click();
    await page.getByRole("dialog", { name: "Deactivate Lee Leaver?" }).getByRole("button", { name: "Deactivate" }).click();
    await page.getByRole("listitem", { name: /Lee Leaver/ }).getByText("Deactivated").waitFor();

    const context = await app.newContext();
    const leaver = await context.newPage();
    await leaver.goto("/login");
    await leaver.getByLabel("Email").fill(email);
    await leaver.getByLabel("Password", { exact: true }).fill(temporary);
    await leaver.getByRole("button", { name: "Sign in" }).click();
    await leaver.getByRole("alert").filter({ hasText: /\S/ }).waitFor();
    expect(new URL(leaver.url()).pathname).toBe("/login");

    await page.getByRole("button", { name: "Reactivate Lee Leaver" }).click();
    await page.getByRole("dialog", { name: "Reactivate Lee Leaver?" }).getByRole("button", { name: "Reactivate" }).click();
    await page.getByRole("button", { name: "Deactivate Lee Leaver" }).waitFor();
  });

  it("shows users and viewers an admins-only page instead of Settings", async () => {
    const page = app.page;
    await signIn(page, DEMO_LOGINS.viewer, undefined, "/settings/users");
    await page.getByRole("heading", { name: "Settings are for admins only" }).waitFor();
    expect(await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Add user" }).count()).toBe(0);
  });
});
