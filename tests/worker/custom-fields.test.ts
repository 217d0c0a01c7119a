import { and, desc, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, customFields, opportunities } from "../../db/schema";
import { buildContext } from "../../worker/ai/context";
import { ensureCustomFieldIndexes } from "../../worker/services/custom-fields/indexes";
import { importCsv } from "../helpers/import";
import { api, createWorkspace, testDb, unique, type TestWorkspace } from "../helpers/worker";

type Res = { status: number; headers: Headers; body: any };
let ws: TestWorkspace;
let other: TestWorkspace;
beforeAll(async () => {
  [ws, other] = await Promise.all([createWorkspace(), createWorkspace()]);
});

const expectProblem = (res: Res, status: number, path?: string) => {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  if (path) expect((res.body.errors ?? []).map((e: any) => e.path)).toContain(path);
};
let keySeq = 0;
const newKey = (p: string) => `${p}${(keySeq++).toString(36)}${Math.random().toString(36).slice(2, 6)}`;

async function field(w: TestWorkspace, body: Record<string, unknown>): Promise<any> {
  const res = await api("/api/fields", { method: "POST", token: w.admin.token, body: { entity: "opportunity", label: "F", ...body } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}
const createDeal = (w: TestWorkspace, body: Record<string, unknown>) => api("/api/opportunities", { method: "POST", token: w.user.token, body: { name: unique("Deal"), ...body } });
const patchDeal = (w: TestWorkspace, id: string, body: Record<string, unknown>) => api(`/api/opportunities/${id}`, { method: "PATCH", token: w.user.token, body });
const countDeals = async (w: TestWorkspace, name: string) =>
  (await testDb().http.select({ id: opportunities.id }).from(opportunities).where(and(eq(opportunities.workspaceId, w.id), eq(opportunities.name, name)))).length;

// ---------------------------------------------------------------------------------------------------------------
describe("the registry API", () => {
  it("creates a field of each type, lists it per entity for every role, and only ADMIN writes", async () => {
    const w = await createWorkspace();
    const made = await field(w, { key: "segment", label: "Segment", type: "single_select", options: [{ value: "smb", label: "SMB", color: "#1e88e5", order: 1 }, { value: "ent", label: "Enterprise", order: 0 }], showOnCard: true, filterable: true, helpText: "Who buys" });
    expect(made).toMatchObject({ entity: "opportunity", key: "segment", type: "single_select", version: 1, source: "ui", showOnCard: true, filterable: true, helpText: "Who buys", deletedAt: null });
    // Options come back in their declared order.
    expect(made.options.map((o: any) => o.value)).toEqual(["ent", "smb"]);
    await field(w, { entity: "account", key: "tier", type: "text" });
    for (const who of [w.viewer, w.user, w.admin]) {
      const res = await api("/api/fields?entity=opportunity", { token: who.token });
      expect(res.status).toBe(200);
      expect(res.body.data.map((f: any) => f.key)).toEqual(["segment"]);
    }
    expect((await api("/api/fields", { token: w.viewer.token })).body.data).toHaveLength(2);
    expectProblem(await api("/api/fields", { method: "POST", token: w.user.token, body: { entity: "lead", key: "x", label: "X", type: "text" } }), 403);
    expectProblem(await api(`/api/fields/${made.id}`, { method: "PATCH", token: w.user.token, body: { version: 1, label: "Y" } }), 403);
    expectProblem(await api(`/api/fields/${made.id}`, { method: "DELETE", token: w.viewer.token }), 403);
    // Another workspace neither sees nor edits it.
    expect((await api("/api/fields", { token: other.admin.token })).body.data.map((f: any) => f.id)).not.toContain(made.id);
    expectProblem(await api(`/api/fields/${made.id}`, { method: "PATCH", token: other.admin.token, body: { version: 1, label: "Mine" } }), 404);
  });

  it("refuses bad keys, core names, duplicates and incoherent definitions, naming the field", async () => {
    const w = await createWorkspace();
    const post = (body: Record<string, unknown>) => api("/api/fields", { method: "POST", token: w.admin.token, body: { entity: "opportunity", label: "X", type: "text", ...body } });
    expectProblem(await post({ key: "Segment" }), 422, "key");
    expectProblem(await post({ key: "my-field" }), 422, "key");
    expectProblem(await post({ key: "1abc" }), 422, "key");
    expectProblem(await post({ key: "amount" }), 422, "key");
    expectProblem(await post({ key: "close_date" }), 422, "key");
    expectProblem(await post({ key: "name" }), 422, "key");
    expectProblem(await post({ key: "ok", type: "colour" }), 422, "type");
    expectProblem(await post({ key: "sel", type: "single_select" }), 422, "options");
    expectProblem(await post({ key: "sel", type: "single_select", options: [{ value: "a", label: "A" }, { value: "a", label: "B" }] }), 422, "options.1.value");
    expectProblem(await post({ key: "sel", type: "single_select", options: [{ value: "a", label: "A", color: "blue" }] }), 422, "options.0.color");
    expectProblem(await post({ key: "txt", options: [{ value: "a", label: "A" }] }), 422, "options");
    expectProblem(await post({ key: "link", type: "record_link" }), 422, "settings.target");
    expectProblem(await post({ key: "num", type: "number", defaultValue: "many" }), 422, "defaultValue");
    await field(w, { key: "dup", type: "text" });
    expectProblem(await post({ key: "dup" }), 409);
    // The same key on another entity is another field.
    expect((await post({ key: "dup", entity: "lead" })).status).toBe(201);
    expect((await api("/api/fields", { token: w.admin.token })).body.data).toHaveLength(2);
  });

  it("PATCH needs the current version (409 with the current field otherwise)", async () => {
    const w = await createWorkspace();
    const f = await field(w, { key: "region", type: "text" });
    const ok = await api(`/api/fields/${f.id}`, { method: "PATCH", token: w.admin.token, body: { version: 1, label: "Region", required: false, helpText: "Where" } });
    expect(ok.status).toBe(200);
    expect(ok.body.field).toMatchObject({ label: "Region", version: 2, helpText: "Where" });
    expect(ok.body.conversion).toBeNull();
    const stale = await api(`/api/fields/${f.id}`, { method: "PATCH", token: w.admin.token, body: { version: 1, label: "Lost update" } });
    expectProblem(stale, 409);
    expect(stale.body.current).toMatchObject({ label: "Region", version: 2 });
  });
});

// ---------------------------------------------------------------------------------------------------------------
describe("values are validated by type on every write", () => {
  let w: TestWorkspace;
  let accountId: string;
  let foreignAccountId: string;
  beforeAll(async () => {
    w = await createWorkspace();
    accountId = (await api("/api/accounts", { method: "POST", token: w.user.token, body: { name: "Linked Co" } })).body.id;
    foreignAccountId = (await api("/api/accounts", { method: "POST", token: other.user.token, body: { name: "Foreign Co" } })).body.id;
    const opts = [{ value: "a", label: "Alpha" }, { value: "b", label: "Beta" }];
    for (const [key, type, extra] of [
      ["t_text", "text", {}],
      ["t_long", "long_text", {}],
      ["t_num", "number", {}],
      ["t_money", "money", { settings: { currency: "EUR" } }],
      ["t_pct", "percent", {}],
      ["t_date", "date", {}],
      ["t_dt", "datetime", {}],
      ["t_check", "checkbox", {}],
      ["t_one", "single_select", { options: opts }],
      ["t_many", "multi_select", { options: opts }],
      ["t_url", "url", {}],
      ["t_mail", "email", {}],
      ["t_phone", "phone", {}],
      ["t_user", "user", {}],
      ["t_link", "record_link", { settings: { target: "account" } }],
    ] as const) {
      await field(w, { key, type, ...extra });
    }
  });

  const cases: [string, unknown[], unknown[]][] = [
    ["t_text", ["hello", "  trimmed  "], [42, true, "x".repeat(501), ["a"]]],
    ["t_long", ["a\nlonger\ntext"], [{}, "x".repeat(10_001)]],
    ["t_num", [3.14, -2, 0], ["3", "1e3", true, { n: 1 }]],
    ["t_money", [125_000, 0], [12.5, "100"]],
    ["t_pct", [12.5, 100], ["50%", 5000]],
    ["t_date", ["2026-02-28"], ["2026-02-30", "28/02/2026", "2026-02-28T10:00:00Z", 20260228]],
    ["t_dt", ["2026-02-28T10:00:00+02:00", "2026-02-28T10:00:00.123Z"], ["2026-02-28", "yesterday", "2026-02-28T10:00:00"]],
    ["t_check", [true, false], ["true", 1]],
    ["t_one", ["a"], ["c", ["a"], 1]],
    ["t_many", [["a", "b"], []], ["a", ["a", "z"], [1]]],
    ["t_url", ["https://example.com/x?y=1"], ["example.com", "javascript:alert(1)", "ftp://x.test"]],
    ["t_mail", ["Ada@Example.com"], ["ada@", "not an email"]],
    ["t_phone", ["+44 20 7946 0958", "(555) 123-4567 x12"], ["call me", "12"]],
    ["t_user", [], ["not-a-uuid", "00000000-0000-4000-8000-000000000000"]],
    ["t_link", [], ["00000000-0000-4000-8000-000000000000"]],
  ];

  for (const [key, good, bad] of cases) {
    it(`${key}: accepts ${good.length} and rejects ${bad.length} values with 422 naming custom.${key}; nothing written`, async () => {
      for (const value of good) {
        const res = await createDeal(w, { custom: { [key]: value } });
        expect(res.status, `${key}=${JSON.stringify(value)}: ${JSON.stringify(res.body)}`).toBe(201);
      }
      for (const value of bad) {
        const name = unique("Rejected");
        const res = await createDeal(w, { name, custom: { [key]: value } });
        expectProblem(res, 422, `custom.${key}`);
        expect(await countDeals(w, name)).toBe(0);
      }
    });
  }

  it("normalises what it stores (trimmed text, lower-case e-mail, UTC date-time, deduplicated options)", async () => {
    const res = await createDeal(w, { custom: { t_text: "  x  ", t_mail: "Ada@Example.COM", t_dt: "2026-02-28T10:00:00+02:00", t_many: ["b", "a", "b"], t_user: w.viewer.id, t_link: accountId } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.custom).toEqual({ t_text: "x", t_mail: "ada@example.com", t_dt: "2026-02-28T08:00:00.000Z", t_many: ["b", "a"], t_user: w.viewer.id, t_link: accountId });
    const detail = await api(`/api/opportunities/${res.body.id}`, { token: w.viewer.token });
    expect(detail.body.custom).toEqual(res.body.custom);
  });

  it("a user of another workspace, a record of another workspace, an unknown key: one 422 listing each, nothing written", async () => {
    const name = unique("Rejected");
    const res = await createDeal(w, { name, custom: { t_user: other.viewer.id, t_link: foreignAccountId, nope: 1, t_num: 5 } });
    expectProblem(res, 422, "custom.nope");
    expect(res.body.errors.find((e: any) => e.path === "custom.nope").code).toBe("unknown_field");
    const refs = await createDeal(w, { name, custom: { t_user: other.viewer.id, t_link: foreignAccountId } });
    expectProblem(refs, 422, "custom.t_user");
    expect(refs.body.errors.map((e: any) => e.path)).toContain("custom.t_link");
    expect(await countDeals(w, name)).toBe(0);
    expectProblem(await createDeal(w, { name, custom: ["not", "an", "object"] }), 422);
  });

  it("PATCH merges keys, null clears one, a bad value changes nothing; the audit trail says custom.<key> before → after", async () => {
    const made = await createDeal(w, { custom: { t_text: "one", t_num: 1 } });
    const id = made.body.id;
    const p1 = await patchDeal(w, id, { custom: { t_num: 2 } });
    expect(p1.status, JSON.stringify(p1.body)).toBe(200);
    expect(p1.body.custom).toEqual({ t_text: "one", t_num: 2 });
    const [audit] = await testDb().http.select().from(auditLog).where(and(eq(auditLog.entityId, id), eq(auditLog.action, "update"))).orderBy(desc(auditLog.at)).limit(1);
    expect(audit!.changes).toEqual({ "custom.t_num": { from: 1, to: 2 } });
    const p2 = await patchDeal(w, id, { custom: { t_text: null } });
    expect(p2.body.custom).toEqual({ t_num: 2 });
    const version = p2.body.version;
    expectProblem(await patchDeal(w, id, { nextStep: "call", custom: { t_num: "three" } }), 422, "custom.t_num");
    const after = await api(`/api/opportunities/${id}`, { token: w.viewer.token });
    expect(after.body).toMatchObject({ custom: { t_num: 2 }, version, nextStep: null });
  });

  it("works on accounts, contacts and leads too (create and PATCH)", async () => {
    for (const [entity, plural, body] of [
      ["account", "accounts", { name: "Acme" }],
      ["contact", "contacts", { name: "Ada Lovelace" }],
      ["lead", "leads", { name: "Grace Hopper" }],
    ] as const) {
      await field(w, { entity, key: "score", type: "number" });
      const ok = await api(`/api/${plural}`, { method: "POST", token: w.user.token, body: { ...body, custom: { score: 7 } } });
      expect(ok.status, JSON.stringify(ok.body)).toBe(201);
      expect(ok.body.custom).toEqual({ score: 7 });
      expectProblem(await api(`/api/${plural}`, { method: "POST", token: w.user.token, body: { ...body, custom: { score: "seven" } } }), 422, "custom.score");
      const p = await api(`/api/${plural}/${ok.body.id}`, { method: "PATCH", token: w.user.token, body: { custom: { score: 8 } } });
      expect(p.body.custom).toEqual({ score: 8 });
      expectProblem(await api(`/api/${plural}/${ok.body.id}`, { method: "PATCH", token: w.user.token, body: { custom: { t_text: "opportunity's key" } } }), 422, "custom.t_text");
    }
  });
});

describe("required fields and defaults", () => {
  it("applies the default on create, requires a required field, and refuses clearing it", async () => {
    const w = await createWorkspace();
    await field(w, { key: "tier", type: "single_select", options: [{ value: "gold", label: "Gold" }, { value: "silver", label: "Silver" }], defaultValue: "silver" });
    await field(w, { key: "po", type: "text", required: true });
    const name = unique("Missing");
    const missing = await createDeal(w, { name });
    expectProblem(missing, 422, "custom.po");
    expect(await countDeals(w, name)).toBe(0);
    const ok = await createDeal(w, { custom: { po: "PO-1" } });
    expect(ok.status).toBe(201);
    expect(ok.body.custom).toEqual({ po: "PO-1", tier: "silver" });
    expectProblem(await patchDeal(w, ok.body.id, { custom: { po: null } }), 422, "custom.po");
    // Edits that do not touch custom values are not blocked by a field made required later.
    await field(w, { key: "later", type: "text", required: true });
    expect((await patchDeal(w, ok.body.id, { nextStep: "demo" })).status).toBe(200);
  });
});

// ---------------------------------------------------------------------------------------------------------------
describe("lists filter and sort on custom fields", () => {
  let w: TestWorkspace;
  const arrs = [500, null, 100, 300, null, 100, 900, 250];
  beforeAll(async () => {
    w = await createWorkspace();
    await field(w, { key: "segment", type: "single_select", options: [{ value: "smb", label: "SMB" }, { value: "ent", label: "Enterprise" }], filterable: true });
    await field(w, { key: "arr", type: "money", filterable: true });
    await field(w, { key: "renewal", type: "date" });
    await field(w, { key: "tags", type: "multi_select", options: [{ value: "hot", label: "Hot" }, { value: "cold", label: "Cold" }] });
    await field(w, { key: "notes", type: "long_text" });
    for (const [i, arr] of arrs.entries()) {
      const custom: Record<string, unknown> = { segment: i % 2 ? "smb" : "ent", renewal: `2026-0${(i % 9) + 1}-15`, tags: i % 3 === 0 ? ["hot"] : ["cold"] };
      if (arr !== null) custom.arr = arr;
      expect((await createDeal(w, { name: `Deal ${i}`, custom })).status).toBe(201);
    }
    // Another workspace's deals with the same keys never show up.
    await field(other, { key: "segment", type: "text" }).catch(() => undefined);
    await createDeal(other, { custom: { segment: "smb" } });
  });

  const all = async (query: string, limit = 3) => {
    const out: any[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 20; i++) {
      const res = await api(`/api/opportunities?limit=${limit}&${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`, { token: w.viewer.token });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      out.push(...res.body.data);
      cursor = res.body.nextCursor;
      if (!cursor) break;
    }
    return out;
  };

  it("filters by equality and ranges", async () => {
    expect((await all("custom.segment=smb")).map((d) => d.name).sort()).toEqual(["Deal 1", "Deal 3", "Deal 5", "Deal 7"]);
    expect((await all("custom.arr[gte]=250&custom.arr[lt]=900")).map((d) => d.custom.arr).sort()).toEqual([250, 300, 500]);
    expect((await all("custom.renewal[lte]=2026-03-31")).map((d) => d.name).sort()).toEqual(["Deal 0", "Deal 1", "Deal 2"]);
    expect((await all("custom.tags=hot")).map((d) => d.name).sort()).toEqual(["Deal 0", "Deal 3", "Deal 6"]);
    expect((await all("custom.arr[empty]=true")).map((d) => d.name).sort()).toEqual(["Deal 1", "Deal 4"]);
    expect((await all("custom.segment=ent&custom.arr=100")).map((d) => d.name)).toEqual(["Deal 2"]);
  });

  it("answers 400 naming the parameter for unknown fields, wrong value types and unsupported operators", async () => {
    expectProblem(await api("/api/opportunities?custom.nope=1", { token: w.viewer.token }), 400, "custom.nope");
    expectProblem(await api("/api/opportunities?custom.arr=lots", { token: w.viewer.token }), 400, "custom.arr");
    expectProblem(await api("/api/opportunities?custom.segment=mid", { token: w.viewer.token }), 400, "custom.segment");
    expectProblem(await api("/api/opportunities?custom.segment[gte]=a", { token: w.viewer.token }), 400, "custom.segment[gte]");
    expectProblem(await api("/api/opportunities?custom.notes=x", { token: w.viewer.token }), 400, "custom.notes");
    expectProblem(await api("/api/opportunities?sort=custom.notes", { token: w.viewer.token }), 400, "sort");
    expectProblem(await api("/api/opportunities?sort=custom.nope", { token: w.viewer.token }), 400, "sort");
  });

  it("sorts ascending (values, then records without one) and descending (those first) with keyset pages that never skip or repeat", async () => {
    const asc = await all("sort=custom.arr", 3);
    expect(asc.map((d) => d.custom.arr ?? null)).toEqual([100, 100, 250, 300, 500, 900, null, null]);
    expect(new Set(asc.map((d) => d.id)).size).toBe(8);
    const desc = await all("sort=-custom.arr", 3);
    expect(desc.map((d) => d.custom.arr ?? null)).toEqual([null, null, 900, 500, 300, 250, 100, 100]);
    expect(desc.map((d) => d.id)).toEqual([...asc].reverse().map((d) => d.id));
    const byDate = await all("sort=custom.renewal", 2);
    expect(byDate.map((d) => d.custom.renewal)).toEqual([...byDate.map((d) => d.custom.renewal)].sort());
    const filtered = await all("custom.segment=smb&sort=-custom.arr", 1);
    expect(filtered.map((d) => d.custom.arr ?? null)).toEqual([null, 300, 250, 100]);
    const withQ = await all("q=deal&sort=custom.arr", 3);
    expect(withQ.map((d) => d.id)).toEqual(asc.map((d) => d.id));
  });

  it("a list built from the registry this isolate remembers notices a field added, retyped or given an option since", async () => {
    const v = await createWorkspace();
    const score = await field(v, { key: "score", type: "text" });
    const tier = await field(v, { key: "tier", type: "single_select", options: [{ value: "a", label: "A" }] });
    for (const [name, sc] of [["Nine", "9"], ["Ten", "10"]]) expect((await createDeal(v, { name, custom: { score: sc, tier: "a" } })).status).toBe(201);
    const names = async (query: string) => {
      const res = await api(`/api/opportunities?${query}`, { token: v.viewer.token });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.data.map((d: any) => d.name);
    };
    // Text order while the field is text; the registry is now remembered.
    expect(await names("sort=custom.score")).toEqual(["Ten", "Nine"]);
    // Retyped to a number: the page says it was built from an older registry, so it is built again (numeric order).
    const retyped = await api(`/api/fields/${score.id}`, { method: "PATCH", token: v.admin.token, body: { version: 1, type: "number" } });
    expect(retyped.status, JSON.stringify(retyped.body)).toBe(200);
    expect(await names("sort=custom.score")).toEqual(["Nine", "Ten"]);
    expect(await names("custom.score[gte]=10")).toEqual(["Ten"]);
    // A new option, and a new field: the remembered registry refuses them, the fresh one answers.
    const opt = await api(`/api/fields/${tier.id}`, { method: "PATCH", token: v.admin.token, body: { version: 1, options: [{ value: "a", label: "A" }, { value: "b", label: "B" }] } });
    expect(opt.status, JSON.stringify(opt.body)).toBe(200);
    expect(await names("custom.tier=b")).toEqual([]);
    await field(v, { key: "fresh", type: "checkbox" });
    expect(await names("custom.fresh=true")).toEqual([]);
    // An empty page carries no stamp: a field deleted since is still noticed.
    const del = await api(`/api/fields/${score.id}`, { method: "DELETE", token: v.admin.token });
    expect(del.status, JSON.stringify(del.body)).toBe(200);
    expectProblem(await api("/api/opportunities?sort=custom.score", { token: v.viewer.token }), 400, "sort");
  });

  it("a filterable field has its expression index (workspace_id, typed value, id)", async () => {
    // Built when the field was made (best effort: a build waiting on another test's transaction is postponed); idempotent.
    await ensureCustomFieldIndexes(testDb(), w.id);
    const res = await testDb().http.execute(sql`select indexname, indexdef from pg_indexes where tablename = 'opportunities' and indexname like 'cf_%'`);
    const rows = ((res as any).rows ?? res) as { indexname: string; indexdef: string }[];
    const defs = rows.map((r) => r.indexdef).join("\n");
    expect(defs).toMatch(/workspace_id, "left"\(\(custom ->> 'segment'::text\), 300\), id/);
    expect(defs).toMatch(/workspace_id, \(\s*CASE\s+WHEN \(jsonb_typeof\(\(custom -> 'arr'::text\)\) = 'number'::text\) THEN \(\(custom ->> 'arr'::text\)\)::numeric/);
  });
});

// ---------------------------------------------------------------------------------------------------------------
describe("changing a field's type", () => {
  it("converts what converts, removes and reports the rest (audit keeps them); dryRun changes nothing", async () => {
    const w = await createWorkspace();
    const f = await field(w, { key: "size", type: "text" });
    const ids: string[] = [];
    for (const v of ["42", " 7.5 ", "lots", "1,200", "n/a"]) ids.push((await createDeal(w, { custom: { size: v } })).body.id);
    const dry = await api(`/api/fields/${f.id}`, { method: "PATCH", token: w.admin.token, body: { version: 1, type: "number", dryRun: true } });
    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    expect(dry.body.conversion).toMatchObject({ from: "text", to: "number", converted: 3, failed: 2, dryRun: true });
    expect(dry.body.field).toMatchObject({ type: "text", version: 1 });
    expect((await api(`/api/opportunities/${ids[0]}`, { token: w.viewer.token })).body.custom).toEqual({ size: "42" });

    const res = await api(`/api/fields/${f.id}`, { method: "PATCH", token: w.admin.token, body: { version: 1, type: "number" } });
    expect(res.status).toBe(200);
    expect(res.body.field).toMatchObject({ type: "number", version: 2 });
    expect(res.body.conversion).toMatchObject({ converted: 3, failed: 2, dryRun: false });
    expect(res.body.conversion.examples).toEqual([
      { id: ids[2], value: "lots" },
      { id: ids[4], value: "n/a" },
    ].sort((a, b) => a.id!.localeCompare(b.id!)));
    const values = await Promise.all(ids.map(async (id) => (await api(`/api/opportunities/${id}`, { token: w.viewer.token })).body.custom.size ?? null));
    expect(values).toEqual([42, 7.5, null, 1200, null]);
    const [audit] = await testDb().http.select().from(auditLog).where(and(eq(auditLog.entityId, f.id), eq(auditLog.action, "update")));
    expect((audit!.changes as any).type).toEqual({ from: "text", to: "number" });
    expect((audit!.changes as any).conversion.to.failedValues).toHaveLength(2);
    // Sorting on the converted field works at once.
    expect((await api("/api/opportunities?sort=custom.size", { token: w.viewer.token })).status).toBe(200);

    // select → text keeps the label; text → select matches labels and values.
    const s = await field(w, { key: "stage2", type: "single_select", options: [{ value: "p", label: "Pilot" }] });
    const d = (await createDeal(w, { custom: { stage2: "p" } })).body.id;
    const toText = await api(`/api/fields/${s.id}`, { method: "PATCH", token: w.admin.token, body: { version: 1, type: "text" } });
    expect(toText.body.conversion).toMatchObject({ converted: 1, failed: 0 });
    expect((await api(`/api/opportunities/${d}`, { token: w.viewer.token })).body.custom.stage2).toBe("Pilot");
    const back = await api(`/api/fields/${s.id}`, { method: "PATCH", token: w.admin.token, body: { version: 2, type: "multi_select", options: [{ value: "p", label: "Pilot" }] } });
    expect(back.body.conversion).toMatchObject({ converted: 1, failed: 0 });
    expect((await api(`/api/opportunities/${d}`, { token: w.viewer.token })).body.custom.stage2).toEqual(["p"]);
  });

  it("removing select options still in use is a 409 unless remapTo says where they go", async () => {
    const w = await createWorkspace();
    const f = await field(w, { key: "plan", type: "single_select", options: [{ value: "free", label: "Free" }, { value: "pro", label: "Pro" }, { value: "team", label: "Team" }] });
    const m = await field(w, { key: "addons", type: "multi_select", options: [{ value: "sso", label: "SSO" }, { value: "audit", label: "Audit" }] });
    const a = (await createDeal(w, { custom: { plan: "free", addons: ["sso", "audit"] } })).body.id;
    const b = (await createDeal(w, { custom: { plan: "pro" } })).body.id;
    const keep = [{ value: "pro", label: "Pro" }, { value: "team", label: "Team" }];
    const refused = await api(`/api/fields/${f.id}`, { method: "PATCH", token: w.admin.token, body: { version: 1, options: keep } });
    expectProblem(refused, 409);
    expect(refused.body.inUse).toEqual({ free: 1 });
    expectProblem(await api(`/api/fields/${f.id}`, { method: "PATCH", token: w.admin.token, body: { version: 1, options: keep, remapTo: { free: "gone" } } }), 422, "remapTo.free");
    const ok = await api(`/api/fields/${f.id}`, { method: "PATCH", token: w.admin.token, body: { version: 1, options: keep, remapTo: { free: "team" } } });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect((await api(`/api/opportunities/${a}`, { token: w.viewer.token })).body.custom.plan).toBe("team");
    expect((await api(`/api/opportunities/${b}`, { token: w.viewer.token })).body.custom.plan).toBe("pro");
    const multi = await api(`/api/fields/${m.id}`, { method: "PATCH", token: w.admin.token, body: { version: 1, options: [{ value: "sso", label: "SSO" }], remapTo: { audit: null } } });
    expect(multi.status).toBe(200);
    expect((await api(`/api/opportunities/${a}`, { token: w.viewer.token })).body.custom.addons).toEqual(["sso"]);
    // An unused option goes without ceremony.
    expect((await api(`/api/fields/${f.id}`, { method: "PATCH", token: w.admin.token, body: { version: 2, options: [{ value: "pro", label: "Pro" }, { value: "team", label: "Team" }, { value: "x", label: "X" }] } })).status).toBe(200);
    expect((await api(`/api/fields/${f.id}`, { method: "PATCH", token: w.admin.token, body: { version: 3, options: keep } })).status).toBe(200);
  });
});

// ---------------------------------------------------------------------------------------------------------------
describe("delete and restore", () => {
  it("soft-deletes (values kept), lists the trash with days left, restores within 30 days and answers 410 after", async () => {
    const w = await createWorkspace();
    const f = await field(w, { key: "lost_reason", type: "text" });
    const deal = (await createDeal(w, { custom: { lost_reason: "price" } })).body.id;
    const del = await api(`/api/fields/${f.id}`, { method: "DELETE", token: w.admin.token });
    expect(del.status).toBe(200);
    expect(Date.parse(del.body.restorableUntil) - Date.parse(del.body.deletedAt)).toBe(30 * 86_400_000);
    expect((await api("/api/fields?entity=opportunity", { token: w.viewer.token })).body.data).toEqual([]);
    expect((await api("/api/fields?deleted=true", { token: w.viewer.token })).body.data.map((x: any) => x.id)).toEqual([f.id]);
    // A deleted field takes no new values, and its key is not free while it can be restored.
    expectProblem(await createDeal(w, { custom: { lost_reason: "again" } }), 422, "custom.lost_reason");
    expectProblem(await api("/api/fields", { method: "POST", token: w.admin.token, body: { entity: "opportunity", key: "lost_reason", label: "Again", type: "number" } }), 409);
    expectProblem(await api(`/api/fields/${f.id}`, { method: "DELETE", token: w.admin.token }), 404);

    const restored = await api(`/api/fields/${f.id}/restore`, { method: "POST", token: w.admin.token });
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ deletedAt: null, key: "lost_reason" });
    expect((await api(`/api/opportunities/${deal}`, { token: w.viewer.token })).body.custom).toEqual({ lost_reason: "price" });
    expectProblem(await api(`/api/fields/${f.id}/restore`, { method: "POST", token: w.admin.token }), 404);

    // 31 days later: 410, and the key can be reused (the old values leave the records).
    expect((await api(`/api/fields/${f.id}`, { method: "DELETE", token: w.admin.token })).status).toBe(200);
    await testDb().http.update(customFields).set({ deletedAt: new Date(Date.now() - 31 * 86_400_000) }).where(eq(customFields.id, f.id));
    expectProblem(await api(`/api/fields/${f.id}/restore`, { method: "POST", token: w.admin.token }), 410);
    expect((await api("/api/fields?deleted=true", { token: w.viewer.token })).body.data).toEqual([]);
    const again = await api("/api/fields", { method: "POST", token: w.admin.token, body: { entity: "opportunity", key: "lost_reason", label: "Again", type: "number" } });
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    expect((await api(`/api/opportunities/${deal}`, { token: w.viewer.token })).body.custom).toEqual({});
  });
});

// ---------------------------------------------------------------------------------------------------------------
describe("lead conversion", () => {
  it("carries the lead's values to same-key fields, validates the caller's, and writes nothing on a bad value", async () => {
    const w = await createWorkspace();
    await field(w, { entity: "lead", key: "budget", type: "money" });
    await field(w, { entity: "opportunity", key: "budget", type: "money" });
    await field(w, { entity: "opportunity", key: "segment", type: "single_select", options: [{ value: "smb", label: "SMB" }] });
    await field(w, { entity: "contact", key: "linkedin", type: "url" });
    const lead = await api("/api/leads", { method: "POST", token: w.user.token, body: { name: "Ada Lovelace", company: "Engines Ltd", custom: { budget: 5_000_00 } } });
    expect(lead.status, JSON.stringify(lead.body)).toBe(201);
    const bad = await api(`/api/leads/${lead.body.id}/convert`, { method: "POST", token: w.user.token, body: { account: {}, contact: { custom: { linkedin: "not a url" } }, opportunity: { name: "Engines deal", custom: { segment: "ent" } } } });
    expectProblem(bad, 422, "opportunity.custom.segment");
    expect(bad.body.errors.map((e: any) => e.path)).toContain("contact.custom.linkedin");
    expect((await api(`/api/leads/${lead.body.id}`, { token: w.viewer.token })).body.status).not.toBe("converted");
    const ok = await api(`/api/leads/${lead.body.id}/convert`, { method: "POST", token: w.user.token, body: { account: {}, contact: { custom: { linkedin: "https://linkedin.example/ada" } }, opportunity: { name: "Engines deal", custom: { segment: "smb" } } } });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body.opportunity.custom).toEqual({ budget: 5_000_00, segment: "smb" });
    expect(ok.body.contact.custom).toEqual({ linkedin: "https://linkedin.example/ada" });
    expect(ok.body.account.custom).toEqual({});
  });
});

describe("webhook payloads and the audit trail", () => {
  it("carry custom values (payload) and custom.<key> changes (audit) on create", async () => {
    const w = await createWorkspace();
    await field(w, { key: "region", type: "text" });
    const res = await createDeal(w, { custom: { region: "EMEA" } });
    const [audit] = await testDb().http.select().from(auditLog).where(and(eq(auditLog.entityId, res.body.id), eq(auditLog.action, "create")));
    expect((audit!.changes as any)["custom.region"]).toEqual({ from: null, to: "EMEA" });
    expect((audit!.changes as any).custom).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------------------------
describe("CSV import and export", () => {
  it("imports custom.<key> (and label) headers by type, reports bad cells per row, applies defaults, merges on update; exports custom.<key> columns", async () => {
    const w = await createWorkspace();
    await field(w, { key: "segment", label: "Segment", type: "single_select", options: [{ value: "smb", label: "SMB" }, { value: "ent", label: "Enterprise" }] });
    await field(w, { key: "arr", type: "money" });
    await field(w, { key: "tags", type: "multi_select", options: [{ value: "hot", label: "Hot" }, { value: "new", label: "New" }] });
    await field(w, { key: "tier", type: "text", defaultValue: "standard" });
    await field(w, { key: "vip", type: "checkbox" });
    const csv = [
      "externalId,name,Segment,custom.arr,custom.tags,custom.vip",
      "x1,Alpha,Enterprise,\"1,250.50\",Hot; New,yes",
      "x2,Beta,smb,100,,no",
      "x3,Gamma,mid,abc,Cold,maybe",
    ].join("\n");
    const res = await importCsv(w.admin, "opportunities", csv, { options: { amountUnit: "major" } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ created: 2, skipped: 1 });
    expect(res.body.errors.map((e: any) => [e.row, e.column])).toEqual([[4, "Segment"], [4, "custom.arr"], [4, "custom.tags"], [4, "custom.vip"]]);
    const list = await api("/api/opportunities?sort=name", { token: w.viewer.token });
    expect(list.body.data.map((d: any) => [d.name, d.custom])).toEqual([
      ["Alpha", { segment: "ent", arr: 125050, tags: ["hot", "new"], vip: true, tier: "standard" }],
      ["Beta", { segment: "smb", arr: 10000, vip: false, tier: "standard" }],
    ]);
    // Re-import with one custom column: that key changes, the others stay.
    const again = await importCsv(w.admin, "opportunities", "externalId,name,custom.tier\nx1,Alpha,gold\n");
    expect(again.body, JSON.stringify(again.body)).toMatchObject({ updated: 1, created: 0 });
    const alpha = (await api("/api/opportunities?sort=name&limit=1", { token: w.viewer.token })).body.data[0];
    expect(alpha.custom).toEqual({ segment: "ent", arr: 125050, tags: ["hot", "new"], vip: true, tier: "gold" });

    const csvOut = await api("/api/export/opportunities.csv?sort=name", { token: w.viewer.token });
    expect(csvOut.status).toBe(200);
    const [header, first] = String(csvOut.body).replace(/^\ufeff/, "").split(/\r?\n/);
    expect(header!.split(",").slice(-5)).toEqual(["custom.segment", "custom.arr", "custom.tags", "custom.tier", "custom.vip"]);
    expect(first!.split(",").slice(-5)).toEqual(["ent", "125050", "hot; new", "gold", "true"]);
    // The list's custom filters and sort apply to the export too.
    const filtered = await api("/api/export/opportunities.csv?custom.segment=smb&sort=-custom.arr", { token: w.viewer.token });
    expect(filtered.status).toBe(200);
    expect(String(filtered.body).trim().split(/\r?\n/).slice(1).map((l) => l.split(",")[1])).toEqual(["Beta"]);
    expect((await api("/api/export/opportunities.csv?custom.segment=nope", { token: w.viewer.token })).status).toBe(400);
  });
});

describe("the board", () => {
  it("cards carry the values of fields shown on cards, and only those", async () => {
    const w = await createWorkspace();
    await field(w, { key: "segment", type: "single_select", options: [{ value: "smb", label: "SMB" }], showOnCard: true });
    await field(w, { key: "internal_note", type: "text" });
    await createDeal(w, { custom: { segment: "smb", internal_note: "not on the card" } });
    const board = await api("/api/opportunities/pipeline", { token: w.viewer.token });
    expect(board.status).toBe(200);
    expect(board.body.stages[0].cards[0].custom).toEqual({ segment: "smb" });
  });

  it("filters by custom fields as lists do (equality, ranges), in the board, its totals and a column's next page; a bad filter is a 400 naming it", async () => {
    const w = await createWorkspace();
    await field(w, { key: "segment", type: "single_select", options: [{ value: "smb", label: "SMB" }, { value: "ent", label: "Enterprise" }], filterable: true });
    await field(w, { key: "arr", type: "money", filterable: true });
    await field(w, { key: "renewal", type: "date", filterable: true });
    const made = [
      await createDeal(w, { amount: 100, currency: "EUR", custom: { segment: "ent", arr: 5_000_00, renewal: "2027-01-10" } }),
      await createDeal(w, { amount: 200, currency: "EUR", custom: { segment: "ent", arr: 50_000_00, renewal: "2027-06-01" } }),
      await createDeal(w, { amount: 400, currency: "EUR", custom: { segment: "ent", arr: 90_000_00 } }),
      await createDeal(w, { amount: 800, currency: "EUR", custom: { segment: "smb", arr: 70_000_00, renewal: "2027-03-01" } }),
      await createDeal(w, { amount: 1600, currency: "EUR" }),
    ];
    for (const d of made) expect(d.status, JSON.stringify(d.body)).toBe(201);
    const [a, b, c, d] = made.map((x) => x.body.id as string);
    const board = async (q: string) => {
      const res = await api(`/api/opportunities/pipeline?${q}`, { token: w.viewer.token });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return { ids: res.body.stages.flatMap((s: any) => s.cards.map((x: any) => x.id)).sort(), amount: res.body.totals[0]?.amount ?? 0 };
    };
    expect(await board("custom.segment=ent")).toEqual({ ids: [a, b, c].sort(), amount: 700 });
    expect(await board("custom.segment=ent&custom.arr[gte]=4000000")).toEqual({ ids: [b, c].sort(), amount: 600 });
    expect(await board("custom.arr[lt]=6000000")).toEqual({ ids: [a, b].sort(), amount: 300 });
    expect(await board("custom.renewal[gte]=2027-02-01&custom.renewal[lte]=2027-12-31")).toEqual({ ids: [b, d].sort(), amount: 1000 });
    expect(await board("custom.renewal[empty]=true")).toEqual({ ids: [c, made[4]!.body.id].sort(), amount: 2000 });
    // Combined with a core filter.
    expect(await board("custom.segment=ent&amountMin=150")).toEqual({ ids: [b, c].sort(), amount: 600 });

    const totals = await api("/api/opportunities/pipeline/totals?custom.segment=smb", { token: w.viewer.token });
    expect(totals.status).toBe(200);
    expect(totals.body.totals).toEqual([expect.objectContaining({ currency: "EUR", amount: 800, count: 1 })]);

    // A column's next page keeps the filter: one card per page, the smb deal never appears.
    const first = await api("/api/opportunities/pipeline?cardsPerStage=1&custom.segment=ent", { token: w.viewer.token });
    const stage = first.body.stages.find((s: any) => s.cards.length > 0);
    const seen: string[] = stage.cards.map((x: any) => x.id);
    let cursor = stage.nextCursor;
    while (cursor) {
      const page = await api(`/api/opportunities/pipeline/stages/${stage.id}/cards?limit=1&custom.segment=ent&cursor=${encodeURIComponent(cursor)}`, { token: w.viewer.token });
      expect(page.status).toBe(200);
      seen.push(...page.body.cards.map((x: any) => x.id));
      cursor = page.body.nextCursor;
    }
    expect(seen.sort()).toEqual([a, b, c].sort());

    expectProblem(await api("/api/opportunities/pipeline?custom.nope=1", { token: w.viewer.token }), 400, "custom.nope");
    expectProblem(await api("/api/opportunities/pipeline?custom.arr[gte]=lots", { token: w.viewer.token }), 400, "custom.arr[gte]");
    expectProblem(await api("/api/opportunities/pipeline/totals?custom.segment[gte]=ent", { token: w.viewer.token }), 400, "custom.segment[gte]");
    expectProblem(await api(`/api/opportunities/pipeline/stages/${stage.id}/cards?custom.segment=mid`, { token: w.viewer.token }), 400, "custom.segment");
  });
});

describe("the AI context", () => {
  it("includes custom values (select options as their labels), except fields marked private from AI or named in AI_PRIVATE_FIELDS", async () => {
    const w = await createWorkspace();
    await field(w, { key: "segment", label: "Segment", type: "single_select", options: [{ value: "ent", label: "Enterprise" }] });
    await field(w, { key: "margin", label: "Margin", type: "percent", settings: { aiPrivate: true } });
    await field(w, { key: "codename", label: "Codename", type: "text" });
    const deal = (await createDeal(w, { custom: { segment: "ent", margin: 42, codename: "Falcon" } })).body;
    const db = testDb();
    const ctx = await buildContext({ db, workspaceId: w.id, target: { type: "opportunity", id: deal.id }, privateFields: [{ entity: "opportunity", field: "custom.codename" }] });
    expect((ctx.opportunity as any).custom).toEqual({ segment: "Enterprise" });
  });
});

describe("global search", () => {
  it("finds records by textual custom values (word prefixes), with the field as subtitle, and not by select values", async () => {
    const w = await createWorkspace();
    await field(w, { key: "codename", label: "Codename", type: "text" });
    await field(w, { key: "tier", type: "single_select", options: [{ value: "zanzibar", label: "Zanzibar" }] });
    await field(w, { entity: "contact", key: "linkedin", label: "LinkedIn", type: "url" });
    const deal = (await createDeal(w, { name: "Plain deal", custom: { codename: "Operation Quokka Sunrise", tier: "zanzibar" } })).body;
    const contact = (await api("/api/contacts", { method: "POST", token: w.user.token, body: { name: "Ada Lovelace", custom: { linkedin: "https://linkedin.example/in/adaquokka" } } })).body;
    const res = await api("/api/search?q=quokka%20sunr", { token: w.viewer.token });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const items = res.body.groups.flatMap((g: any) => g.items);
    expect(items).toEqual([expect.objectContaining({ id: deal.id, type: "opportunity", title: "Plain deal", subtitle: "Codename: Operation Quokka Sunrise" })]);
    const none = await api("/api/search?q=zanzibar", { token: w.viewer.token });
    expect(none.body.groups.flatMap((g: any) => g.items)).toEqual([]);
    // Another workspace never sees them.
    expect((await api("/api/search?q=quokka", { token: other.viewer.token })).body.total).toBe(0);
    void contact;
  });

  it("has the GIN index over string custom values once a textual field exists", async () => {
    await ensureCustomFieldIndexes(testDb(), other.id).catch(() => undefined);
    const res = await testDb().http.execute(sql`select indexname from pg_indexes where indexname = 'cf_opportunities_search_idx'`);
    expect(((res as any).rows ?? res).length).toBe(1);
  });
});
