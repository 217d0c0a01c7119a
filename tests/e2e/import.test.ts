import { describe, expect, it } from "vitest";
import { apiCall, apiToken, DEMO_LOGINS, expectNoSeriousA11yViolations, screenshot, signIn, unique, useBrowser } from "./helpers";

const app = useBrowser();

describe("import wizard", () => {
  it("imports a small CSV of deals: suggested mapping, stage values mapped, dry run lists the bad row, then the import", async () => {
    const tag = unique("imp");
    // Spreadsheet-style headers and values: "Deal", "Company", "Value" in whole dollars, US dates, foreign stage names.
    const csv = [
      "Deal,Company,Value,Stage,Expected close,Ref",
      `${tag} Alpha,Globex,"12,500.00",Discovery,3/31/2027,${tag}-1`,
      `${tag} Beta,${tag} New Corp,8000,Closed - Won,4/15/2027,${tag}-2`,
      `${tag} Gamma,Initech,lots,Discovery,5/1/2027,${tag}-3`,
    ].join("\n");

    const page = app.page;
    await signIn(page, DEMO_LOGINS.user, undefined, "/import?entity=opportunities");
    await page.getByRole("heading", { name: "Import opportunities" }).waitFor();
    await page.getByLabel("Choose a CSV file").setInputFiles({ name: "deals.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });

    const mapping = (column: string) => page.getByLabel(`Import column “${column}” as`);
    await mapping("Deal").waitFor();
    expect(await mapping("Deal").inputValue()).toBe("name");
    expect(await mapping("Company").inputValue()).toBe("accountName");
    expect(await mapping("Value").inputValue()).toBe("amount");
    expect(await mapping("Stage").inputValue()).toBe("stageName");
    expect(await mapping("Expected close").inputValue()).toBe("closeDate");
    await mapping("Ref").selectOption("externalId");
    // Detected from the values: month-first dates, whole-dollar amounts.
    expect(await page.getByLabel("Dates in the file").inputValue()).toBe("M/D/YYYY");
    expect(await page.getByLabel("Amounts in the file").inputValue()).toBe("major");
    // "Closed - Won" is recognised; "Discovery" is ours to choose.
    expect(await page.getByLabel("“Closed - Won” becomes").inputValue()).toBe("Closed Won");
    await page.getByLabel("“Discovery” becomes").selectOption("Prospecting");
    await page.getByLabel("Currency when a row has none").selectOption("USD");
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, "import-mapping");

    await page.getByRole("button", { name: "Check the file" }).click();
    await page.getByRole("heading", { name: /Check: nothing has been written yet/ }).waitFor();
    const problems = page.getByRole("table", { name: "Rows that cannot be imported" });
    await problems.waitFor();
    const rows = await problems.locator("tbody tr").allInnerTexts();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatch(/^4\s+Value\s+/);
    await screenshot(page, "import-dry-run");

    const token = await apiToken(DEMO_LOGINS.user);
    const before = await apiCall<{ data: unknown[] }>(`/api/opportunities?q=${encodeURIComponent(tag)}`, { token });
    expect(before.data).toHaveLength(0);

    await page.getByRole("button", { name: /Import 2 valid rows, skip 1/ }).click();
    await page.getByRole("heading", { name: "Import finished" }).waitFor();
    const summary = await page.locator("dl").innerText();
    expect(summary).toMatch(/created\s+2/);
    expect(summary).toMatch(/skipped \(errors\)\s+1/);
    await screenshot(page, "import-done");

    const after = await apiCall<{ data: { name: string; amount: number; currency: string; closeDate: string; stageId: string }[] }>(
      `/api/opportunities?q=${encodeURIComponent(tag)}&sort=name`,
      { token },
    );
    expect(after.data.map((d) => [d.name, d.amount, d.currency, d.closeDate])).toEqual([
      [`${tag} Alpha`, 1_250_000, "USD", "2027-03-31"],
      [`${tag} Beta`, 800_000, "USD", "2027-04-15"],
    ]);
    const { stages } = await apiCall<{ stages: { id: string; name: string }[] }>("/api/pipeline/stages", { token });
    const stageName = (id: string) => stages.find((s) => s.id === id)?.name;
    expect(after.data.map((d) => stageName(d.stageId))).toEqual(["Prospecting", "Closed Won"]);
    expect(app.pageErrors).toEqual([]);
  });

  it("refuses a file that is not a CSV with an explanation", async () => {
    const page = app.page;
    await page.goto("/import?entity=contacts");
    await page.getByLabel("Choose a CSV file").setInputFiles({ name: "notes.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4") });
    await page.getByRole("alert").getByText(/is not a CSV file/).waitFor();
  });
});
