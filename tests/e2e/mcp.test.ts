import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiCall, apiToken, baseUrl, DEMO_LOGINS, unique } from "./helpers";

/**
 * An MCP client as Claude Desktop or the MCP Inspector would connect it: the SDK's Client over its Streamable HTTP
 * transport, from Node, over the network to the app started like `npm start` (the wrangler-bundled Worker, so the
 * bundle's aliases and the SDK's Workers path are what answer). No browser.
 */

let admin: string;
const keys: Record<"VIEWER" | "USER", { id: string; secret: string }> = {} as never;
const clients: Client[] = [];
let accountId: string;

async function connect(secret: string): Promise<Client> {
  const transport = new StreamableHTTPClientTransport(new URL("/mcp", baseUrl), { requestInit: { headers: { Authorization: `Bearer ${secret}` } } });
  const client = new Client({ name: "e2e", version: "1.0.0" });
  await client.connect(transport);
  clients.push(client);
  return client;
}

const answer = (res: any) => JSON.parse(res.content[0].text);

beforeAll(async () => {
  admin = await apiToken(DEMO_LOGINS.admin);
  for (const role of ["VIEWER", "USER"] as const) keys[role] = await apiCall("/api/api-keys", { token: admin, body: { name: unique(`MCP ${role} `), role } });
  accountId = (await apiCall<{ id: string }>("/api/accounts", { token: admin, body: { name: unique("Umbrella Mcp ") } })).id;
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
});

describe("/mcp on the running app", () => {
  it("lists tools, searches and gets with a VIEWER key, which cannot write", async () => {
    const viewer = await connect(keys.VIEWER.secret);
    const { tools } = await viewer.listTools();
    expect(tools.length).toBeGreaterThanOrEqual(17);
    const found = answer(await viewer.callTool({ name: "search_records", arguments: { q: "umbrella mcp", types: "accounts" } }));
    expect(found.groups[0].items.map((i: any) => i.id)).toContain(accountId);
    const got = answer(await viewer.callTool({ name: "get_record", arguments: { type: "account", id: accountId } }));
    expect(got.record.id).toBe(accountId);

    const refused = await viewer.callTool({ name: "update_account", arguments: { id: accountId, changes: { industry: "Pharma" } } });
    expect(refused.isError).toBe(true);
    expect(answer(refused)).toMatchObject({ status: 403, title: "Forbidden" });
  });

  it("updates with a USER key, recorded in the audit trail as that key", async () => {
    const user = await connect(keys.USER.secret);
    const updated = await user.callTool({ name: "update_account", arguments: { id: accountId, changes: { industry: "Pharma" } } });
    expect(updated.isError).toBeFalsy();
    expect(answer(updated)).toMatchObject({ id: accountId, industry: "Pharma" });
    const trail = await apiCall<{ data: any[] }>(`/api/audit?entityId=${accountId}`, { token: admin });
    expect(trail.data.find((e) => e.action === "update")).toMatchObject({ apiKey: { id: keys.USER.id }, changes: { industry: { to: "Pharma" } } });
  });

  it("sends the key's RateLimit-* headers on /mcp and REST alike", async () => {
    const headers = { Authorization: `Bearer ${keys.USER.secret}`, "Content-Type": "application/json", Accept: "application/json, text/event-stream" };
    const mcp = await fetch(new URL("/mcp", baseUrl), { method: "POST", headers, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" }) });
    const rest = await fetch(new URL("/api/accounts?limit=1", baseUrl), { headers });
    for (const res of [mcp, rest]) {
      expect(res.status).toBe(200);
      expect(Number(res.headers.get("ratelimit-limit"))).toBe(600);
      expect(Number(res.headers.get("ratelimit-remaining"))).toBeLessThan(600);
      expect(Number(res.headers.get("ratelimit-reset"))).toBeGreaterThan(0);
    }
  });
});
