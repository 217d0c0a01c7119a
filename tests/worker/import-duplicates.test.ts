import { and, eq, isNull, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { accounts, contacts, leads, opportunities } from "../../db/schema";
import { importCsv } from "../helpers/import";
import { createAccount, createContact, createLead, createOpportunity, expectProblem } from "../helpers/records";
import { createWorkspace, testDb, unique, type TestWorkspace } from "../helpers/worker";

/** Issue 10: options per entity, duplicate handling, import sessions for account names, NUL cells. */

let ws: TestWorkspace;
beforeAll(async () => {
  ws = await createWorkspace();
});

const db = () => testDb().http;
const accountsNamed = (name: string) =>
  db().select().from(accounts).where(and(eq(accounts.workspaceId, ws.id), isNull(accounts.deletedAt), eq(accounts.name, name)));
const randomUuid = () => crypto.randomUUID();

/** What the wizard sends for every entity before the fix: currency, date format and amount unit included. */
const wizardOptions = { dateFormat: "YYYY-MM-DD", amountUnit: "major", currency: "EUR", createMissingAccounts: false, valueMap: {} };

describe("options that do not apply to the entity", () => {
  it("contacts and leads import with the wizard's options; the inapplicable ones are named in ignoredOptions", async () => {
    const tag = unique("opt");
    const contactsRes = await importCsv(ws.user, "contacts", `name,email\nAda ${tag},ada-${tag}@example.test\n`, { options: wizardOptions });
    expect(contactsRes.status, JSON.stringify(contactsRes.body)).toBe(200);
    expect(contactsRes.body).toMatchObject({ created: 1, skipped: 0, errors: [], ignoredOptions: ["dateFormat", "amountUnit", "currency"] });

    const leadsRes = await importCsv(ws.user, "leads", `name,email\nGrace ${tag},grace-${tag}@example.test\n`, { options: wizardOptions });
    expect(leadsRes.body).toMatchObject({ created: 1, skipped: 0, errors: [], ignoredOptions: ["createMissingAccounts", "dateFormat", "amountUnit", "currency"] });

    // Where the option applies it is used: an account without a currency cell gets the default currency.
    const acc = await importCsv(ws.user, "accounts", `name,annualRevenue\nEuro ${tag},"1,000.50"\n`, { options: wizardOptions });
    expect(acc.body).toMatchObject({ created: 1, errors: [], ignoredOptions: ["createMissingAccounts", "dateFormat"] });
    expect((await accountsNamed(`Euro ${tag}`))[0]).toMatchObject({ currency: "EUR", annualRevenue: 100050 });
  });

  it("an unknown option is a 422 naming it; a bad duplicates mode or session id too", async () => {
    expectProblem(await importCsv(ws.user, "contacts", "name\nX\n", { options: { curency: "EUR" } }), 422, ["options.curency"]);
    expectProblem(await importCsv(ws.user, "contacts", "name\nX\n", { options: { duplicates: "merge" } }), 422, ["options.duplicates"]);
    expectProblem(await importCsv(ws.user, "contacts", "name\nX\n", { options: { importSessionId: "wizard-1" } }), 422, ["options.importSessionId"]);
  });

  it("without a currency column, the default currency goes into new accounts only: a matched account keeps its own", async () => {
    const name = unique("Yen Co");
    const existing = await createAccount(ws.user, { name, currency: "JPY" });
    const res = await importCsv(ws.user, "accounts", `name,industry\n${name},Trading\n`, { options: { currency: "EUR" } });
    expect(res.body).toMatchObject({ created: 0, updated: 1 });
    expect((await accountsNamed(name))[0]).toMatchObject({ id: existing.id, currency: "JPY", industry: "Trading" });
  });
});

describe("duplicate handling", () => {
  it("accounts: an existing name updates that account by default instead of creating a second one", async () => {
    const name = unique("Initech");
    const existing = await createAccount(ws.user, { name });
    const dry = await importCsv(ws.user, "accounts", `name,industry\n${name.toUpperCase()},Software\n`, { options: { dryRun: true } });
    expect(dry.body).toMatchObject({ duplicates: "update", created: 0, updated: 1, matched: { total: 1, name: 1, domain: 0, externalId: 0, email: 0 } });
    const res = await importCsv(ws.user, "accounts", `name,industry\n${name.toUpperCase()},Software\n`);
    expect(res.body).toMatchObject({ created: 0, updated: 1, matched: { total: 1, name: 1 } });
    const all = await db().select().from(accounts).where(and(eq(accounts.workspaceId, ws.id), sql`lower(${accounts.name}) = ${name.toLowerCase()}`));
    expect(all.map((a) => [a.id, a.industry])).toEqual([[existing.id, "Software"]]);
  });

  it("accounts: the domain matches first (case-insensitive); a name match never crosses to an account of another domain", async () => {
    const name = unique("Globex");
    const byDomain = await createAccount(ws.user, { name, domain: `${name}.example`.toLowerCase() });
    const res = await importCsv(ws.user, "accounts", `name,domain\n${name} Corporation,${name.toUpperCase()}.EXAMPLE\n${name},other-${name}.example\n`);
    // Row 2 updates the account by its domain (and renames it); row 3 names it too, but its domain says another company.
    expect(res.body).toMatchObject({ created: 1, updated: 1, matched: { total: 1, domain: 1, name: 0 }, errors: [] });
    const [row] = await db().select().from(accounts).where(eq(accounts.id, byDomain.id));
    expect(row!.name).toBe(`${name} Corporation`);
  });

  it("accounts: skip leaves matched rows alone; create makes a new record anyway", async () => {
    const name = unique("Umbrella");
    const existing = await createAccount(ws.user, { name, industry: "Pharma" });
    const skip = await importCsv(ws.user, "accounts", `name,industry\n${name},Changed\n${name} New,Changed\n`, { options: { duplicates: "skip" } });
    expect(skip.body).toMatchObject({ duplicates: "skip", created: 1, updated: 0, duplicatesSkipped: 1, skipped: 0, matched: { total: 1, name: 1 } });
    expect((await accountsNamed(name)).map((a) => [a.id, a.industry])).toEqual([[existing.id, "Pharma"]]);

    const create = await importCsv(ws.user, "accounts", `name,industry\n${name},Second\n`, { options: { duplicates: "create" } });
    expect(create.body).toMatchObject({ duplicates: "create", created: 1, updated: 0, matched: { total: 1, name: 1 } });
    expect((await accountsNamed(name)).map((a) => a.industry).sort()).toEqual(["Pharma", "Second"]);
  });

  it("a record matched by name or e-mail takes the row's externalId, so the next import matches it by externalId", async () => {
    const name = unique("Hooli");
    const existing = await createAccount(ws.user, { name });
    const ext = unique("ext");
    const first = await importCsv(ws.user, "accounts", `externalId,name\n${ext},${name}\n`);
    expect(first.body).toMatchObject({ created: 0, updated: 1, matched: { name: 1 } });
    expect((await db().select().from(accounts).where(eq(accounts.id, existing.id)))[0]!.externalId).toBe(ext);
    const again = await importCsv(ws.user, "accounts", `externalId,name\n${ext},${name}\n`);
    expect(again.body).toMatchObject({ created: 0, updated: 0, unchanged: 1, matched: { externalId: 1, name: 0 } });
  });

  for (const entity of ["contacts", "leads"] as const) {
    const table = entity === "contacts" ? contacts : leads;
    const make = entity === "contacts" ? createContact : createLead;

    it(`${entity}: matched by e-mail whatever its case — update (default), skip, create`, async () => {
      const email = `${unique("dup")}@example.test`;
      const existing = await make(ws.user, { email, title: "Before" });
      const file = `Email,Job\n${email.toUpperCase()},After\n`;
      const mapping = { Email: "email", Job: "title" };
      const withEmail = () => db().select().from(table).where(and(eq(table.workspaceId, ws.id), eq(table.email, email)));

      const skip = await importCsv(ws.user, entity, file, { mapping, options: { duplicates: "skip" } });
      expect(skip.body).toMatchObject({ created: 0, updated: 0, duplicatesSkipped: 1, matched: { total: 1, email: 1 } });
      expect((await withEmail()).map((r) => r.title)).toEqual(["Before"]);

      const update = await importCsv(ws.user, entity, file, { mapping });
      expect(update.body).toMatchObject({ created: 0, updated: 1, duplicatesSkipped: 0, matched: { total: 1, email: 1 } });
      expect((await withEmail()).map((r) => [r.id, r.title])).toEqual([[existing.id, "After"]]);

      const create = await importCsv(ws.user, entity, file, { mapping, options: { duplicates: "create" } });
      expect(create.body).toMatchObject({ created: 1, updated: 0, matched: { total: 1, email: 1 } });
      expect(await withEmail()).toHaveLength(2);

      // Now two records share the e-mail: updating would have to guess, so the row is reported instead.
      const ambiguous = await importCsv(ws.user, entity, file, { mapping });
      expect(ambiguous.body).toMatchObject({ created: 0, updated: 0, skipped: 1 });
      expect(ambiguous.body.errors).toEqual([{ row: 2, column: "Email", message: expect.stringMatching(/^2 \w+s have the e-mail .*externalId/) }]);
    });
  }

  it("the same new e-mail twice in one file is reported on the later row (update mode), allowed with create", async () => {
    const email = `${unique("twice")}@example.test`;
    const file = `name,email\nFirst,${email}\nSecond,${email}\n`;
    const res = await importCsv(ws.user, "contacts", file);
    expect(res.body).toMatchObject({ created: 1, skipped: 1 });
    expect(res.body.errors).toEqual([{ row: 3, column: "email", message: `the e-mail "${email}" already appears on row 2 of this file` }]);
    const create = await importCsv(ws.user, "contacts", file, { options: { duplicates: "create" } });
    expect(create.body).toMatchObject({ created: 2, skipped: 0 });
  });

  it("opportunities match by externalId: update, skip, and create refuses to reuse an externalId", async () => {
    const ext = unique("opp");
    const existing = await createOpportunity(ws.user, { externalId: ext, nextStep: "Call" });
    const file = `externalId,name,nextStep\n${ext},${existing.name},Send contract\n`;
    const skip = await importCsv(ws.user, "opportunities", file, { options: { duplicates: "skip" } });
    expect(skip.body).toMatchObject({ updated: 0, duplicatesSkipped: 1, matched: { total: 1, externalId: 1 } });
    const create = await importCsv(ws.user, "opportunities", file, { options: { duplicates: "create" } });
    expect(create.body).toMatchObject({ created: 0, skipped: 1 });
    expect(create.body.errors[0]).toMatchObject({ row: 2, column: "externalId", message: expect.stringContaining('duplicate handling "create"') });
    const update = await importCsv(ws.user, "opportunities", file);
    expect(update.body).toMatchObject({ updated: 1, matched: { externalId: 1 } });
    const [row] = await db().select().from(opportunities).where(eq(opportunities.id, existing.id));
    expect(row!.nextStep).toBe("Send contract");
  });
});

describe("import sessions: an account name several accounts share", () => {
  it("an opportunities import takes the account its session created or matched; without the session it refuses", async () => {
    const name = unique("Initech");
    const a1 = await createAccount(ws.user, { name, domain: `${name}-1.example`.toLowerCase() });
    const a2 = await createAccount(ws.user, { name, domain: `${name}-2.example`.toLowerCase() });
    const deals = (tag: string) => `name,accountName\n${tag},${name}\n`;

    const refused = await importCsv(ws.user, "opportunities", deals(unique("Deal")));
    expect(refused.body.errors).toEqual([{ row: 2, column: "accountName", message: `2 accounts are named "${name}"; add an accountExternalId column to pick one` }]);

    // The session's accounts file matched the second account (by domain): its deals go there.
    const session = randomUuid();
    const acc = await importCsv(ws.user, "accounts", `name,domain,industry\n${name},${a2.domain},Software\n`, { options: { importSessionId: session } });
    expect(acc.body).toMatchObject({ updated: 1, matched: { domain: 1 } });
    const deal = unique("Deal");
    const res = await importCsv(ws.user, "opportunities", deals(deal), { options: { importSessionId: session } });
    expect(res.body).toMatchObject({ created: 1, errors: [] });
    const [opp] = await db().select().from(opportunities).where(and(eq(opportunities.workspaceId, ws.id), eq(opportunities.name, deal)));
    expect(opp!.accountId).toBe(a2.id);

    // A dry run of another session still refuses: the preference belongs to the session that touched the account.
    const other = await importCsv(ws.user, "opportunities", deals(unique("Deal")), { options: { importSessionId: randomUuid(), dryRun: true } });
    expect(other.body.errors[0]).toMatchObject({ column: "accountName", message: expect.stringContaining("2 accounts are named") });
    expect(a1.id).not.toBe(a2.id);
  });

  it("an account the session created with duplicates \"create\" wins over older namesakes; contacts resolve the same way", async () => {
    const name = unique("Acme");
    await createAccount(ws.user, { name });
    const session = randomUuid();
    const made = await importCsv(ws.user, "accounts", `name,city\n${name},Berlin\n`, { options: { importSessionId: session, duplicates: "create" } });
    expect(made.body).toMatchObject({ created: 1 });
    const [created] = await db().select().from(accounts).where(and(eq(accounts.workspaceId, ws.id), eq(accounts.name, name), eq(accounts.city, "Berlin")));
    const email = `${unique("c")}@example.test`;
    const res = await importCsv(ws.user, "contacts", `email,accountName\n${email},${name}\n`, { options: { importSessionId: session } });
    expect(res.body).toMatchObject({ created: 1, errors: [] });
    const [contact] = await db().select().from(contacts).where(eq(contacts.email, email));
    expect(contact!.accountId).toBe(created!.id);
  });

  it("without the session, the one account spelled exactly like the cell (case included) is taken", async () => {
    const base = unique("Soylent");
    const lower = await createAccount(ws.user, { name: base.toLowerCase() });
    await createAccount(ws.user, { name: base.toUpperCase() });
    const deal = unique("Deal");
    const res = await importCsv(ws.user, "opportunities", `name,accountName\n${deal},${base.toLowerCase()}\n${unique("Deal")},${base}\n`);
    expect(res.body).toMatchObject({ created: 1, skipped: 1 });
    expect(res.body.errors[0]).toMatchObject({ row: 3, message: expect.stringContaining("2 accounts are named") });
    const [opp] = await db().select().from(opportunities).where(and(eq(opportunities.workspaceId, ws.id), eq(opportunities.name, deal)));
    expect(opp!.accountId).toBe(lower.id);
  });
});

describe("a NUL byte in a cell", () => {
  it("is an error on its row naming the column; the rest of the file imports (never a 500)", async () => {
    const tag = unique("nul");
    const csv = `name,industry,city\n${tag} One,Soft\u0000ware,Oslo\n${tag} Two,Hardware,Bergen\n${tag} Three,Retail,Tromsø\n`;
    const res = await importCsv(ws.user, "accounts", csv);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ rows: 3, created: 2, skipped: 1 });
    expect(res.body.errors).toEqual([{ row: 2, column: "industry", message: expect.stringContaining("NUL character") }]);

    // In a relation cell (looked up in the database) and in a contact's e-mail, too.
    const deal = await importCsv(ws.user, "opportunities", `name,accountName\n${tag} Deal,Acme\u0000\n`, { options: { createMissingAccounts: true } });
    expect(deal.status).toBe(200);
    expect(deal.body.errors).toEqual([{ row: 2, column: "accountName", message: expect.stringContaining("NUL character") }]);
    const contact = await importCsv(ws.user, "contacts", `name,email\nNul,a\u0000b@example.test\n`);
    expect(contact.status).toBe(200);
    expect(contact.body.errors).toEqual([{ row: 2, column: "email", message: expect.stringContaining("NUL character") }]);
  });
});
