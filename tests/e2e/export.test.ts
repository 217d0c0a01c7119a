/**
 * The list's "Export CSV" in a real browser: it downloads what the list shows (its filters), through a plain
 * navigation to a signed link, so the browser streams the file to disk instead of the page holding it in memory.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { apiCall, apiToken, DEMO_LOGINS, signIn, unique, useBrowser } from "./helpers";

const app = useBrowser();

describe("CSV export from a list", () => {
  it("exports only the rows the list's filters select, as a browser download of a signed link", async () => {
    const token = await apiToken(DEMO_LOGINS.user);
    const tag = unique("Exported ");
    for (const name of ["Alpha", "Beta", "Gamma"]) await apiCall("/api/accounts", { token, body: { name: `${tag} ${name}` } });
    await apiCall("/api/accounts", { token, body: { name: unique("Not exported ") } });

    const page = app.page;
    await signIn(page, DEMO_LOGINS.user, undefined, `/accounts?q=${encodeURIComponent(tag)}`);
    await page.getByRole("heading", { name: "Accounts", level: 1 }).waitFor();
    const navigations: { url: string; type: string }[] = [];
    page.on("request", (r) => {
      if (new URL(r.url()).pathname.startsWith("/api/export/")) navigations.push({ url: r.url(), type: r.resourceType() });
    });
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export CSV" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^accounts-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync((await download.path())!, "utf8");
    const names = csv.trim().split(/\r?\n/).slice(1).map((line) => line.split(",")[1]);
    // In the list's order (by name), and nothing the filter leaves out.
    expect(names).toEqual([`${tag} Alpha`, `${tag} Beta`, `${tag} Gamma`]);
    // The page itself only asked for the link (with its Bearer token); the file was the browser's own download of
    // the signed URL, not a fetch whose body the page would hold as a Blob.
    expect(navigations.map((n) => new URL(n.url).pathname)).toEqual(["/api/export/accounts/link"]);
    const fileUrl = new URL(download.url());
    expect(fileUrl.pathname).toBe("/api/export/accounts.csv");
    expect(fileUrl.searchParams.get("q")).toBe(tag);
    expect(fileUrl.searchParams.get("download")).toBeTruthy();
    expect(app.pageErrors).toEqual([]);
  });
});
