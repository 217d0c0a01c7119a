import { exports } from "cloudflare:workers";
import { and, count, desc, eq, isNull } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { accounts, activities, auditLog, contacts, leads, opportunities } from "../../db/schema";
import { parseCsv, unescapeFormula } from "../../worker/lib/csv";
import { importCsv as importAs, type ImportEntity } from "../helpers/import";
import { create, createAccount, expectProblem } from "../helpers/records";
import { api, BASE, createWorkspace, testDb, unique, type TestUser, type TestWorkspace } from "../helpers/worker";

let ws: TestWorkspace;
let other: TestWorkspace;
beforeAll(async () => {
  [ws, other] = await Promise.all([createWorkspace(), createWorkspace()]);
});

type Entity = ImportEntity;

function importCsv(
  entity: Entity,
  file: string | Uint8Array,
  opts: { mapping?: Record<string, string | null>; options?: Record<string, unknown>; who?: TestUser; name?: string } = {},
) {
  return importAs(opts.who ?? ws.user, entity, file, opts);
}

async function exportCsv(entity: Entity, who: TestUser = ws.user, query = "") {
  const res = await api(`/api/export/${entity}.csv${query}`, { token: who.token });
  expect(res.status, String(res.body)).toBe(200);
  return { res, text: res.body as string, rows: parseCsv(res.body as string) };
}

const db = () => testDb().http;
const countOf = async (table: typeof accounts | typeof contacts | typeof leads | typeof opportunities, workspaceId: string) =>
  (await db().select({ n: count() }).from(table).where(and(eq(table.workspaceId, workspaceId), isNull(table.deletedAt))))[0]!.n;
const accountByExt = async (externalId: string, workspaceId = ws.id) =>
  (await db().select().from(accounts).where(and(eq(accounts.workspaceId, workspaceId), eq(accounts.externalId, externalId))))[0];

// ---------------------------------------------------------------------------------------------------------------
describe("import: happy paths", () => {
  it("reads a BOM, CRLF line ends, quoted commas, quotes and line breaks exactly", async () => {
    const ext = unique("acc");
    const csv =
      "\ufeffId,Company,Notes,Staff\r\n" +
      `${ext},"Acme, Inc.","Line one\r\nsays ""hello"", then
line three",1,200\r\n`;
    // The header has 4 columns; "1,200" is two cells unquoted, so quote it: the next row shows the error instead.
    const res = await importCsv("accounts", csv.replace("1,200", '"1,200"'), { mapping: { Id: "externalId", Company: "name", Notes: "description", Staff: "employees" } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ rows: 1, created: 1, updated: 0, unchanged: 0, skipped: 0, errors: [] });
    const row = await accountByExt(ext);
    expect(row).toMatchObject({ name: "Acme, Inc.", description: 'Line one\r\nsays "hello", then\nline three', employees: 1200, ownerId: ws.user.id });
  });

  it("numbers rows as a spreadsheet does (header = row 1), even after a quoted line break", async () => {
    const csv = ["name,website,employees", '"Multi', 'line",https://a.example,5', "Bad Co,https://b.example,many", ",https://c.example,3", "Fine Co,https://d.example,7"].join("\n");
    const res = await importCsv("accounts", csv);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ rows: 4, created: 2, skipped: 2 });
    expect(res.body.errors).toEqual([
      { row: 3, column: "employees", message: '"many" is not a whole number' },
      { row: 4, column: "name", message: "is required" },
    ]);
  });

  it("accepts several date formats", async () => {
    const cases = [
      { dateFormat: "YYYY-MM-DD", cell: "2026-12-31" },
      { dateFormat: "M/D/YYYY", cell: "12/31/2026" },
      { dateFormat: "D/M/YYYY", cell: "31/12/2026" },
    ];
    for (const c of cases) {
      const ext = unique("opp");
      const res = await importCsv("opportunities", `externalId,name,closeDate\n${ext},Dated deal,${c.cell}\n`, { options: { dateFormat: c.dateFormat } });
      expect(res.body, c.dateFormat).toMatchObject({ created: 1, errors: [] });
      const [opp] = await db().select().from(opportunities).where(and(eq(opportunities.workspaceId, ws.id), eq(opportunities.externalId, ext)));
      expect(opp!.closeDate).toBe("2026-12-31");
    }
    const bad = await importCsv("opportunities", "name,closeDate\nNope,2/30/2026\nAlso nope,13/01/2026\n", { options: { dateFormat: "M/D/YYYY" } });
    expect(bad.body.created).toBe(0);
    expect(bad.body.errors).toEqual([
      { row: 2, column: "closeDate", message: '"2/30/2026" is not a valid date (M/D/YYYY)' },
      { row: 3, column: "closeDate", message: '"13/01/2026" is not a valid date (M/D/YYYY)' },
    ]);
  });

  it("converts major amounts with each currency's minor digits; minor is the default", async () => {
    const tag = unique("amt");
    const csv = [
      "Ref,Deal,Value,Cur",
      `${tag}-1,Dollars,"$1,234.50",usd`,
      `${tag}-2,Yen,"1,234",JPY`,
      `${tag}-3,Dinar,1.5,KWD`,
      `${tag}-4,Too precise,12.345,USD`,
      `${tag}-5,Default currency,99.9,`,
    ].join("\n");
    const mapping = { Ref: "externalId", Deal: "name", Value: "amount", Cur: "currency" };
    const res = await importCsv("opportunities", csv, { mapping, options: { amountUnit: "major", currency: "EUR" } });
    expect(res.body).toMatchObject({ created: 4, skipped: 1 });
    expect(res.body.errors).toEqual([{ row: 5, column: "Value", message: '"12.345" has more decimals than USD allows (2)' }]);
    const got = Object.fromEntries(
      (await db().select().from(opportunities).where(eq(opportunities.workspaceId, ws.id))).filter((o) => o.externalId?.startsWith(tag)).map((o) => [o.externalId, [o.amount, o.currency]]),
    );
    expect(got).toEqual({ [`${tag}-1`]: [123450, "USD"], [`${tag}-2`]: [1234, "JPY"], [`${tag}-3`]: [1500, "KWD"], [`${tag}-5`]: [9990, "EUR"] });

    const minor = await importCsv("opportunities", `externalId,name,amount\n${tag}-6,Cents,123450\n${tag}-7,Not cents,"1,234.50"\n`);
    expect(minor.body).toMatchObject({ created: 1 });
    expect(minor.body.errors[0]).toMatchObject({ row: 3, column: "amount", message: expect.stringContaining('amountUnit "major"') });
  });

  it("maps the file's stage names with valueMap, and a stage change on re-import is recorded like a drag on the board", async () => {
    const ext = unique("deal");
    const first = await importCsv("opportunities", `externalId,name,stageName\n${ext},Mapped deal,Early\n`, { options: { valueMap: { stageName: { early: "Qualification" } } } });
    expect(first.body, JSON.stringify(first.body)).toMatchObject({ created: 1, errors: [] });
    const [deal] = await db().select().from(opportunities).where(and(eq(opportunities.workspaceId, ws.id), eq(opportunities.externalId, ext)));
    expect(deal!.stageId).toBe(ws.stages.find((s) => s.name === "Qualification")!.id);
    expect(deal!.closedAt).toBeNull();

    const unknown = await importCsv("opportunities", `externalId,name,stageName\n${ext},Mapped deal,Signed\n`);
    expect(unknown.body.errors).toEqual([{ row: 2, column: "stageName", message: expect.stringMatching(/no stage named "Signed".*valueMap/) }]);

    const won = await importCsv("opportunities", `externalId,name,stageName\n${ext},Mapped deal,Signed\n`, { options: { valueMap: { stageName: { Signed: "Closed Won" } } } });
    expect(won.body).toMatchObject({ created: 0, updated: 1, errors: [] });
    const [after] = await db().select().from(opportunities).where(eq(opportunities.id, deal!.id));
    expect(after!.stageId).toBe(ws.stages.find((s) => s.name === "Closed Won")!.id);
    expect(after!.closedAt).not.toBeNull();
    expect(after!.version).toBe(deal!.version + 1);
    const moves = await db().select().from(activities).where(and(eq(activities.opportunityId, deal!.id), eq(activities.type, "stage_change")));
    expect(moves).toHaveLength(1);
    expect(moves[0]).toMatchObject({ subject: "Qualification → Closed Won", actorId: ws.user.id });
  });

  it("links contacts to accounts by name and creates missing accounts only when asked", async () => {
    const existing = await createAccount(ws.user, { name: unique("Acme") });
    const newName = unique("Newco");
    const csv = `email,company\na-${newName}@example.test,${existing.name.toUpperCase()}\nb-${newName}@example.test,${newName}\nc-${newName}@example.test,${newName}\n`;
    const mapping = { email: "email", company: "accountName" };
    const refused = await importCsv("contacts", csv, { mapping });
    expect(refused.body).toMatchObject({ created: 1, skipped: 2, accountsCreated: 0 });
    expect(refused.body.errors[0]).toEqual({ row: 3, column: "company", message: `no account named "${newName}"; set createMissingAccounts to create it` });

    const created = await importCsv("contacts", csv.split("\n").filter((_, i) => i !== 1).join("\n"), { mapping, options: { createMissingAccounts: true } });
    expect(created.body).toMatchObject({ created: 2, accountsCreated: 1, errors: [] });
    const made = await db().select().from(accounts).where(and(eq(accounts.workspaceId, ws.id), eq(accounts.name, newName)));
    expect(made).toHaveLength(1);
    const linked = await db().select().from(contacts).where(eq(contacts.accountId, made[0]!.id));
    // E-mail addresses are stored lower-cased, as the API stores them.
    expect(linked.map((c) => c.email).sort()).toEqual([`b-${newName}@example.test`.toLowerCase(), `c-${newName}@example.test`.toLowerCase()]);
    const [first] = await db().select().from(contacts).where(eq(contacts.email, `a-${newName}@example.test`.toLowerCase()));
    expect(first!.accountId).toBe(existing.id);
  });

  it("assigns owners by e-mail and validates fields with the API's own rules", async () => {
    const csv = [
      "First,Last,Email,Owner,Status",
      `Grace,Hopper,grace-${unique()}@example.test,${ws.admin.email.toUpperCase()},Qualified`,
      "Bad,Mail,not-an-email,,new",
      `No,Owner,x-${unique()}@example.test,nobody@example.test,new`,
      `Bad,Status,y-${unique()}@example.test,,won`,
    ].join("\n");
    const res = await importCsv("leads", csv, { mapping: { First: "firstName", Last: "lastName", Email: "email", Owner: "ownerEmail", Status: "status" } });
    expect(res.body).toMatchObject({ created: 1, skipped: 3 });
    expect(res.body.errors).toEqual([
      { row: 3, column: "Email", message: "must be an e-mail address" },
      { row: 4, column: "Owner", message: 'no user with the e-mail "nobody@example.test" in your workspace' },
      { row: 5, column: "Status", message: expect.any(String) },
    ]);
    const [lead] = await db().select().from(leads).where(and(eq(leads.workspaceId, ws.id), eq(leads.lastName, "Hopper")));
    expect(lead).toMatchObject({ ownerId: ws.admin.id, status: "qualified" });
  });

  it("re-importing the same file creates nothing and changes nothing; an edited row updates in place", async () => {
    const tag = unique("idem");
    const csv = ["externalId,name,industry,employees", `${tag}-1,Initech,Software,50`, `${tag}-2,Umbrella,Pharma,5000`, `${tag}-3,Hooli,Internet,`].join("\r\n");
    const first = await importCsv("accounts", csv);
    expect(first.body).toMatchObject({ created: 3, updated: 0, unchanged: 0, errors: [] });
    const before = (await db().select().from(accounts).where(eq(accounts.workspaceId, ws.id))).filter((a) => a.externalId?.startsWith(tag));

    const again = await importCsv("accounts", csv);
    expect(again.body).toMatchObject({ created: 0, updated: 0, unchanged: 3, skipped: 0 });
    const after = (await db().select().from(accounts).where(eq(accounts.workspaceId, ws.id))).filter((a) => a.externalId?.startsWith(tag));
    expect(after).toEqual(before);

    const edited = await importCsv("accounts", csv.replace("Hooli,Internet,", "Hooli,Search,2000"));
    expect(edited.body).toMatchObject({ created: 0, updated: 1, unchanged: 2 });
    const hooli = await accountByExt(`${tag}-3`);
    expect(hooli).toMatchObject({ industry: "Search", employees: 2000, id: before.find((b) => b.externalId === `${tag}-3`)!.id });
    expect(hooli!.updatedAt.getTime()).toBeGreaterThan(before.find((b) => b.externalId === `${tag}-3`)!.updatedAt.getTime());
  });

  it("reports a repeated externalId within one file instead of letting the last row win", async () => {
    const ext = unique("dup");
    const res = await importCsv("accounts", `externalId,name\n${ext},First\n${ext},Second\n`);
    expect(res.body).toMatchObject({ created: 1, skipped: 1 });
    expect(res.body.errors).toEqual([{ row: 3, column: "externalId", message: `externalId "${ext}" already appears on row 2 of this file` }]);
    expect((await accountByExt(ext))!.name).toBe("First");
  });

  it("refuses to update a record in the trash", async () => {
    const ext = unique("trash");
    const acc = await createAccount(ws.user, { externalId: ext });
    expect((await api(`/api/accounts/${acc.id}`, { method: "DELETE", token: ws.admin.token })).status).toBe(200);
    const res = await importCsv("accounts", `externalId,name\n${ext},Back from the dead\n`);
    expect(res.body).toMatchObject({ created: 0, updated: 0, skipped: 1 });
    expect(res.body.errors[0]).toMatchObject({ row: 2, column: "externalId", message: expect.stringMatching(/in the trash/) });
  });

  it("dry run reports the same counts and errors as the real run and writes nothing", async () => {
    const tag = unique("dry");
    const csv = ["externalId,name,employees,company", `${tag}-1,Dry One,10,`, `${tag}-2,,10,`, `${tag}-3,Dry Three,ten,`].join("\n");
    const accountsBefore = await countOf(accounts, ws.id);
    const auditBefore = (await db().select({ n: count() }).from(auditLog).where(eq(auditLog.workspaceId, ws.id)))[0]!.n;
    const dry = await importCsv("accounts", csv, { options: { dryRun: true } });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ dryRun: true, rows: 3, created: 1, skipped: 2 });
    expect(await countOf(accounts, ws.id)).toBe(accountsBefore);
    expect((await db().select({ n: count() }).from(auditLog).where(eq(auditLog.workspaceId, ws.id)))[0]!.n).toBe(auditBefore);

    // createMissingAccounts in a dry run counts the accounts it would create, and creates none.
    const name = unique("Ghost Inc");
    const dryContacts = await importCsv("contacts", `email,accountName\nghost-${tag}@example.test,${name}\n`, { options: { dryRun: true, createMissingAccounts: true } });
    expect(dryContacts.body).toMatchObject({ created: 1, accountsCreated: 1 });
    expect(await db().select().from(accounts).where(eq(accounts.name, name))).toHaveLength(0);

    const real = await importCsv("accounts", csv);
    expect(real.body).toEqual({ ...dry.body, dryRun: false });
    expect(await countOf(accounts, ws.id)).toBe(accountsBefore + 1);
  });

  it("writes one audit entry per import with its counts", async () => {
    const res = await importCsv("accounts", `name\n${unique("Audited")}\n`, { name: "crm-export.csv" });
    expect(res.body.created).toBe(1);
    const [entry] = await db().select().from(auditLog).where(and(eq(auditLog.workspaceId, ws.id), eq(auditLog.action, "import"))).orderBy(desc(auditLog.at)).limit(1);
    expect(entry).toMatchObject({ actorId: ws.user.id, entityType: "account", entityId: null });
    expect(entry!.changes).toMatchObject({ file: { to: "crm-export.csv" }, created: { to: 1 }, rows: { to: 1 }, skipped: { to: 0 } });
  });
});

// ---------------------------------------------------------------------------------------------------------------
describe("import: refused requests", () => {
  it("a VIEWER cannot import; a stranger cannot either", async () => {
    expectProblem(await importCsv("accounts", "name\nNope\n", { who: ws.viewer }), 403);
    const form = new FormData();
    form.append("file", new File(["name\nNope\n"], "a.csv"));
    expectProblem(await api("/api/import/accounts", { method: "POST", body: form }), 401);
  });

  it("mapping mistakes fail the whole request with the problem named", async () => {
    const res = await importCsv("accounts", "Company,Size\nAcme,5\n", { mapping: { Company: "name", Size: "headcount", Missing: "city" } });
    expectProblem(res, 422, ["mapping.Size", "mapping.Missing"]);
    expectProblem(await importCsv("accounts", "Company,Size\nAcme,5\n", { mapping: { Size: "employees" } }), 422, ["mapping"]);
    expectProblem(await importCsv("accounts", "Company,Size\nAcme,5\n"), 422, ["mapping"]);
    expectProblem(await importCsv("accounts", "name\nAcme\n", { options: { dateFormat: "DD.MM.YYYY" } }), 422, ["options.dateFormat"]);
    expectProblem(await importCsv("accounts", "name\nAcme\n", { options: { valueMap: { nope: {} } } }), 422, ["options.valueMap.nope"]);
    expectProblem(await api("/api/import/widgets", { method: "POST", body: new FormData(), token: ws.user.token }), 400);
  });

  it("a broken file writes nothing: an unclosed quote, or text that is not UTF-8", async () => {
    const before = await countOf(accounts, ws.id);
    const unclosed = await importCsv("accounts", `name,description\n${unique("Ok")},fine\nBroken,"never closed\n${unique("Ok")},fine\n`);
    expectProblem(unclosed, 422, ["file"]);
    expect(unclosed.body.detail).toMatch(/never closed/);
    const latin1 = new Uint8Array([...new TextEncoder().encode("name\nCaf"), 0xe9, 0x0a]);
    const notUtf8 = await importCsv("accounts", latin1);
    expectProblem(notUtf8, 422, ["file"]);
    expect(notUtf8.body.detail).toMatch(/UTF-8/);
    expect(await countOf(accounts, ws.id)).toBe(before);
  });

  it("never reads or writes another workspace's records", async () => {
    const theirs = await createAccount(other.admin, { name: unique("Their Co"), externalId: unique("shared") });
    const byName = await importCsv("contacts", `email,accountName\nx-${unique()}@example.test,${theirs.name}\n`);
    expect(byName.body.errors[0]).toMatchObject({ column: "accountName", message: expect.stringMatching(/no account named/) });
    const byId = await importCsv("contacts", `email,accountExternalId\nx-${unique()}@example.test,${theirs.id}\n`);
    expect(byId.body.errors[0]).toMatchObject({ column: "accountExternalId", message: expect.stringMatching(/no account with externalId/) });
    const byRawId = await importCsv("opportunities", `name,accountId\nDeal,${theirs.id}\n`);
    expect(byRawId.body.errors[0]).toMatchObject({ column: "accountId", message: expect.stringMatching(/no account with this id/) });

    // The same externalId in our workspace is a new record of ours; theirs is untouched.
    const mine = await importCsv("accounts", `externalId,name\n${theirs.externalId},Ours now\n`);
    expect(mine.body).toMatchObject({ created: 1, updated: 0 });
    expect((await accountByExt(theirs.externalId, other.id))!.name).toBe(theirs.name);
    expect((await accountByExt(theirs.externalId, ws.id))!.name).toBe("Ours now");
    // Importing their record's id as externalId does not reach it either.
    const viaId = await importCsv("accounts", `externalId,name\n${theirs.id},Hijack\n`);
    expect(viaId.body).toMatchObject({ created: 1, updated: 0 });
    expect((await db().select().from(accounts).where(eq(accounts.id, theirs.id)))[0]!.name).toBe(theirs.name);

    const { text } = await exportCsv("accounts");
    expect(text).not.toContain(theirs.name);
  });
});

// ---------------------------------------------------------------------------------------------------------------
describe("export", () => {
  it("streams CSV as an attachment (BOM on request); VIEWERs may export, strangers may not", async () => {
    await createAccount(ws.user, { name: unique("Exported") });
    const { res, rows } = await exportCsv("accounts", ws.viewer, "?bom=true");
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="accounts-\d{4}-\d{2}-\d{2}\.csv"$/);
    // Response.text() swallows a BOM: look at the bytes.
    const raw = await exports.default.fetch(new Request(`${BASE}/api/export/accounts.csv?bom=true`, { headers: { Authorization: `Bearer ${ws.viewer.token}` } }));
    const bytes = new Uint8Array(await raw.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder("utf-8", { ignoreBOM: true, fatal: false }).decode(bytes.slice(3, 20))).toBe("externalId,name,d");
    expect(rows[0]).toEqual(["externalId", "name", "domain", "website", "industry", "phone", "employees", "annualRevenue", "currency", "city", "country", "description", "ownerEmail"]);
    expect(rows.length - 1).toBe(await countOf(accounts, ws.id));
    const plainRaw = await exports.default.fetch(new Request(`${BASE}/api/export/accounts.csv`, { headers: { Authorization: `Bearer ${ws.viewer.token}` } }));
    expect([...new Uint8Array(await plainRaw.arrayBuffer()).slice(0, 3)]).toEqual([..."ext"].map((ch) => ch.charCodeAt(0)));
    expectProblem(await api("/api/export/accounts.csv"), 401);
    const [entry] = await db().select().from(auditLog).where(and(eq(auditLog.workspaceId, ws.id), eq(auditLog.action, "export"))).orderBy(desc(auditLog.at)).limit(1);
    expect(entry).toMatchObject({ actorId: ws.viewer.id, entityType: "account" });
  });

  it("export → import is lossless: in place in the same workspace, and recreated in an empty one", async () => {
    const src = await createWorkspace();
    const u = src.user;
    const acme = await create(u, "accounts", {
      name: "Acme, \"Rockets\" Inc.", domain: "acme.example", website: "https://acme.example", industry: "=cmd|' /C calc'!A0", phone: "+1 555 0100",
      employees: 1200, annualRevenue: 987654321, currency: "EUR", city: "Zürich", country: "CH", description: "Line 1\nLine 2, with comma\r\n\"quoted\"",
    });
    const bare = await create(u, "accounts", { name: "Bare", externalId: "crm-7" });
    const ada = await create(u, "contacts", { firstName: "Ada", lastName: "Lovelace", email: "ada@acme.example", phone: "-", mobilePhone: "@ada", title: "CTO", accountId: acme.id });
    await create(u, "contacts", { name: "Solo", accountId: bare.id, ownerId: null });
    await create(u, "leads", { firstName: "Grace", lastName: "Hopper", email: "grace@navy.example", company: "Navy", status: "contacted", source: "Web", description: "東京 🚀" });
    await create(u, "opportunities", {
      name: "Acme rollout", accountId: acme.id, primaryContactId: ada.id, stageId: src.stages[2]!.id, amount: 123456, currency: "JPY", probability: 35,
      closeDate: "2027-02-28", nextStep: "Send contract", source: "Referral", description: "'quoted' start",
    });
    await create(u, "opportunities", { name: "Lost one", stageId: src.stages.find((s) => s.kind === "lost")!.id, amount: null });

    const order: Entity[] = ["accounts", "contacts", "leads", "opportunities"];
    const exported: Record<string, string> = {};
    for (const e of order) exported[e] = (await exportCsv(e, u)).text;
    expect(parseCsv(exported.accounts!).length).toBe(3);
    expect(parseCsv(exported.opportunities!)[0]).toContain("stageName");

    // Same workspace: every row matches its record, nothing is created and nothing changes.
    for (const e of order) {
      const res = await importCsv(e, exported[e]!, { who: u });
      expect(res.body, e).toMatchObject({ created: 0, updated: 0, unchanged: parseCsv(exported[e]!).length - 1, skipped: 0, errors: [] });
    }
    for (const e of order) expect((await exportCsv(e, u)).text, e).toBe(exported[e]);

    // An empty workspace: everything is recreated, with the same links. Owners are people of the source
    // workspace, so the mapping leaves ownerEmail out (the importer owns the records).
    const dst = await createWorkspace();
    for (const e of order) {
      const header = parseCsv(exported[e]!)[0]!;
      const mapping = Object.fromEntries(header.map((h) => [h, h === "ownerEmail" ? null : h]));
      const res = await importCsv(e, exported[e]!, { who: dst.user, mapping });
      expect(res.body, `${e}: ${JSON.stringify(res.body.errors)}`).toMatchObject({ created: parseCsv(exported[e]!).length - 1, updated: 0, skipped: 0, accountsCreated: 0 });
    }
    const withoutOwner = (text: string) => {
      const [head, ...rows] = parseCsv(text);
      const drop = head!.indexOf("ownerEmail");
      return { head: head!.filter((_, i) => i !== drop), rows: rows.map((r) => r.filter((_, i) => i !== drop).join("\u0001")).sort() };
    };
    for (const e of order) expect(withoutOwner((await exportCsv(e, dst.user)).text), e).toEqual(withoutOwner(exported[e]!));
    // Formula-looking cells were neutralised in the file, and came back exactly.
    expect(parseCsv(exported.accounts!)[1]![4]).toBe("'=cmd|' /C calc'!A0");
    const [copy] = await db().select().from(accounts).where(and(eq(accounts.workspaceId, dst.id), eq(accounts.externalId, acme.id)));
    expect(copy).toMatchObject({ industry: "=cmd|' /C calc'!A0", description: acme.description, annualRevenue: 987654321, currency: "EUR", phone: "+1 555 0100" });
    expect(unescapeFormula("'=x")).toBe("=x");
  });
});

// ---------------------------------------------------------------------------------------------------------------
describe("scale", () => {
  it("imports 10,000 rows in one request, then re-imports them as unchanged", async () => {
    const big = await createWorkspace();
    const acme = await createAccount(big.user, { name: "Scale Account" });
    const lines = ["externalId,firstName,lastName,email,title,accountName,ownerEmail"];
    for (let i = 0; i < 10_000; i++) {
      lines.push(`c-${i},First${i},"Last, ${i}",person${i}@scale.example,${i % 7 === 0 ? '"VP, ""Sales"""' : "Engineer"},Scale Account,${big.admin.email}`);
    }
    const csv = lines.join("\r\n");
    const res = await importCsv("contacts", csv, { who: big.user });
    expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(200);
    expect(res.body).toMatchObject({ rows: 10_000, created: 10_000, updated: 0, skipped: 0, errors: [] });
    expect(await countOf(contacts, big.id)).toBe(10_000);
    const [sample] = await db().select().from(contacts).where(and(eq(contacts.workspaceId, big.id), eq(contacts.externalId, "c-7")));
    expect(sample).toMatchObject({ lastName: "Last, 7", title: 'VP, "Sales"', accountId: acme.id, ownerId: big.admin.id });

    const again = await importCsv("contacts", csv, { who: big.user });
    expect(again.body).toMatchObject({ created: 0, updated: 0, unchanged: 10_000 });
    const { rows } = await exportCsv("contacts", big.user);
    expect(rows.length).toBe(10_001);
    // The import also writes its 10,000 contact.created events to the outbox in its transaction (issue 13).
  }, 90_000);
});
