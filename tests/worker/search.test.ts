import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { accounts, contacts, leads, opportunities, searchWords } from "../../db/schema";
import { pruneSearchWords } from "../../worker/services/search/prune-words";
import { api, createWorkspace, testDb, unique, type TestWorkspace } from "../helpers/worker";

let ws: TestWorkspace;
let other: TestWorkspace;
const ids: Record<string, string> = {};

const search = (q: string, opts: { token?: string; types?: string; limit?: number } = {}) => {
  const params = new URLSearchParams({ q });
  if (opts.types !== undefined) params.set("types", opts.types);
  if (opts.limit !== undefined) params.set("limit", String(opts.limit));
  return api(`/api/search?${params}`, { token: opts.token ?? ws.user.token });
};
const items = (body: any): any[] => body.groups.flatMap((g: any) => g.items);
const titles = (body: any) => items(body).map((i) => i.title);

beforeAll(async () => {
  [ws, other] = await Promise.all([createWorkspace(), createWorkspace()]);
  const db = testDb();
  const hour = 3600_000;
  const at = (hoursAgo: number) => new Date(Date.now() - hoursAgo * hour);
  const acc = await db.http
    .insert(accounts)
    .values([
      { workspaceId: ws.id, name: "Northwind", domain: "northwind.example", updatedAt: at(5) },
      { workspaceId: ws.id, name: "Northwind Traders", domain: "nwtraders.example", updatedAt: at(1) },
      { workspaceId: ws.id, name: "Southern Northwind Supply", updatedAt: at(0) },
      { workspaceId: ws.id, name: "Kestrel Dynamics", domain: "kestrel.example", phone: "+1 (415) 555-0199" },
      { workspaceId: ws.id, name: "Quasar Optics" },
      { workspaceId: ws.id, name: "Old Recent", updatedAt: at(100) },
      { workspaceId: ws.id, name: "Old Recent", updatedAt: at(1) },
    ])
    .returning();
  for (const a of acc) ids[`${a.name}:${a.updatedAt.getTime()}`] = a.id;
  ids.northwind = acc[0]!.id;
  ids.kestrelAccount = acc[3]!.id;
  ids.quasar = acc[4]!.id;
  ids.oldRecentOld = acc[5]!.id;
  ids.oldRecentNew = acc[6]!.id;
  const [ada, , kestrelPerson] = await db.http
    .insert(contacts)
    .values([
      { workspaceId: ws.id, firstName: "Ada", lastName: "Lovelace", email: "ada@analytical.example", phone: "+44 20 7946 0018" },
      { workspaceId: ws.id, firstName: "Grace", lastName: "Hopper", email: "grace.hopper@navy.example", accountId: acc[3]!.id },
      { workspaceId: ws.id, firstName: "Maria", lastName: "Kestrel", email: "maria@kestrel.example" },
      ...Array.from({ length: 25 }, (_, i) => ({ workspaceId: ws.id, firstName: "Paxton", lastName: `Number${i}`, email: `paxton${i}@many.example` })),
    ])
    .returning();
  ids.ada = ada!.id;
  ids.kestrelPerson = kestrelPerson!.id;
  const [lead] = await db.http
    .insert(leads)
    .values([{ workspaceId: ws.id, firstName: "Lena", lastName: "Vogel", company: "Kestrel Dynamics", email: "lena@vogel.example" }])
    .returning();
  ids.lead = lead!.id;
  const [deal] = await db.http
    .insert(opportunities)
    .values([{ workspaceId: ws.id, name: "Kestrel renewal 2027", accountId: acc[3]!.id, stageId: ws.stages[0]!.id }])
    .returning();
  ids.deal = deal!.id;
  // Another workspace with look-alike names: none of it may ever show up in ws's results.
  const foreign = await db.http
    .insert(accounts)
    .values([{ workspaceId: other.id, name: "Northwind" }, { workspaceId: other.id, name: "Kestrel Foreign" }])
    .returning();
  ids.foreignNorthwind = foreign[0]!.id;
});

describe("ranking", () => {
  it("puts an exact name before prefixes, prefixes before word starts, and says so in the score", async () => {
    const res = await search("northwind", { types: "account" });
    expect(res.status).toBe(200);
    expect(res.body.query).toBe("northwind");
    const got = items(res.body);
    expect(got.map((i) => i.title)).toEqual(["Northwind", "Northwind Traders", "Southern Northwind Supply"]);
    expect(got.map((i) => i.score)).toEqual([1, 0.9, 0.75]);
    // The exact match wins although both others were updated more recently.
  });

  it("tolerates a typo: Nortwind finds Northwind, ranked below any real prefix match", async () => {
    const res = await search("Nortwind", { types: "account" });
    expect(res.status).toBe(200);
    const got = items(res.body);
    expect(got.map((i) => i.title)).toContain("Northwind");
    expect(got.map((i) => i.title)).toContain("Northwind Traders");
    for (const i of got) expect(i.score).toBeLessThanOrEqual(0.6);

    const withPrefix = await search("lovelac");
    expect(items(withPrefix.body)[0]).toMatchObject({ id: ids.ada, score: 0.75 });
    const typo = await search("lovlace");
    expect(items(typo.body).map((i) => i.id)).toContain(ids.ada);
    expect(items(typo.body).find((i) => i.id === ids.ada).score).toBeLessThan(0.75);
  });

  it("breaks ties by recency: the most recently updated of two equal names comes first", async () => {
    const res = await search("old recent", { types: "account" });
    expect(items(res.body).map((i) => i.id)).toEqual([ids.oldRecentNew, ids.oldRecentOld]);
  });

  it("finds people by last name, e-mail prefix and phone digits in any punctuation", async () => {
    expect(items((await search("Lovel")).body)[0]).toMatchObject({ id: ids.ada, type: "contact", title: "Ada Lovelace" });
    expect(items((await search("ada@analy")).body)[0]).toMatchObject({ id: ids.ada, score: 0.9 });
    const phone = await search("7946 0018");
    expect(items(phone.body).map((i) => i.id)).toContain(ids.ada);
    const whole = await search("+1 415 555 0199");
    expect(items(whole.body)[0]).toMatchObject({ id: ids.kestrelAccount, score: 1 });
    const local = await search("(415) 555-0199");
    expect(items(local.body)[0]).toMatchObject({ id: ids.kestrelAccount, score: 0.8 });
  });

  it("treats LIKE wildcards and quotes in the query as plain text", async () => {
    for (const q of ["%", "_", "50%_off", "o'brien\\", "'a':* & !b"]) {
      const res = await search(q);
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(0);
    }
  });
});

describe("grouping and limits", () => {
  it("groups results by type, the group with the best hit first, and finds related records through their company", async () => {
    const res = await search("kestrel");
    expect(res.status).toBe(200);
    const types = res.body.groups.map((g: any) => g.type);
    expect(new Set(types).size).toBe(types.length);
    expect(types).toEqual(expect.arrayContaining(["account", "contact", "lead", "opportunity"]));
    for (const g of res.body.groups) for (const i of g.items) expect(i.type).toBe(g.type);
    const best = res.body.groups.map((g: any) => g.items[0].score);
    expect([...best].sort((a, b) => b - a)).toEqual(best);
    expect(res.body.groups[0].items[0].score).toBe(Math.max(...items(res.body).map((i) => i.score)));
    expect(items(res.body).find((i) => i.id === ids.kestrelAccount)).toMatchObject({ title: "Kestrel Dynamics", score: 0.9, subtitle: expect.stringContaining("kestrel.example") });
    expect(items(res.body).find((i) => i.id === ids.kestrelPerson)).toMatchObject({ title: "Maria Kestrel", score: 0.75 });
    // Grace works at Kestrel Dynamics: found through the account, scored below direct hits.
    const grace = items(res.body).find((i) => i.title === "Grace Hopper");
    expect(grace).toBeDefined();
    expect(grace.score).toBeLessThan(0.9);
    expect(items(res.body).find((i) => i.id === ids.lead)).toMatchObject({ subtitle: expect.stringContaining("Kestrel Dynamics") });
    expect(items(res.body).find((i) => i.id === ids.deal)).toMatchObject({ title: "Kestrel renewal 2027" });
    expect(res.body.total).toBe(items(res.body).length);
  });

  it("returns at most 20 results overall, fewer when asked, and refuses more than 20", async () => {
    const all = await search("paxton");
    expect(all.status).toBe(200);
    expect(all.body.total).toBe(20);
    expect(items(all.body)).toHaveLength(20);
    const five = await search("paxton", { limit: 5 });
    expect(items(five.body)).toHaveLength(5);
    const tooMany = await search("paxton", { limit: 50 });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors.map((e: any) => e.path)).toContain("limit");
  });

  it("filters by type, accepting plurals, and names an unknown type", async () => {
    const res = await search("kestrel", { types: "contacts,lead" });
    expect(res.body.groups.map((g: any) => g.type).sort()).toEqual(["contact", "lead"]);
    const bad = await search("kestrel", { types: "contact,planets" });
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toContain("application/problem+json");
    expect(bad.body.errors[0]).toMatchObject({ path: "types", message: expect.stringContaining("planets") });
  });
});

describe("scope and validation", () => {
  it("never returns another workspace's records", async () => {
    const mine = await search("northwind");
    expect(items(mine.body).map((i) => i.id)).not.toContain(ids.foreignNorthwind);
    const theirs = await search("northwind", { token: other.viewer.token });
    expect(items(theirs.body).map((i) => i.id)).toEqual([ids.foreignNorthwind]);
    const foreignOnly = await search("kestrel foreign");
    expect(items(foreignOnly.body).map((i) => i.title)).not.toContain("Kestrel Foreign");
  });

  it("drops a record as soon as it is deleted, and brings it back on restore", async () => {
    expect(items((await search("quasar")).body).map((i) => i.id)).toContain(ids.quasar);
    expect((await api(`/api/accounts/${ids.quasar}`, { method: "DELETE", token: ws.admin.token })).status).toBe(200);
    expect(items((await search("quasar")).body).map((i) => i.id)).not.toContain(ids.quasar);
    expect(items((await search("quasr optics")).body).map((i) => i.id)).not.toContain(ids.quasar);
    expect((await api(`/api/accounts/${ids.quasar}/restore`, { method: "POST", token: ws.admin.token })).status).toBe(200);
    expect(items((await search("quasar")).body).map((i) => i.id)).toContain(ids.quasar);
  });

  it("answers 400 naming q for a missing or blank query, and serves a one-letter query from prefixes", async () => {
    for (const path of ["/api/search", "/api/search?q=", "/api/search?q=%20%20"]) {
      const res = await api(path, { token: ws.user.token });
      expect(res.status).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(res.body.errors.map((e: any) => e.path)).toContain("q");
    }
    const long = await search("x".repeat(101));
    expect(long.status).toBe(400);
    const one = await search("k");
    expect(one.status).toBe(200);
    expect(titles(one.body)).toContain("Kestrel Dynamics");
  });

  it("is open to every role but not to anonymous callers", async () => {
    expect((await search("ada", { token: ws.viewer.token })).status).toBe(200);
    const anon = await api("/api/search?q=ada");
    expect(anon.status).toBe(401);
  });
});

describe("typo dictionary", () => {
  const idsOf = (body: any) => items(body).map((i) => i.id);

  // Every query below is misspelt (not a prefix of the name), so only the typo tier can find the record.
  it("corrects a typo in a record created, renamed or restored a moment ago, and no longer matches a name it lost", async () => {
    const created = await api("/api/contacts", { method: "POST", token: ws.user.token, body: { firstName: "Ottoline", lastName: "Brackenbury" } });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const typo = (await search("brakenbury")).body;
    expect(idsOf(typo)).toContain(id);
    expect(items(typo).find((i) => i.id === id).score).toBeLessThanOrEqual(0.6);

    expect((await api(`/api/contacts/${id}`, { method: "PATCH", token: ws.user.token, body: { lastName: "Wetherall" } })).status).toBe(200);
    expect(idsOf((await search("wethrall")).body)).toContain(id);
    expect(idsOf((await search("brakenbury")).body)).not.toContain(id);

    expect((await api(`/api/contacts/${id}`, { method: "DELETE", token: ws.admin.token })).status).toBe(200);
    expect(idsOf((await search("wethrall")).body)).not.toContain(id);
    expect((await api(`/api/contacts/${id}/restore`, { method: "POST", token: ws.admin.token })).status).toBe(200);
    expect(idsOf((await search("otoline wethrall")).body)).toContain(id);
  });

  it("corrects typos in names written by a CSV import, on create and on re-import", async () => {
    const [a, b] = [unique("q1"), unique("q2")];
    const importCsv = (csv: string) => {
      const form = new FormData();
      form.append("file", new File([csv], "contacts.csv", { type: "text/csv" }));
      form.append("mapping", JSON.stringify({ Id: "externalId", First: "firstName", Last: "lastName" }));
      return api("/api/import/contacts", { method: "POST", body: form, token: ws.user.token });
    };
    const first = await importCsv(`Id,First,Last\r\n${a},Quenby,Marchbanks\r\n${b},Idris,Fairweather\r\n`);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toMatchObject({ created: 2, skipped: 0 });
    expect(titles((await search("marchbanx")).body)).toContain("Quenby Marchbanks");
    expect(titles((await search("fairweathr")).body)).toContain("Idris Fairweather");

    // The same ids again, one surname changed: an upsert, which updates the existing row.
    const again = await importCsv(`Id,First,Last\r\n${a},Quenby,Marchbanks\r\n${b},Idris,Thistlewood\r\n`);
    expect(again.body).toMatchObject({ created: 0, updated: 1, unchanged: 1 });
    expect(titles((await search("thistlewod")).body)).toContain("Idris Thistlewood");
    expect(titles((await search("fairweathr")).body)).not.toContain("Idris Fairweather");
  });

  it("corrects every misspelt word of a name, and still finds a name that holds only some of the query's words", async () => {
    const both = await search("nortwind tradrs", { types: "account" });
    expect(items(both.body)[0]).toMatchObject({ title: "Northwind Traders" });
    expect(items(both.body)[0].score).toBeLessThanOrEqual(0.6);
    // "lenna" is close to Lena (a lead's first name), to nothing in Kestrel Dynamics; the account still resembles the
    // whole query enough to be offered.
    const some = await search("kestrel lenna", { types: "account" });
    expect(items(some.body)).toEqual([expect.objectContaining({ id: ids.kestrelAccount, title: "Kestrel Dynamics" })]);
    expect(items(some.body)[0].score).toBeLessThan(0.6);
  });

  it("finds one-word typos of short words by edit distance, ranked below exact and prefix hits", async () => {
    const db = testDb();
    const [globex, globxTools] = await db.http
      .insert(accounts)
      .values([{ workspaceId: ws.id, name: "Globex Corporation" }, { workspaceId: ws.id, name: "Globx Tools" }])
      .returning();
    const [alice, minh] = await db.http
      .insert(contacts)
      .values([
        { workspaceId: ws.id, firstName: "Alice", lastName: "Okafor", email: "a.o@edit.example" },
        { workspaceId: ws.id, firstName: "Minh", lastName: "Nguyen", email: "m.n@edit.example" },
      ])
      .returning();
    // Each differs from the name by one or two edits and shares too few trigrams with it for the similarity tier.
    for (const [q, id] of [["okafr", alice!.id], ["alcie", alice!.id], ["nguyn", minh!.id]] as const) {
      const got = items((await search(q)).body);
      expect(got.map((i) => i.id), q).toContain(id);
      expect(got.find((i) => i.id === id).score, q).toBe(0.5);
    }
    // The account literally named "Globx…" is a prefix hit and comes first; Globex follows, below it.
    const globx = items((await search("globx", { types: "account" })).body);
    expect(globx.map((i) => i.id)).toEqual([globxTools!.id, globex!.id]);
    expect(globx[1].score).toBeLessThan(globx[0].score);
    // A swap of two neighbouring letters counts as one typo; two unrelated edits make another word.
    expect(items((await search("ngyuen")).body).map((i) => i.id)).toContain(minh!.id);
    expect(items((await search("nguxan")).body).map((i) => i.id)).not.toContain(minh!.id);
  });

  it("stays inside the workspace: a typo finds the caller's records and never the look-alikes of another workspace", async () => {
    const theirs = await search("kestrl foreign", { token: other.viewer.token });
    expect(titles(theirs.body)).toContain("Kestrel Foreign");
    expect(titles(theirs.body).filter((t) => t !== "Kestrel Foreign")).toEqual([]);
    expect(titles((await search("kestrl foreign")).body)).not.toContain("Kestrel Foreign");
  });

  it("nightly maintenance forgets words no live record uses, keeps the others, and a restore brings them back", async () => {
    const fresh = await createWorkspace();
    const post = (body: object) => api("/api/accounts", { method: "POST", token: fresh.user.token, body });
    const kept = (await post({ name: "Pemberton Ironworks" })).body;
    const gone = (await post({ name: "Zanzibar Lighthouse" })).body;
    expect((await api(`/api/accounts/${gone.id}`, { method: "DELETE", token: fresh.admin.token })).status).toBe(200);
    const words = async () =>
      (await testDb().http.select({ word: searchWords.word }).from(searchWords).where(eq(searchWords.workspaceId, fresh.id))).map((r) => r.word).sort();
    expect(await words()).toEqual(["ironworks", "lighthouse", "pemberton", "zanzibar"]);

    expect(await pruneSearchWords({ db: testDb().http, workspaceId: fresh.id })).toBe(2);
    expect(await words()).toEqual(["ironworks", "pemberton"]);
    const find = (q: string) => api(`/api/search?q=${encodeURIComponent(q)}`, { token: fresh.user.token });
    expect(titles((await find("pembertn")).body)).toEqual(["Pemberton Ironworks"]);

    expect((await api(`/api/accounts/${gone.id}/restore`, { method: "POST", token: fresh.admin.token })).status).toBe(200);
    expect(await words()).toEqual(["ironworks", "lighthouse", "pemberton", "zanzibar"]);
    expect(titles((await find("zanzibr")).body)).toEqual(["Zanzibar Lighthouse"]);
    expect(idsOf((await find("pemberton irnworks")).body)).toEqual([kept.id]);
  });
});
