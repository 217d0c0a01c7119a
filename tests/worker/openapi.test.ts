import { compileErrors, dereference, validate } from "@readme/openapi-parser";
import Ajv2020 from "ajv/dist/2020";
import { beforeAll, describe, expect, it } from "vitest";
import { app } from "../../worker/app";
import { createAccount, createContact, createLead, createOpportunity } from "../helpers/records";
import { BASE, api, createWorkspace, unique, type TestWorkspace } from "../helpers/worker";

/**
 * The published contract: GET /api/openapi.json must be valid OpenAPI 3.1 (checked by @readme/openapi-parser, which
 * runs inside workerd), describe every route the app serves, and be good enough that a client generated from it
 * alone — paths, parameters, request and response schemas — talks to the real API.
 */

type Doc = { openapi: string; paths: Record<string, Record<string, any>>; components: Record<string, any>; security?: unknown[] };
const METHODS = ["get", "post", "put", "patch", "delete"] as const;

/** Routes that are deliberately not part of the JSON API contract, and why. */
const UNDOCUMENTED: [RegExp, string][] = [
  [/^\/api\/openapi\.json$/, "the document itself"],
  [/^\/api\/dev\//, "development-only HTML pages, absent in production"],
  [/^\/(?!api\/)/, "static branding assets outside /api (manifest, favicon)"],
];

let doc: Doc;
let deref: Doc;
let ws: TestWorkspace;
beforeAll(async () => {
  const res = await api("/api/openapi.json");
  expect(res.status).toBe(200);
  doc = res.body;
  deref = (await dereference(structuredClone(res.body))) as Doc;
  ws = await createWorkspace();
});

const registered = () =>
  new Set(
    app.routes
      .filter((r) => r.method !== "ALL" && !UNDOCUMENTED.some(([re]) => re.test(r.path)))
      .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, "{$1}")}`),
  );
const documented = (d: Doc) => new Set(Object.entries(d.paths).flatMap(([p, ops]) => METHODS.filter((m) => ops[m]).map((m) => `${m.toUpperCase()} ${p}`)));

describe("the document", () => {
  it("is public, OpenAPI 3.1 and passes a standard validator", async () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: "http", scheme: "bearer" });
    const result = await validate(structuredClone(doc) as never);
    expect(result.valid, result.valid ? "" : compileErrors(result)).toBe(true);
  });

  it("the validator is not a rubber stamp: a broken copy fails", async () => {
    const broken = structuredClone(doc);
    broken.paths["/api/accounts"]!.get.responses["200"].content["application/json"].schema = { $ref: "#/components/schemas/DoesNotExist" };
    expect((await validate(broken as never)).valid).toBe(false);
    const noInfo = structuredClone(doc) as Record<string, unknown>;
    delete noInfo.info;
    expect((await validate(noInfo as never)).valid).toBe(false);
  });

  it("covers every route registered in the app, and documents none that does not exist", () => {
    const reg = registered();
    const docd = documented(doc);
    expect([...reg].filter((r) => !docd.has(r)), "registered but not in /api/openapi.json").toEqual([]);
    expect([...docd].filter((r) => !reg.has(r)), "documented but not served").toEqual([]);
    // The record routes and lead conversion at least.
    for (const r of ["GET /api/accounts", "POST /api/leads/{id}/convert", "PATCH /api/opportunities/{id}", "GET /api/accounts/{id}/timeline", "GET /api/opportunities/pipeline", "GET /api/auth/me"]) {
      expect(docd.has(r), r).toBe(true);
    }
  });

  it("every operation declares its path parameters, a success response, and problem+json errors (401 when protected)", () => {
    for (const [path, ops] of Object.entries(doc.paths)) {
      const params = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const m of METHODS) {
        const op = ops[m];
        if (!op) continue;
        const where = `${m.toUpperCase()} ${path}`;
        expect(op.summary, where).toEqual(expect.any(String));
        const declared = (op.parameters ?? []).filter((p: any) => p.in === "path").map((p: any) => p.name);
        expect(declared.sort(), where).toEqual([...params].sort());
        const statuses = Object.keys(op.responses);
        expect(statuses.some((s) => s.startsWith("2") || s.startsWith("3")), where).toBe(true);
        const isPublic = Array.isArray(op.security) && op.security.length === 0;
        if (!isPublic) expect(statuses, `${where} is protected: document 401`).toContain("401");
        // The health check answers 503 with its own monitoring body rather than a problem.
        for (const s of statuses.filter((x) => Number(x) >= 400 && !(where === "GET /api/health" && x === "503"))) {
          expect(Object.keys(op.responses[s].content ?? {}), `${where} ${s}`).toContain("application/problem+json");
        }
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
// A client generated from the document, and nothing else: it knows paths, parameters and schemas only from `deref`.

function makeAjv() {
  const ajv = new Ajv2020({ strict: false, allErrors: true, logger: false });
  ajv.addFormat("uuid", /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
  ajv.addFormat("date", /^\d{4}-\d{2}-\d{2}$/);
  ajv.addFormat("date-time", { validate: (s: string) => !Number.isNaN(Date.parse(s)) && /^\d{4}-\d{2}-\d{2}T/.test(s) });
  ajv.addFormat("email", /^[^\s@]+@[^\s@]+$/);
  return ajv;
}

class GeneratedClient {
  private ajv = makeAjv();
  constructor(
    private d: Doc,
    private token: string,
  ) {}

  operation(method: string, path: string) {
    const op = this.d.paths[path]?.[method];
    if (!op) throw new Error(`the document has no ${method.toUpperCase()} ${path}`);
    return op;
  }

  requestSchema(method: string, path: string) {
    return this.operation(method, path).requestBody?.content?.["application/json"]?.schema;
  }

  check(schema: unknown, value: unknown, what: string) {
    const v = this.ajv.compile(schema as object);
    if (!v(value)) throw new Error(`${what} does not match the document: ${this.ajv.errorsText(v.errors)} in ${JSON.stringify(value).slice(0, 500)}`);
  }

  async call(method: string, path: string, args: { params?: Record<string, string>; query?: Record<string, string>; body?: unknown } = {}) {
    const op = this.operation(method, path);
    let url = path;
    for (const p of (op.parameters ?? []) as any[]) {
      const value: string | undefined = (p.in === "path" ? args.params : p.in === "query" ? args.query : undefined)?.[p.name];
      if (p.required && value === undefined) throw new Error(`missing ${p.in} parameter ${p.name}`);
      // Query strings carry text: a generated client converts numbers before checking them against the schema.
      const typed = value !== undefined && p.in === "query" && ["integer", "number"].includes(p.schema?.type) ? Number(value) : value;
      if (value !== undefined && p.schema) this.check(p.schema, typed, `parameter ${p.name}`);
      if (p.in === "path" && value !== undefined) url = url.replace(`{${p.name}}`, encodeURIComponent(value));
    }
    const query = new URLSearchParams(args.query ?? {}).toString();
    const headers: Record<string, string> = {};
    const secured = !(Array.isArray(op.security) && op.security.length === 0) && (this.d.security?.length ?? 0) > 0;
    if (secured) headers.Authorization = `Bearer ${this.token}`;
    let body: string | undefined;
    if (op.requestBody) {
      const schema = this.requestSchema(method, path);
      if (op.requestBody.required && args.body === undefined) throw new Error("the operation requires a body");
      if (args.body !== undefined) {
        this.check(schema, args.body, "request body");
        body = JSON.stringify(args.body);
        headers["Content-Type"] = "application/json";
      }
    }
    const res = await fetchApp(new Request(`${BASE}${url}${query ? `?${query}` : ""}`, { method: method.toUpperCase(), headers, body }));
    const documentedResponse = op.responses[String(res.status)];
    const text = await res.text();
    if (!documentedResponse) throw new Error(`${method.toUpperCase()} ${path} answered ${res.status}, which the document does not list: ${text.slice(0, 300)}`);
    const type = (res.headers.get("content-type") ?? "").split(";")[0]!;
    const json = !text ? null : type.endsWith("json") ? JSON.parse(text) : text;
    const schema = documentedResponse.content?.[type]?.schema;
    if (!schema) throw new Error(`${method.toUpperCase()} ${path} ${res.status}: content type ${type} is not documented`);
    this.check(schema, json, `${method.toUpperCase()} ${path} ${res.status} response`);
    return { status: res.status, body: json, headers: res.headers };
  }
}

const fetchApp = async (req: Request) => {
  const { exports } = await import("cloudflare:workers");
  return exports.default.fetch(req);
};

/** A request body derived from a JSON schema: required fields plus every optional plain field, with unique text. */
function sample(schema: any, name = "value"): unknown {
  if (!schema) return undefined;
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return sample(alternatives.find((s: any) => s.type !== "null"), name);
  const type = Array.isArray(schema.type) ? schema.type.find((t: string) => t !== "null") : schema.type;
  switch (type) {
    case "object": {
      const out: Record<string, unknown> = {};
      const required = new Set<string>(schema.required ?? []);
      for (const [k, s] of Object.entries<any>(schema.properties ?? {})) {
        const plain = !s.format && !s.pattern && ["string", "integer", "number"].includes(Array.isArray(s.type) ? s.type.find((t: string) => t !== "null") : s.type);
        if (required.has(k) || plain) out[k] = sample(s, k);
      }
      return out;
    }
    case "string": {
      if (schema.format === "email") return `${unique("generated")}@example.test`;
      if (schema.format === "date") return "2027-12-31";
      if (schema.format === "date-time") return new Date().toISOString();
      const s = `${name} ${unique("gen")}`;
      return s.slice(0, schema.maxLength ?? s.length);
    }
    case "integer":
    case "number":
      return Math.min(Math.max(schema.minimum ?? 0, 42), schema.maximum ?? 42);
    case "boolean":
      return true;
    case "array":
      return [];
  }
  return undefined;
}

describe("a client generated from the document", () => {
  it("creates an account from the derived POST /api/accounts body and reads it back through GET /api/accounts/{id}", async () => {
    const client = new GeneratedClient(deref, ws.user.token);
    const body = sample(client.requestSchema("post", "/api/accounts"), "account") as Record<string, unknown>;
    expect(body).toHaveProperty("name");
    expect(Object.keys(body).length).toBeGreaterThan(5);

    const created = await client.call("post", "/api/accounts", { body });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject(body);

    const read = await client.call("get", "/api/accounts/{id}", { params: { id: created.body.id } });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: created.body.id, ...body });

    const page = await client.call("get", "/api/accounts", { query: { q: String(body.name), limit: "5" } });
    expect(page.body.data.map((a: any) => a.id)).toEqual([created.body.id]);

    const patched = await client.call("patch", "/api/accounts/{id}", { params: { id: created.body.id }, body: { industry: "Generated" } });
    expect(patched.body.industry).toBe("Generated");

    // Errors come back in the documented problem shape too.
    const missing = await client.call("get", "/api/accounts/{id}", { params: { id: crypto.randomUUID() } });
    expect(missing.status).toBe(404);
    const invalid = new GeneratedClient(deref, ws.user.token);
    expect(() => invalid.check(invalid.requestSchema("post", "/api/accounts"), { name: "x", bogus: 1 }, "body")).toThrow(/does not match/);
  });

  it("creates every record type and converts a lead with bodies derived from the document", async () => {
    const client = new GeneratedClient(deref, ws.user.token);
    const acc = await client.call("post", "/api/accounts", { body: sample(client.requestSchema("post", "/api/accounts")) });
    for (const [plural, extra] of [
      ["contacts", { accountId: acc.body.id }],
      ["leads", {}],
      ["opportunities", { accountId: acc.body.id }],
      ["activities", { accountId: acc.body.id }],
    ] as const) {
      const body = { ...(sample(client.requestSchema("post", `/api/${plural}`), plural) as object), ...extra };
      const res = await client.call("post", `/api/${plural}`, { body });
      expect(res.status, `${plural}: ${JSON.stringify(res.body)}`).toBe(201);
      const read = await client.call("get", `/api/${plural}/{id}`, { params: { id: res.body.id } });
      expect(read.body.id).toBe(res.body.id);
    }
    const lead = await client.call("post", "/api/leads", { body: { name: "Generated Lead", company: unique("Generated Co") } });
    const body = { account: {}, opportunity: sample(deref.paths["/api/leads/{id}/convert"]!.post.requestBody.content["application/json"].schema.properties.opportunity, "deal") };
    const converted = await client.call("post", "/api/leads/{id}/convert", { params: { id: lead.body.id }, body });
    expect(converted.status).toBe(201);
    expect(converted.body.lead.status).toBe("converted");
  });

  it("every documented read answers exactly what its schema says", async () => {
    const acc = await createAccount(ws.user);
    const con = await createContact(ws.user, { accountId: acc.id });
    const opp = await createOpportunity(ws.user, { accountId: acc.id, primaryContactId: con.id, amount: 12_345, closeDate: "2027-01-01" });
    const lead = await createLead(ws.user);
    const act = await api("/api/activities", { method: "POST", token: ws.user.token, body: { type: "task", subject: "Doc check", opportunityId: opp.id, accountId: acc.id, dueAt: new Date().toISOString() } });
    const hook = await api("/api/webhooks", { method: "POST", token: ws.admin.token, body: { url: "https://hooks.invalid/crm", events: ["lead.converted"] } });
    const job = await api("/api/ai/summaries", { method: "POST", token: ws.user.token, body: { targetType: "opportunity", targetId: opp.id } });
    const bulk = await api("/api/bulk/opportunities", { method: "POST", token: ws.admin.token, body: { action: "update", ids: [opp.id], changes: { nextStep: "Doc check" } } });
    expect(bulk.status).toBe(202);
    const rule = await api("/api/automations", { method: "POST", token: ws.admin.token, body: { name: "Doc check", enabled: false, trigger: { type: "deal_aging" }, actions: [{ type: "notify", to: ["owner"], title: "Rotting" }] } });
    const file = new FormData();
    file.append("file", new File(["%PDF-1.7\n%%EOF\n"], "doc.pdf", { type: "application/pdf" }));
    const attachment = await api(`/api/accounts/${acc.id}/attachments`, { method: "POST", token: ws.user.token, body: file });
    // Keyed by the path segment before {id}, or the two before it where one is ambiguous (/ai/jobs vs /bulk/jobs).
    const ids: Record<string, string> = { "bulk/jobs": bulk.body.id, accounts: acc.id, contacts: con.id, opportunities: opp.id, leads: lead.id, activities: act.body.id, users: ws.viewer.id, webhooks: hook.body.id, jobs: job.body.jobId, attachments: attachment.body.id, automations: rule.body.id };
    // The calendar feed's secret (its URL is the credential).
    const feedToken = (await api("/api/calendar/feed", { method: "POST", token: ws.admin.token })).body.url.split("/").at(-2) as string;
    const client = new GeneratedClient(deref, ws.admin.token);
    let checked = 0;
    const notOk: string[] = [];
    for (const [path, ops] of Object.entries(deref.paths)) {
      if (!ops.get) continue;
      // Path and required query parameters from the document; values for the ids this test made. An id of a
      // resource this test does not know still gets checked: its documented 404.
      const params: Record<string, string> = {};
      const query: Record<string, string> = {};
      const byName: Record<string, string> = { token: feedToken, opportunityId: opp.id, activityId: act.body.id, accountId: acc.id, contactId: con.id, leadId: lead.id, targetType: "opportunity", targetId: opp.id };
      for (const p of (ops.get.parameters ?? []) as any[]) {
        const segs = path.split("/");
        const at = segs.indexOf("{id}");
        if (p.in === "path") params[p.name] = p.name === "id" ? (ids[`${segs[at - 2]}/${segs[at - 1]}`] ?? ids[segs[at - 1]!] ?? crypto.randomUUID()) : (byName[p.name] ?? p.schema?.enum?.[0] ?? crypto.randomUUID());
        else if (p.in === "query" && p.required) query[p.name] = byName[p.name] ?? String(sample(p.schema, p.name));
      }
      const res = await client.call("get", path, { params, query });
      expect(res.status, path).toBeLessThan(500);
      checked++;
      if (res.status >= 300) notOk.push(`${path} ${res.status}`);
    }
    expect(checked).toBeGreaterThanOrEqual(20);
    // Every read this test has ids for succeeded, so its success schema was the one checked.
    expect(notOk).toEqual([]);
  });
});

describe("the workspace's document (GET /api/openapi.json with a token or an API key)", () => {
  it("types each record's custom object with the workspace's fields, selects as enums; the public document stays generic", async () => {
    const w = await createWorkspace();
    const other = await createWorkspace();
    const made = async (body: Record<string, unknown>) => {
      const res = await api("/api/fields", { method: "POST", token: w.admin.token, body });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    };
    await made({ entity: "opportunity", key: "segment", label: "Segment", type: "single_select", options: [{ value: "smb", label: "SMB" }, { value: "ent", label: "Enterprise" }] });
    await made({ entity: "opportunity", key: "arr", label: "ARR", type: "money", settings: { currency: "EUR" }, required: true });
    await made({ entity: "opportunity", key: "renewal", label: "Renewal", type: "date" });
    await made({ entity: "contact", key: "languages", label: "Languages", type: "multi_select", options: [{ value: "fr", label: "French" }, { value: "de", label: "German" }] });

    const res = await api("/api/openapi.json", { token: w.viewer.token });
    expect(res.status).toBe(200);
    const mine = res.body as Doc;
    expect((await validate(structuredClone(mine) as never)).valid).toBe(true);
    const deal = mine.components.schemas.Opportunity.properties.custom;
    expect(deal).toMatchObject({ type: "object", additionalProperties: false });
    expect(deal.properties.segment).toMatchObject({ type: "string", enum: ["smb", "ent"], title: "Segment" });
    expect(deal.properties.arr).toMatchObject({ type: "integer", title: "ARR" });
    expect(deal.properties.renewal).toMatchObject({ type: "string", format: "date" });
    expect(mine.components.schemas.Contact.properties.custom.properties.languages).toMatchObject({ type: "array", items: { enum: ["fr", "de"] } });
    expect(Object.keys(mine.components.schemas.Account.properties.custom.properties)).toEqual([]);
    // Bodies: create requires the required field (no default); update takes null to clear.
    const createBody = mine.paths["/api/opportunities"]!.post.requestBody.content["application/json"].schema;
    expect(createBody.properties.custom.required).toEqual(["arr"]);
    expect(createBody.required).toContain("custom");
    const updateBody = mine.paths["/api/opportunities/{id}"]!.patch.requestBody.content["application/json"].schema;
    expect(updateBody.properties.custom.properties.segment.anyOf).toEqual([expect.objectContaining({ enum: ["smb", "ent"] }), { type: "null" }]);

    // A client generated from it: the typed values pass both ways; a value outside the enum is refused by the schema.
    const client = new GeneratedClient((await dereference(structuredClone(mine) as never)) as Doc, w.user.token);
    const created = await client.call("post", "/api/opportunities", { body: { name: unique("Typed deal"), custom: { segment: "ent", arr: 120_000_00, renewal: "2027-09-30" } } });
    expect(created.status).toBe(201);
    expect((created.body as any).custom).toEqual({ segment: "ent", arr: 120_000_00, renewal: "2027-09-30" });
    await expect(client.call("post", "/api/opportunities", { body: { name: unique("Bad deal"), custom: { segment: "mid", arr: 1 } } })).rejects.toThrow(/request body does not match/);

    // Another workspace, an API key of this one, nobody, a bad token.
    const theirs = (await api("/api/openapi.json", { token: other.viewer.token })).body as Doc;
    expect(Object.keys(theirs.components.schemas.Opportunity.properties.custom.properties)).toEqual([]);
    const key = await api("/api/api-keys", { method: "POST", token: w.admin.token, body: { name: unique("docs"), role: "VIEWER" } });
    expect(key.status, JSON.stringify(key.body)).toBe(201);
    const viaKey = (await api("/api/openapi.json", { token: key.body.secret })).body as Doc;
    expect(viaKey.components.schemas.Opportunity.properties.custom.properties.segment.enum).toEqual(["smb", "ent"]);
    expect(doc.components.schemas.Opportunity.properties.custom).not.toHaveProperty("additionalProperties", false);
    expect(doc.components.schemas.Opportunity.properties.custom.properties).toBeUndefined();
    const forged = await api("/api/openapi.json", { token: "not-a-token" });
    expect(forged.status).toBe(200);
    expect(forged.body.components.schemas.Opportunity.properties.custom.properties).toBeUndefined();
  });
});
