import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { CfWorkerJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/cfworker";
import { exports } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { eq } from "drizzle-orm";
import { webhookDeliveries } from "../../db/schema";
import { hookUrl } from "../helpers/webhooks";
import { api, BASE, createWorkspace, testDb, unique, type TestWorkspace } from "../helpers/worker";

/**
 * /mcp driven by the MCP SDK's own client over its Streamable HTTP transport, against the Worker's real fetch handler
 * (middleware, auth, policy, services, Postgres): what Claude Desktop or the MCP Inspector does, minus the model.
 */

let A: TestWorkspace;
let B: TestWorkspace;
const keys: Record<string, { id: string; secret: string }> = {};
const clients: Client[] = [];
let fx: { accountId: string; dealId: string; contactId: string };

async function apiKey(ws: TestWorkspace, role: "VIEWER" | "USER" | "ADMIN") {
  const res = await api("/api/api-keys", { method: "POST", token: ws.admin.token, body: { name: unique(`mcp ${role}`), role } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { id: res.body.id as string, secret: res.body.secret as string };
}

/** A connected SDK client authenticated by `token` (the worker's fetch handler stands in for the network). */
async function connect(token: string): Promise<Client> {
  const transport = new StreamableHTTPClientTransport(new URL(`${BASE}/mcp`), {
    fetch: (url, init) => exports.default.fetch(new Request(url, init)),
    requestInit: { headers: { Authorization: `Bearer ${token}` } },
  });
  const client = new Client({ name: "bespoke-test", version: "1.0.0" }, { jsonSchemaValidator: new CfWorkerJsonSchemaValidator() });
  await client.connect(transport);
  clients.push(client);
  return client;
}

type ToolAnswer = { isError?: boolean; structuredContent?: any; content: { type: string; text?: string }[] };
const call = async (client: Client, name: string, args: Record<string, unknown>) => (await client.callTool({ name, arguments: args })) as ToolAnswer;
/** The tool's JSON answer (text content and structured content agree). */
function ok(res: ToolAnswer): any {
  expect(res.isError, JSON.stringify(res.content)).toBeFalsy();
  const parsed = JSON.parse(res.content[0]!.text!);
  expect(res.structuredContent).toEqual(parsed);
  return parsed;
}
/** The problem+json a refused call carries. */
function problemOf(res: ToolAnswer, status: number): any {
  expect(res.isError, JSON.stringify(res.content)).toBe(true);
  const body = JSON.parse(res.content[0]!.text!);
  expect(body).toMatchObject({ status, type: expect.stringContaining("/problems/"), detail: expect.any(String), requestId: expect.any(String) });
  return body;
}

beforeAll(async () => {
  [A, B] = await Promise.all([createWorkspace(), createWorkspace()]);
  for (const role of ["VIEWER", "USER"] as const) keys[role] = await apiKey(A, role);
  keys.foreign = await apiKey(B, "ADMIN");
  const account = await api("/api/accounts", { method: "POST", token: A.admin.token, body: { name: unique("Globex Mcp"), domain: "globex-mcp.example" } });
  const contact = await api("/api/contacts", { method: "POST", token: A.admin.token, body: { name: "Hank Scorpio", email: `${unique("hank")}@example.test`, accountId: account.body.id } });
  const deal = await api("/api/opportunities", { method: "POST", token: A.admin.token, body: { name: unique("Globex renewal"), accountId: account.body.id, amount: 120_000, currency: "USD", closeDate: "2030-03-31" } });
  await api("/api/activities", { method: "POST", token: A.admin.token, body: { type: "call", subject: "Discovery call with Hank", opportunityId: deal.body.id } });
  fx = { accountId: account.body.id, dealId: deal.body.id, contactId: contact.body.id };
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
});

describe("MCP over Streamable HTTP", () => {
  it("lists the tools with input schemas derived from the REST contracts, and the workspace schema resource", async () => {
    const client = await connect(keys.VIEWER!.secret);
    expect(client.getServerCapabilities()).toMatchObject({ tools: {}, resources: {} });
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name);
    for (const name of ["search_records", "get_record", "list_deals", "pipeline_summary", "forecast", "rotting_deals", "get_deal_health", "create_opportunity", "update_opportunity", "create_account", "update_contact", "log_activity", "create_task", "draft_email"]) {
      expect(names).toContain(name);
    }
    const update = tools.find((t) => t.name === "update_opportunity")!;
    expect(update.annotations).toMatchObject({ readOnlyHint: false });
    expect(update.inputSchema).toMatchObject({ type: "object", required: ["id", "changes"], additionalProperties: false });
    const changes = (update.inputSchema.properties as any).changes;
    expect(Object.keys(changes.properties)).toEqual(expect.arrayContaining(["stageId", "stageChangeReason", "amount", "closeDate", "custom"]));
    expect(tools.find((t) => t.name === "search_records")!.inputSchema).toMatchObject({ required: ["q"], properties: { q: { type: "string", maxLength: 100 } } });
    expect(tools.find((t) => t.name === "list_deals")!.annotations).toMatchObject({ readOnlyHint: true });

    const { resources } = await client.listResources();
    expect(resources.map((r) => r.uri)).toEqual(["bespoke://workspace/schema"]);
    const read = await client.readResource({ uri: "bespoke://workspace/schema" });
    const meta = JSON.parse((read.contents[0] as { text: string }).text);
    const direct = await api("/api/meta", { token: A.viewer.token });
    expect(meta).toEqual(direct.body);
    expect(meta.pipelines[0].stages.length).toBeGreaterThan(2);
  });

  it("searches, then gets a record with its timeline", async () => {
    const client = await connect(keys.VIEWER!.secret);
    const found = ok(await call(client, "search_records", { q: "globex mcp", types: "accounts,opportunities" }));
    const hit = found.groups.flatMap((g: any) => g.items).find((i: any) => i.id === fx.accountId);
    expect(hit).toMatchObject({ type: "account" });

    const got = ok(await call(client, "get_record", { type: "opportunity", id: fx.dealId, timelineLimit: 10 }));
    expect(got.record).toMatchObject({ id: fx.dealId, amount: 120_000, accountId: fx.accountId });
    expect(got.timeline.data.map((a: any) => a.subject)).toContain("Discovery call with Hank");

    // Bad input names the field, as REST's 422 does; a foreign or unknown id is 404, never a crash.
    const bad = problemOf(await call(client, "get_record", { type: "opportunity", id: "not-a-uuid" }), 422);
    expect(bad.errors).toEqual([expect.objectContaining({ path: "id" })]);
    expect(problemOf(await call(client, "search_records", {}), 422).errors[0].path).toBe("q");
    problemOf(await call(client, "get_record", { type: "account", id: crypto.randomUUID() }), 404);
    const foreign = await connect(keys.foreign!.secret);
    problemOf(await call(foreign, "get_record", { type: "opportunity", id: fx.dealId }), 404);
    const leak = ok(await call(foreign, "search_records", { q: "globex mcp" }));
    expect(JSON.stringify(leak)).not.toContain(fx.accountId);
  });

  it("refuses every write to a VIEWER key with 403, changing nothing", async () => {
    const client = await connect(keys.VIEWER!.secret);
    const refused = problemOf(await call(client, "update_opportunity", { id: fx.dealId, changes: { nextStep: "Send the contract" } }), 403);
    expect(refused.detail).toMatch(/needs the USER role; you are VIEWER/);
    problemOf(await call(client, "create_account", { name: "Not allowed" }), 403);
    problemOf(await call(client, "create_task", { subject: "Not allowed", opportunityId: fx.dealId }), 403);
    problemOf(await call(client, "draft_email", { opportunityId: fx.dealId, intent: "follow up" }), 403);
    const after = await api(`/api/opportunities/${fx.dealId}`, { token: A.viewer.token });
    expect(after.body.nextStep ?? null).toBeNull();
    // Reads stay open to it.
    expect(ok(await call(client, "list_deals", { limit: 5 })).data.length).toBeGreaterThan(0);
  });

  it("lets a USER key move a deal with a reason, validated like REST and audited as that key", async () => {
    const client = await connect(keys.USER!.secret);
    const next = A.stages.find((s) => s.kind === "open" && s.position > A.stages[0]!.position)!;
    const noReason = problemOf(await call(client, "update_opportunity", { id: fx.dealId, changes: { stageId: next.id } }), 422);
    expect(noReason.errors).toEqual([expect.objectContaining({ path: "stageChangeReason" })]);
    const unknownField = problemOf(await call(client, "update_opportunity", { id: fx.dealId, changes: { colour: "red" } }), 422);
    expect(unknownField.errors).toEqual([expect.objectContaining({ path: "changes.colour" })]);

    const hook = await api("/api/webhooks", { method: "POST", token: A.admin.token, body: { url: hookUrl(unique("mcp")), events: ["opportunity.stage_changed"] } });
    expect(hook.status, JSON.stringify(hook.body)).toBe(201);

    const moved = ok(await call(client, "update_opportunity", { id: fx.dealId, changes: { stageId: next.id, stageChangeReason: { text: "Budget confirmed on the call" }, nextStep: "Send the proposal" } }));
    expect(moved).toMatchObject({ id: fx.dealId, stageId: next.id, nextStep: "Send the proposal" });

    const trail = await api(`/api/audit?entityId=${fx.dealId}`, { token: A.admin.token });
    const entry = trail.body.data.find((e: any) => e.action === "update" && e.changes?.stageId);
    expect(entry).toMatchObject({ actor: { id: A.admin.id }, apiKey: { id: keys.USER!.id } });
    // The committed change leaves as a domain event, as a REST edit's does (webhook fan-out after the answer).
    await vi.waitFor(async () => {
      const rows = await testDb().http.select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, hook.body.id));
      expect(rows.map((r) => r.eventType)).toEqual(["opportunity.stage_changed"]);
    }, { timeout: 10_000, interval: 200 });
    const timeline = await api(`/api/opportunities/${fx.dealId}/timeline`, { token: A.viewer.token });
    expect(timeline.body.data.find((a: any) => a.type === "stage_change")?.body ?? JSON.stringify(timeline.body.data)).toContain("Budget confirmed");
  });

  it("creates records, logs an activity, adds a task and drafts an e-mail through the same verbs", async () => {
    const client = await connect(keys.USER!.secret);
    const acct = ok(await call(client, "create_account", { name: unique("Initech Mcp") }));
    expect(acct.id).toEqual(expect.any(String));
    problemOf(await call(client, "create_contact", {}), 422);

    const logged = ok(await call(client, "log_activity", { type: "meeting", subject: "Onsite demo", opportunityId: fx.dealId }));
    expect(logged).toMatchObject({ type: "meeting", opportunityId: fx.dealId });
    const task = ok(await call(client, "create_task", { subject: "Send the proposal", dueAt: "2030-01-15T09:00:00Z", opportunityId: fx.dealId }));
    expect(task).toMatchObject({ type: "task", subject: "Send the proposal", opportunityId: fx.dealId });
    const noTarget = problemOf(await call(client, "create_task", { subject: "Floating" }), 422);
    expect(noTarget.errors[0].path).toBe("opportunityId");

    const draft = ok(await call(client, "draft_email", { opportunityId: fx.dealId, contactId: fx.contactId, intent: "follow up after the demo" }));
    expect(draft).toMatchObject({ subject: expect.any(String), body: expect.any(String) });

    const audit = await api(`/api/audit?entityId=${task.id}`, { token: A.admin.token });
    expect(audit.body.data[0]).toMatchObject({ action: "create", apiKey: { id: keys.USER!.id } });
  });

  it("lists deals by pipeline, stage, owner and custom field; summarises the pipeline, forecasts and explains a deal's health", async () => {
    const field = await api("/api/fields", { method: "POST", token: A.admin.token, body: { entity: "opportunity", key: "region", label: "Region", type: "single_select", options: [{ value: "emea", label: "EMEA" }, { value: "amer", label: "Americas" }], filterable: true } });
    expect(field.status, JSON.stringify(field.body)).toBe(201);
    const pipelineId = A.stages[0]!.pipelineId;
    for (const region of ["emea", "amer"]) {
      const made = await api("/api/opportunities", { method: "POST", token: A.user.token, body: { name: unique(`Regional ${region}`), ownerId: A.user.id, amount: 5_000, currency: "EUR", custom: { region } } });
      expect(made.status, JSON.stringify(made.body)).toBe(201);
    }
    const client = await connect(keys.VIEWER!.secret);
    const emea = ok(await call(client, "list_deals", { pipelineId, ownerId: A.user.id, stageId: A.stages[0]!.id, custom: { region: "emea" } }));
    expect(emea.data.map((d: any) => d.custom.region)).toEqual(["emea"]);
    const unknown = problemOf(await call(client, "list_deals", { custom: { nope: "1" } }), 400);
    expect(unknown.errors[0].path).toBe("custom.nope");

    const summary = ok(await call(client, "pipeline_summary", { pipelineId }));
    expect(JSON.stringify(summary)).toContain("EUR");
    const fc = ok(await call(client, "forecast", {}));
    expect(fc).toEqual((await api("/api/reports/forecast", { token: A.viewer.token })).body);
    const rot = ok(await call(client, "rotting_deals", { pipelineId }));
    const rotRest = (await api(`/api/reports/rotting?pipelineId=${pipelineId}`, { token: A.viewer.token })).body;
    expect({ ...rot, asOf: null }).toEqual({ ...rotRest, asOf: null });

    const health = ok(await call(client, "get_deal_health", { opportunityId: fx.dealId }));
    expect(health).toMatchObject({ opportunityId: fx.dealId, overall: expect.stringMatching(/^(ok|warning|risk|unknown)$/) });
    expect(health.signals.map((s: any) => s.key)).toEqual(expect.arrayContaining(["stage_age", "last_activity", "close_date"]));
    for (const s of health.signals) expect(s.detail.length).toBeGreaterThan(5);
  });

  it("logs which tools a request called, and with which key", async () => {
    const client = await connect(keys.USER!.secret);
    const lines: string[] = [];
    const spy = vi.spyOn(console, "log").mockImplementation((line: unknown) => void lines.push(String(line)));
    try {
      await call(client, "get_deal_health", { opportunityId: fx.dealId });
      await call(client, "update_account", { id: crypto.randomUUID(), changes: { industry: "x" } });
    } finally {
      spy.mockRestore();
    }
    const logged = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === "request" && l.route === "/mcp");
    expect(logged.map((l) => l.mcp)).toEqual([["tools/call:get_deal_health"], ["tools/call:update_account"]]);
    expect(logged[0]).toMatchObject({ status: 200, apiKeyId: keys.USER!.id, workspaceId: A.id });
  });

  it("answers 401 problem+json without a key and 405 to GET; the SDK client surfaces the refusal", async () => {
    const res = await exports.default.fetch(new Request(`${BASE}/mcp`, { method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json, text/event-stream" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }) }));
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
    await expect(connect("bk_live_nope0000_00000000000000000000000000000000")).rejects.toThrow();
    const get = await exports.default.fetch(new Request(`${BASE}/mcp`, { headers: { Authorization: `Bearer ${keys.VIEWER!.secret}`, Accept: "text/event-stream" } }));
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
  });
});
