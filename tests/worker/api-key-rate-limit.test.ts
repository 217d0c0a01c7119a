import { env } from "cloudflare:workers";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import worker from "../../worker/index";
import { api, BASE, createWorkspace, unique, type TestWorkspace } from "../helpers/worker";

/** API_KEY_REQUESTS_PER_MINUTE per key (RATE_LIMITER Durable Object), shared by REST and /mcp, with RateLimit-* headers. */

const LIMITED = { ...env, API_KEY_REQUESTS_PER_MINUTE: "3" } as Env;
let ws: TestWorkspace;

async function call(path: string, token: string, init: { method?: string; body?: unknown } = {}) {
  const ctx = createExecutionContext();
  const headers: Record<string, string> = { Authorization: `Bearer ${token}`, Accept: "application/json, text/event-stream" };
  if (init.body !== undefined) headers["Content-Type"] = "application/json";
  const res = await worker.fetch(new Request(`${BASE}${path}`, { method: init.method ?? "GET", headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) }), LIMITED, ctx);
  await waitOnExecutionContext(ctx);
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

const newKey = async (role = "USER") => {
  const res = await api("/api/api-keys", { method: "POST", token: ws.admin.token, body: { name: unique("limited"), role } });
  expect(res.status).toBe(201);
  return res.body.secret as string;
};
const limits = (h: Headers) => ({ limit: h.get("ratelimit-limit"), remaining: h.get("ratelimit-remaining"), reset: Number(h.get("ratelimit-reset")) });

beforeAll(async () => {
  ws = await createWorkspace();
});

describe("per-key request budget", () => {
  it("counts REST and MCP requests of one key together, then answers 429 with Retry-After; another key is unaffected", async () => {
    const key = await newKey();
    const first = await call("/api/accounts?limit=1", key);
    expect(first.status).toBe(200);
    expect(limits(first.headers)).toMatchObject({ limit: "3", remaining: "2" });
    expect(limits(first.headers).reset).toBeGreaterThanOrEqual(59);
    expect(first.headers.get("ratelimit-policy")).toBe("3;w=60");

    // An error answer carries them too.
    const missing = await call(`/api/accounts/${crypto.randomUUID()}`, key);
    expect(missing.status).toBe(404);
    expect(limits(missing.headers)).toMatchObject({ limit: "3", remaining: "1" });

    const mcp = await call("/mcp", key, { method: "POST", body: { jsonrpc: "2.0", id: 1, method: "tools/list" } });
    expect(mcp.status).toBe(200);
    expect(mcp.body.result.tools.length).toBeGreaterThan(10);
    expect(limits(mcp.headers)).toMatchObject({ limit: "3", remaining: "0" });

    const refused = await call("/mcp", key, { method: "POST", body: { jsonrpc: "2.0", id: 2, method: "tools/list" } });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("content-type")).toContain("application/problem+json");
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limits(refused.headers)).toEqual({ limit: "3", remaining: "0", reset: retryAfter });
    expect(refused.body).toMatchObject({ status: 429, limit: "api_key_requests_per_minute", retryAfter });
    expect(refused.body.detail).toMatch(/3 requests in the last minute.*API_KEY_REQUESTS_PER_MINUTE/);
    expect((await call("/api/accounts", key)).status).toBe(429);
    // Nothing ran: a refused write leaves no record behind.
    const name = unique("Over budget");
    expect((await call("/api/accounts", key, { method: "POST", body: { name } })).status).toBe(429);
    expect((await api(`/api/accounts?q=${encodeURIComponent(name)}`, { token: ws.admin.token })).body.data).toEqual([]);

    const other = await call("/api/accounts?limit=1", await newKey("VIEWER"));
    expect(other.status).toBe(200);
    expect(limits(other.headers)).toMatchObject({ limit: "3", remaining: "2" });
  });

  it("does not meter people signed in with a session (no RateLimit headers)", async () => {
    for (let i = 0; i < 5; i++) {
      const res = await call("/api/accounts?limit=1", ws.user.token);
      expect(res.status).toBe(200);
      expect(res.headers.get("ratelimit-limit")).toBeNull();
    }
  });

  it("defaults to 600 a minute", async () => {
    const res = await api("/api/accounts?limit=1", { token: await newKey() });
    expect(limits(res.headers)).toMatchObject({ limit: "600", remaining: "599" });
  });
});
