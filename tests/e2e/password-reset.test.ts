import { describe, expect, it } from "vitest";
import { apiCall, apiToken, baseUrl, clearSession, DEMO_LOGINS, expectNoSeriousA11yViolations, screenshot, unique, useBrowser } from "./helpers";

const app = useBrowser();

/** The newest reset link mailed to `email`, read from the development outbox page (the dev e-mail provider). */
async function resetTokenFor(email: string): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const html = await (await fetch(new URL("/api/dev/outbox", baseUrl))).text();
    const at = html.indexOf(email);
    const match = at >= 0 ? /reset-password\?token=([A-Za-z0-9_\-.~%]+)/.exec(html.slice(at)) : null;
    if (match) return decodeURIComponent(match[1]!);
    await new Promise((r) => setTimeout(r, 200)); // the mail is sent after the 202 answer
  }
  throw new Error(`no reset mail for ${email} in the outbox`);
}

describe("password reset by e-mail", () => {
  it("goes from 'Forgot your password?' to a new password and a signed-in session", async () => {
    const page = app.page;
    const admin = await apiToken(DEMO_LOGINS.admin);
    const email = `${unique("forgetful-")}@demo.test`;
    await apiCall("/api/users", { token: admin, body: { email, name: "Forgetful Fran", role: "USER", password: "first-password-2026" } });

    await clearSession(page);
    await page.goto("/login");
    await page.getByRole("link", { name: "Forgot your password?" }).click();
    await page.waitForURL(/\/forgot-password$/);
    await expectNoSeriousA11yViolations(page);
    await page.getByLabel("Email").fill(email);
    await page.getByRole("button", { name: "Send reset link" }).click();
    await page.getByRole("status").filter({ hasText: email }).waitFor();
    await screenshot(page, "forgot-password-sent");

    const token = await resetTokenFor(email);
    await page.goto(`/reset-password?token=${encodeURIComponent(token)}`);
    // A mismatch is caught before anything is sent.
    await page.getByLabel("New password", { exact: true }).fill("brand-new-secret-2026");
    await page.getByLabel("Repeat the new password").fill("something-else-2026");
    await page.getByRole("button", { name: "Set password and sign in" }).click();
    await page.getByText("The two passwords differ").waitFor();
    await page.getByLabel("Repeat the new password").fill("brand-new-secret-2026");
    await page.getByRole("button", { name: "Set password and sign in" }).click();
    await page.waitForURL((url) => url.pathname === "/pipeline");
    await page.getByRole("banner").getByText("Forgetful Fran").filter({ visible: true }).waitFor();

    // The new password works, the old one does not, and the link cannot be used twice.
    await expect(apiToken(email, "brand-new-secret-2026")).resolves.toEqual(expect.any(String));
    await expect(apiToken(email, "first-password-2026")).rejects.toThrow(/401/);
    await clearSession(page);
    await page.goto(`/reset-password?token=${encodeURIComponent(token)}`);
    await page.getByLabel("New password", { exact: true }).fill("third-password-2026x");
    await page.getByLabel("Repeat the new password").fill("third-password-2026x");
    await page.getByRole("button", { name: "Set password and sign in" }).click();
    await page.getByRole("link", { name: "Request a new link" }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/reset-password");
    expect(app.pageErrors).toEqual([]);
  });
});
