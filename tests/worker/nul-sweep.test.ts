import { dereference } from "@readme/openapi-parser";
import { beforeAll, describe, expect, it } from "vitest";
import { activities } from "../../db/schema";
import { createAccount, createContact, createLead, createOpportunity } from "../helpers/records";
import { api, createWorkspace, testDb, unique, type TestWorkspace } from "../helpers/worker";

/**
 * A NUL character in any string the API takes — every string field of every JSON body, every string query
 * parameter of every operation in GET /api/openapi.json — is a 4xx problem+json naming the field, never a 500
 * (Postgres text cannot hold \u0000; it used to surface as SQLSTATE 22021 → 500). Generated from the document, like
 * the role matrix, so a route added later is swept too. Each request carries exactly one NUL and otherwise plausible
 * values (real ids of the workspace's records), so without the guard it would reach the database.
 */

type Schema = Record<string, any>;
type Doc = { paths: Record<string, Record<string, any>> };
const METHODS = ["get", "post", "put", "patch", "delete"] as const;
const NUL = "a\u0000b";

let ws: TestWorkspace;
let doc: Doc;
const ids: Record<string, string> = {};

beforeAll(async () => {
  ws = await createWorkspace();
  const [account, contact, lead, opportunity] = await Promise.all([createAccount(ws.admin), createContact(ws.admin), createLead(ws.admin), createOpportunity(ws.admin)]);
  const [activity] = await testDb().http.insert(activities).values({ workspaceId: ws.id, type: "note", subject: "n", accountId: account.id }).returning();
  Object.assign(ids, {
    accounts: account.id,
    contacts: contact.id,
    leads: lead.id,
    opportunities: opportunity.id,
    activities: activity!.id,
    users: ws.user.id,
    stages: ws.stages[0]!.id,
    accountId: account.id,
    contactId: contact.id,
    leadId: lead.id,
    opportunityId: opportunity.id,
    ownerId: ws.user.id,
    stageId: ws.stages[1]!.id,
  });
  const res = await api("/api/openapi.json");
  doc = (await dereference(structuredClone(res.body))) as Doc;
});

/** The non-null branch of a nullable / union schema. */
function branch(s: Schema): Schema {
  const options = (s.anyOf ?? s.oneOf) as Schema[] | undefined;
  if (options) return branch(options.find((o) => o.type !== "null") ?? options[0]!);
  if (Array.isArray(s.type)) return { ...s, type: s.type.find((t: string) => t !== "null") };
  if (s.allOf) return branch(Object.assign({}, ...s.allOf));
  return s;
}

/** A plausible value for a schema: required properties only, real ids for id fields. */
function example(raw: Schema, key = ""): unknown {
  const s = branch(raw);
  if (s.const !== undefined) return s.const;
  if (s.enum) return s.enum[0];
  switch (s.type) {
    case "string":
      if (s.format === "uuid") return ids[key] ?? crypto.randomUUID();
      if (s.format === "date") return "2026-06-30";
      if (s.format === "date-time") return new Date().toISOString();
      if (s.format === "email" || /email/i.test(key)) return `${unique("nul")}@example.test`;
      if (s.format === "uri" || /url/i.test(key)) return "https://hooks.example.com/in";
      return "x".repeat(Math.max(1, s.minLength ?? 1));
    case "integer":
    case "number":
      return s.minimum ?? 1;
    case "boolean":
      return false;
    case "array":
      return s.minItems ? [example(s.items ?? {}, key)] : [];
    case "object": {
      const out: Record<string, unknown> = {};
      for (const k of (s.required ?? []) as string[]) out[k] = example(s.properties?.[k] ?? {}, k);
      return out;
    }
  }
  return "x";
}

/** Every path to a string in the schema (optional properties, array items and free-form maps included). */
function stringPaths(raw: Schema, at: string[] = [], depth = 0): string[][] {
  if (depth > 5) return [];
  const s = branch(raw);
  if (s.type === "string") return [at];
  if (s.type === "array") return stringPaths(s.items ?? {}, [...at, "0"], depth + 1);
  if (s.type === "object" || s.properties) {
    const props = Object.entries((s.properties ?? {}) as Record<string, Schema>).flatMap(([k, v]) => stringPaths(v, [...at, k], depth + 1));
    return s.additionalProperties && !s.properties ? [[...at, "note"]] : props;
  }
  return [];
}

function setAt(target: unknown, path: string[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  const container = (target ?? (/^\d+$/.test(head!) ? [] : {})) as Record<string, unknown>;
  container[head!] = setAt(container[head!], rest, value);
  return container;
}

function concretePath(template: string): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const resource = template.split("/")[2] ?? "";
    return ids[name] ?? ids[resource] ?? crypto.randomUUID();
  });
}

interface Case {
  label: string;
  method: string;
  path: string;
  body?: unknown;
  field: string;
}

function cases(): Case[] {
  const out: Case[] = [];
  for (const [template, ops] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = ops[method];
      if (!op) continue;
      const params = (op.parameters ?? []) as { name: string; in: string; required?: boolean; schema?: Schema }[];
      const query = params.filter((p) => p.in === "query");
      const requiredQuery = new URLSearchParams();
      for (const p of query) if (p.required) requiredQuery.set(p.name, String(example(p.schema ?? {}, p.name)));
      const path = concretePath(template);
      for (const p of query) {
        if (branch(p.schema ?? {}).type !== "string") continue;
        const q = new URLSearchParams(requiredQuery);
        q.set(p.name, NUL);
        out.push({ label: `${method.toUpperCase()} ${template} ?${p.name}`, method, path: `${path}?${q}`, field: p.name });
      }
      const schema = op.requestBody?.content?.["application/json"]?.schema as Schema | undefined;
      if (!schema) continue;
      const qs = requiredQuery.size ? `?${requiredQuery}` : "";
      for (const leaf of stringPaths(schema)) {
        const body = setAt(structuredClone(example(schema)), leaf, NUL);
        out.push({ label: `${method.toUpperCase()} ${template} body.${leaf.join(".")}`, method, path: `${path}${qs}`, body, field: leaf.join(".") });
      }
    }
  }
  return out;
}

describe("a NUL character anywhere in the input", () => {
  it("is a 4xx problem naming the field for every string body field and query parameter of every operation", async () => {
    const all = cases();
    // The sweep really covers the API (dozens of operations, well over a hundred strings).
    expect(all.length).toBeGreaterThan(150);
    expect(all.some((c) => c.label.startsWith("POST /api/auth/login body.email"))).toBe(true);
    const failures: string[] = [];
    for (const c of all) {
      const res = await api(c.path, { method: c.method.toUpperCase(), token: ws.admin.token, ...(c.body !== undefined ? { body: c.body } : {}) });
      const problem = res.headers.get("content-type")?.includes("application/problem+json");
      const named = ((res.body?.errors ?? []) as { path: string }[]).some((e) => e.path === c.field);
      if (res.status < 400 || res.status >= 500 || !problem || !named) failures.push(`${c.label} → ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
    }
    expect(failures).toEqual([]);
  });

  it("is refused unauthenticated on sign-in with 422 naming email (was a 500)", async () => {
    const res = await api("/api/auth/login", { method: "POST", body: { email: "\u0000", password: "x" } });
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(res.body.errors).toEqual([expect.objectContaining({ path: "email" })]);
  });

  it("in a search query is a 400 naming q", async () => {
    const res = await api("/api/search?q=%00", { token: ws.user.token });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: "q" })]);
  });
});
