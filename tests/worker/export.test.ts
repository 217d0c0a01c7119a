import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { parseCsv } from "../../worker/lib/csv";
import { allPages, create, createAccount, expectProblem } from "../helpers/records";
import { eq } from "drizzle-orm";
import { customFields, opportunities } from "../../db/schema";
import { api, BASE, createWorkspace, testDb, type TestUser, type TestWorkspace } from "../helpers/worker";

// The import's field names (what the full export writes), so a filtered export re-imports the same way.
const exportColumns = {
  contacts: ["externalId", "firstName", "lastName", "email", "phone", "mobilePhone", "title", "accountExternalId", "accountName", "ownerEmail"],
  opportunities: [
    "externalId", "name", "accountExternalId", "accountName", "pipeline", "stageName", "amount", "currency", "probability", "closeDate",
    "primaryContactExternalId", "nextStep", "source", "description", "ownerEmail",
  ],
};

let ws: TestWorkspace;
beforeAll(async () => {
  ws = await createWorkspace();
});

async function exportRows(entity: string, query: string, who: TestUser = ws.user) {
  const res = await api(`/api/export/${entity}.csv${query}`, { token: who.token });
  expect(res.status, String(res.body).slice(0, 300)).toBe(200);
  const [head, ...rows] = parseCsv(res.body as string);
  return { head: head!, rows, col: (name: string) => rows.map((r) => r[head!.indexOf(name)]!) };
}

describe("custom fields in the export", () => {
  it("adds a custom.<key> column per custom field of the entity, after the core ones; multi-selects joined with \"; \"", async () => {
    const ws2 = await createWorkspace();
    const db = testDb();
    try {
      await db.http.insert(customFields).values([
        { workspaceId: ws2.id, entity: "opportunity", key: "segment", label: "Segment", type: "single_select", position: 0 },
        { workspaceId: ws2.id, entity: "opportunity", key: "tags", label: "Tags", type: "multi_select", position: 1 },
        { workspaceId: ws2.id, entity: "opportunity", key: "arr", label: "ARR", type: "money", position: 2 },
        { workspaceId: ws2.id, entity: "contact", key: "linkedin", label: "LinkedIn", type: "url" },
      ]);
      const deal = await create(ws2.user, "opportunities", { name: "Custom export" });
      await db.http.update(opportunities).set({ custom: { segment: "smb", tags: ["a", "b"], arr: 120000 } }).where(eq(opportunities.id, deal.id));
      const out = await exportRows("opportunities", "", ws2.user);
      expect(out.head).toEqual([...exportColumns.opportunities, "custom.segment", "custom.tags", "custom.arr"]);
      expect([out.col("custom.segment")[0], out.col("custom.tags")[0], out.col("custom.arr")[0]]).toEqual(["smb", "a; b", "120000"]);
    } finally {
      await db.close();
    }
  });
});

describe("filtered export", () => {
  it("holds exactly the rows of the list with the same filters, in the list's order, with the import's columns", async () => {
    const u = ws.user;
    const acme = await createAccount(u, { name: "Filter Acme" });
    const [qualify, proposal] = [ws.stages[1]!, ws.stages[2]!];
    const deals = [
      { name: "Big EUR", stageId: proposal.id, amount: 900_000, currency: "EUR", accountId: acme.id },
      { name: "Mid EUR", stageId: proposal.id, amount: 500_000, currency: "EUR", accountId: acme.id },
      { name: "Small EUR", stageId: proposal.id, amount: 10_000, currency: "EUR", accountId: acme.id },
      { name: "Big USD", stageId: proposal.id, amount: 800_000, currency: "USD", accountId: acme.id },
      { name: "Other stage", stageId: qualify.id, amount: 700_000, currency: "EUR", accountId: acme.id },
      { name: "=HYPERLINK(\"http://evil.example\")", stageId: proposal.id, amount: 600_000, currency: "EUR", accountId: acme.id },
    ];
    for (const d of deals) await create(u, "opportunities", d);

    const query = `?stageId=${proposal.id}&currency=EUR&amountMin=100000&sort=-amount`;
    const list = await allPages(u, `/api/opportunities${query}`, 2);
    const out = await exportRows("opportunities", query);
    expect(out.head).toEqual(exportColumns.opportunities);
    // The list's rows, in the list's order; "Small EUR", the USD deal and the other stage's deal are left out.
    expect(out.col("externalId")).toEqual(list.rows.map((r) => r.externalId ?? r.id));
    expect(out.col("name")).toEqual(["Big EUR", "'=HYPERLINK(\"http://evil.example\")", "Mid EUR"]);
    expect(out.col("stageName")).toEqual([proposal.name, proposal.name, proposal.name]);
    expect(out.col("amount")).toEqual(["900000", "600000", "500000"]);

    // Free text and owner, on another entity.
    await create(u, "contacts", { firstName: "Zelda", lastName: "Findme", accountId: acme.id });
    await create(u, "contacts", { firstName: "@Ignored", lastName: "Elsewhere" });
    await create(ws.admin, "contacts", { firstName: "Zelda", lastName: "Notmine" });
    const contacts = await exportRows("contacts", `?q=zelda&ownerId=${u.id}`);
    expect(contacts.head).toEqual(exportColumns.contacts);
    expect(contacts.rows.map((r) => [r[1], r[2], r[8]])).toEqual([["Zelda", "Findme", "Filter Acme"]]);
    // Formula-looking cells are neutralised in a filtered export as in a full one.
    expect((await exportRows("contacts", "?q=ignored")).col("firstName")).toEqual(["'@Ignored"]);
  });

  it("streams more rows than one FETCH batch, in sort order, and refuses a bad sort or filter before sending anything", async () => {
    const big = await createWorkspace();
    const lines = ["externalId,firstName,lastName,email"];
    for (let i = 0; i < 4_500; i++) lines.push(`x-${i},${i % 3 === 0 ? "Keep" : "Skip"}${i},Last${String(i).padStart(5, "0")},p${i}@big.example`);
    const form = new FormData();
    form.append("file", new File([lines.join("\n")], "contacts.csv", { type: "text/csv" }));
    const imported = await api("/api/import/contacts", { method: "POST", body: form, token: big.user.token });
    expect(imported.body).toMatchObject({ created: 4_500 });

    const out = await exportRows("contacts", "?q=keep&sort=-lastName", big.user);
    expect(out.rows.length).toBe(1_500);
    const expected = Array.from({ length: 4_500 }, (_, i) => i).filter((i) => i % 3 === 0).reverse().map((i) => `x-${i}`);
    expect(out.col("externalId")).toEqual(expected);

    expectProblem(await api("/api/export/contacts.csv?sort=shoeSize", { token: big.user.token }), 400, ["sort"]);
    expectProblem(await api("/api/export/contacts.csv?ownerId=nope", { token: big.user.token }), 400, ["ownerId"]);
  });
});

describe("download links", () => {
  it("a link opens the filtered export without the Authorization header, for one minute, for that entity only", async () => {
    await create(ws.user, "accounts", { name: "Linked Zebra Ltd" });
    await create(ws.user, "accounts", { name: "Unlinked Yak" });
    const link = await api("/api/export/accounts/link?q=zebra&bom=true", { token: ws.viewer.token });
    expect(link.status, JSON.stringify(link.body)).toBe(200);
    expect(link.body.url).toMatch(/^\/api\/export\/accounts\.csv\?q=zebra&bom=true&download=/);
    expect(Date.parse(link.body.expiresAt) - Date.now()).toBeLessThanOrEqual(60_000);

    // A browser navigation: no Authorization header.
    const res = await exports.default.fetch(new Request(`${BASE}${link.body.url}`));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="accounts-/);
    const rows = parseCsv((await res.text()).replace(/^\ufeff/, ""));
    expect(rows.slice(1).map((r) => r[1])).toEqual(["Linked Zebra Ltd"]);

    const token = new URL(link.body.url, BASE).searchParams.get("download")!;
    // The link is not a session, does not open another entity's export, and cannot be altered.
    expectProblem(await api("/api/accounts", { token }), 401);
    expectProblem(await api(`/api/export/contacts.csv?download=${token}`), 401);
    expectProblem(await api(`/api/export/accounts.csv?download=${token.slice(0, -2)}xx`), 401);
    expectProblem(await api("/api/export/accounts/link"), 401);
    expectProblem(await api("/api/export/accounts/link?sort=nope", { token: ws.viewer.token }), 400, ["sort"]);
  });
});
