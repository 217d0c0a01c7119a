import { describe, expect, it } from "vitest";
import { clearSession, DEMO_LOGINS, screenshot, signIn, signOut, useBrowser } from "./helpers";

const app = useBrowser();

describe("sign in", () => {
  it("lets each demo login in, shows the user's name and role, and signs out again", async () => {
    const expected = [
      [DEMO_LOGINS.admin, "Ada Admin", "Admin"],
      [DEMO_LOGINS.user, "Sam Seller", "User"],
      [DEMO_LOGINS.viewer, "Vic Viewer", "Viewer"],
    ] as const;
    for (const [email, name, role] of expected) {
      await signIn(app.page, email);
      const badge = app.page.getByRole("banner").getByText(name, { exact: true }).filter({ visible: true });
      await badge.waitFor();
      expect(await app.page.getByRole("banner").innerText()).toContain(role);
      expect(new URL(app.page.url()).pathname).not.toBe("/login");
      await signOut(app.page);
      expect(new URL(app.page.url()).pathname).toBe("/login");
    }
    expect(app.pageErrors).toEqual([]);
  });

  it("refuses a wrong password with a visible error and stays on the login page", async () => {
    const page = app.page;
    await clearSession(page);
    await page.goto("/login");
    await page.getByLabel("Email").fill(DEMO_LOGINS.admin);
    await page.getByLabel("Password", { exact: true }).fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    const alert = page.getByRole("alert").filter({ hasText: /\S/ });
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/password|credentials/i);
    expect(new URL(page.url()).pathname).toBe("/login");
    expect(await page.evaluate(() => localStorage.getItem("bespoke.token"))).toBeNull();
    await screenshot(page, "login-error");
  });

  it("sends a signed-out visitor of a deep link to the login page and back there after signing in", async () => {
    const page = app.page;
    await clearSession(page);
    await page.goto("/leads?status=new");
    await page.waitForURL(/\/login\?next=/);
    await page.getByLabel("Email").fill(DEMO_LOGINS.user);
    await page.getByLabel("Password", { exact: true }).fill("bespoke-demo");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => url.pathname === "/leads");
    expect(new URL(page.url()).search).toBe("?status=new");
    await signOut(page);
  });
});
