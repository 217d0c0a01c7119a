import { describe, expect, it } from "vitest";
import { apiCall, apiToken, DEMO_LOGINS, expectNoSeriousA11yViolations, screenshot, signIn, unique, useBrowser } from "./helpers";
import { checkFile, expectInList, importAndOpenList, summaryCounts, uploadCsv } from "./import-wizard";

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

  it("imports accounts, contacts, leads and deals through the wizard: existing records are matched, not duplicated", async () => {
    const tag = unique("every");
    const page = app.page;
    const token = await apiToken(DEMO_LOGINS.user);
    type Rec = { id: string; name: string; title?: string | null; company?: string | null; accountId?: string | null };
    const list = async <T = Rec>(path: string) => (await apiCall<{ data: T[] }>(path, { token })).data;
    // Two accounts share a name (the deals file names it), a contact and a lead the files will meet again by e-mail.
    const twinA = await apiCall<Rec>("/api/accounts", { token, body: { name: `${tag} Twin`, domain: `${tag}-a.example` } });
    const twinB = await apiCall<Rec>("/api/accounts", { token, body: { name: `${tag} Twin`, domain: `${tag}-b.example` } });
    const known = await apiCall<Rec>("/api/contacts", { token, body: { firstName: "Known", lastName: tag, email: `${tag}-known@example.test`, title: "Old title" } });
    await apiCall("/api/leads", { token, body: { firstName: "Lead", lastName: `${tag} One`, email: `${tag}-lead@example.test`, company: "Kept Co" } });
    const initechBefore = (await list(`/api/accounts?q=Initech`)).filter((a) => a.name === "Initech");
    expect(initechBefore).toHaveLength(1);

    await signIn(page, DEMO_LOGINS.user, undefined, "/import?entity=accounts");

    // 1. Accounts: Initech (seeded) and the second twin match by domain; one is new.
    await uploadCsv(page, "accounts", ["Company,Domain,Industry", "Initech,initech.example,Software", `${tag} Twin,${tag}-b.example,Robotics`, `${tag} Alpha,${tag}-alpha.example,Retail`].join("\n"));
    expect(await page.getByRole("radio", { name: /Update the existing record/ }).isChecked()).toBe(true);
    expect(await page.getByText("Rows are matched by External ID, domain or exact name.").isVisible()).toBe(true);
    // An accounts file without revenue or currency columns has no use for amount options: none are shown (or sent).
    expect(await page.getByLabel("Currency when a row has none").count()).toBe(0);
    await screenshot(page, "import-every-accounts-mapping");
    expect(await checkFile(page)).toBe("2 rows match existing accounts: 2 by domain. They will be updated where the file differs.");
    expect(await summaryCounts(page)).toMatchObject({ "would be created": 1, "would be updated": 1, unchanged: 1, "skipped (errors)": 0 });
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, "import-every-accounts-check");
    expect(await importAndOpenList(page, "accounts", /^Import 3 rows$/, "import-every-accounts-done")).toMatchObject({ created: 1, updated: 1, unchanged: 1 });
    await expectInList(page, "accounts", tag, [`${tag} Alpha`, `${tag} Twin`]);
    expect((await list(`/api/accounts?q=Initech`)).filter((a) => a.name === "Initech")).toHaveLength(1);

    // 2. Contacts: the wizard used to send a currency here and every row failed. One matches by e-mail (any case);
    // the other names the twin account, which the accounts file of this session matched.
    await uploadCsv(page, "contacts", ["First name,Last name,Email,Job title,Company", `Known,${tag},${tag.toUpperCase()}-KNOWN@EXAMPLE.TEST,New title,${tag} Alpha`, `Newbie,${tag},${tag}-new@example.test,Buyer,${tag} Twin`].join("\n"));
    expect(await page.getByLabel("Currency when a row has none").count()).toBe(0);
    expect(await page.getByLabel("Dates in the file").count()).toBe(0);
    expect(await checkFile(page)).toBe("1 row matches existing contacts: 1 by e-mail. It will be updated where the file differs.");
    expect(await summaryCounts(page)).toMatchObject({ "would be created": 1, "would be updated": 1, "skipped (errors)": 0 });
    await screenshot(page, "import-every-contacts-check");
    expect(await importAndOpenList(page, "contacts", /^Import 2 rows$/, "import-every-contacts-done")).toMatchObject({ created: 1, updated: 1 });
    await expectInList(page, "contacts", tag, [`Known ${tag}`, `Newbie ${tag}`]);
    const people = await list(`/api/contacts?q=${encodeURIComponent(tag)}`);
    expect(people).toHaveLength(2);
    expect(people.find((p) => p.id === known.id)).toMatchObject({ title: "New title" });
    expect(people.find((p) => p.id !== known.id)!.accountId).toBe(twinB.id);

    // 3. Leads, skipping rows that match: the known lead keeps its company.
    await uploadCsv(page, "leads", ["Name,Email,Company,Status", `Lead ${tag} One,${tag}-lead@example.test,Changed Co,New`, `Lead ${tag} Two,${tag}-lead2@example.test,Fresh Co,Contacted`].join("\n"));
    await page.getByRole("radio", { name: /Skip the row/ }).check();
    expect(await checkFile(page)).toBe("1 row matches existing leads: 1 by e-mail. It will be left alone.");
    expect(await summaryCounts(page)).toMatchObject({ "would be created": 1, "left alone (already exist)": 1 });
    await screenshot(page, "import-every-leads-check");
    expect(await importAndOpenList(page, "leads", /^Import 1 row, skip 1 matching$/, "import-every-leads-done")).toMatchObject({ created: 1, "left alone (already exist)": 1 });
    await expectInList(page, "leads", tag, [`Lead ${tag} One`, `Lead ${tag} Two`]);
    const leads = await list(`/api/leads?q=${encodeURIComponent(tag)}`);
    expect(leads.map((l) => [l.name, l.company]).sort()).toEqual([[`Lead ${tag} One`, "Kept Co"], [`Lead ${tag} Two`, "Fresh Co"]]);

    // 4. Deals: "<tag> Twin" names two accounts; the session's accounts file matched the second, so the deal goes there.
    await uploadCsv(page, "opportunities", ["Deal,Company,Value,Stage,Expected close", `${tag} Deal,${tag} Twin,"5,000.00",Prospecting,3/31/2027`].join("\n"));
    expect(await checkFile(page)).toBe("No row matches an existing opportunity (by External ID).");
    expect(await page.getByRole("table", { name: "Rows that cannot be imported" }).count()).toBe(0);
    await screenshot(page, "import-every-opportunities-check");
    expect(await importAndOpenList(page, "opportunities", /^Import 1 row$/, "import-every-opportunities-done")).toMatchObject({ created: 1 });
    await expectInList(page, "opportunities", tag, [`${tag} Deal`]);
    const [deal] = await list(`/api/opportunities?q=${encodeURIComponent(`${tag} Deal`)}`);
    expect(deal!.accountId).toBe(twinB.id);
    expect(twinA.id).not.toBe(twinB.id);
    expect(app.pageErrors).toEqual([]);
  });

  it("refuses a file that is not a CSV with an explanation", async () => {
    const page = app.page;
    await page.goto("/import?entity=contacts");
    await page.getByLabel("Choose a CSV file").setInputFiles({ name: "notes.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4") });
    await page.getByRole("alert").getByText(/is not a CSV file/).waitFor();
  });
});
