import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { contentSecurityPolicy, headersFile } from "../../worker/lib/security-headers";
import { isUploadPath, jsonShapeProblem } from "../../worker/middleware/hardening";
import { api, createWorkspace, type TestWorkspace } from "../helpers/worker";
import { callWith, PRODUCTION } from "../helpers/production";

let ws: TestWorkspace;
beforeAll(async () => {
  ws = await createWorkspace();
});
afterEach(() => vi.restoreAllMocks());

const PAGES = "https://crm-web.pages.dev";
const CORS = { CORS_ORIGINS: `${PAGES}, https://other.example.com` };

const expectProblem = (res: { status: number; headers: Headers; body: any }, status: number) => {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  expect(res.body).toMatchObject({ status, requestId: res.headers.get("x-request-id") });
};

describe("CORS allowlist", () => {
  it("sends no CORS headers at all when no origins are configured (same-origin deployment)", async () => {
    const res = await callWith({}, "/api/health", { headers: { Origin: PAGES } });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("allows exactly a configured origin and varies the response on Origin", async () => {
    const res = await callWith(CORS, "/api/branding", { headers: { Origin: PAGES } });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe(PAGES);
    expect(res.headers.get("vary")).toMatch(/Origin/i);
    expect(res.headers.get("access-control-expose-headers")).toMatch(/X-Request-Id/i);
    // Bearer tokens, never cookies: credentials are not allowed.
    expect(res.headers.get("access-control-allow-credentials")).toBeNull();
  });

  it("allows credentials on /api/auth/* only, where sign-in sets and refresh reads the refresh cookie", async () => {
    const res = await callWith(CORS, "/api/auth/refresh", {
      method: "OPTIONS",
      headers: { Origin: PAGES, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "x-requested-with" },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe(PAGES);
    expect(res.headers.get("access-control-allow-credentials")).toBe("true");
    expect(res.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("x-requested-with");
    const other = await callWith(CORS, "/api/accounts", { method: "OPTIONS", headers: { Origin: PAGES, "Access-Control-Request-Method": "GET" } });
    expect(other.headers.get("access-control-allow-credentials")).toBeNull();
  });

  it("gives an unlisted origin no Access-Control-Allow-Origin (the browser then refuses the answer)", async () => {
    const res = await callWith(CORS, "/api/branding", { headers: { Origin: "https://evil.example" } });
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("answers a preflight without a token: 204 with the allowed method and headers", async () => {
    const res = await callWith(CORS, "/api/accounts", {
      method: "OPTIONS",
      headers: { Origin: PAGES, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization, content-type" },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe(PAGES);
    expect(res.headers.get("access-control-allow-methods")).toContain("POST");
    expect(res.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("authorization");
    expect(Number(res.headers.get("access-control-max-age"))).toBeGreaterThan(0);
  });

  it("refuses a preflight from an unlisted origin", async () => {
    const res = await callWith(CORS, "/api/accounts", {
      method: "OPTIONS",
      headers: { Origin: "https://evil.example", "Access-Control-Request-Method": "DELETE" },
    });
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("reports a malformed origin as a configuration problem", async () => {
    const res = await callWith({ CORS_ORIGINS: "https://ok.example.com,https://bad.example.com/app" }, "/api/health");
    expect(res.status).toBe(503);
    expect(res.body.problems.join("\n")).toMatch(/CORS_ORIGINS "https:\/\/bad\.example\.com\/app" is not an origin/);
  });
});

describe("security headers", () => {
  const expectHardened = (headers: Headers) => {
    const csp = headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("base-uri 'self'");
    expect(csp).toContain("form-action 'self'");
    expect(headers.get("strict-transport-security")).toMatch(/max-age=\d{8,}/);
    expect(headers.get("x-content-type-options")).toBe("nosniff");
    expect(headers.get("referrer-policy")).toBe("no-referrer");
    expect(headers.get("permissions-policy")).toContain("camera=()");
    expect(headers.get("x-frame-options")).toBe("DENY");
  };

  it("are on API answers: success, 401, 404 and validation problems", async () => {
    expectHardened((await api("/api/health")).headers);
    expectHardened((await api("/api/auth/me")).headers);
    expectHardened((await api("/api/no-such-route", { token: ws.viewer.token })).headers);
    expectHardened((await api("/api/auth/login", { method: "POST", body: {} })).headers);
  });

  it("are on pages the Worker passes through to the static assets (SPA fallback)", async () => {
    const res = await callWith({}, "/pipeline");
    expectHardened(res.headers);
  });

  it("are on the misconfiguration answer too", async () => {
    const res = await callWith({ JWT_SECRET: "short" }, "/api/health");
    expect(res.status).toBe(503);
    expectHardened(res.headers);
  });

  it("let the SPA reach the configured CORS origins and Sentry, nothing else", async () => {
    // The local fake stands in for Sentry's ingest host (a real DSN here would make the SDK call out).
    const fakeSentry = inject("fakeProvidersUrl");
    const res = await callWith({ ...CORS, SENTRY_DSN: fakeSentry.replace("//", "//key@") + "/7" }, "/api/branding");
    const connect = /connect-src ([^;]+)/.exec(res.headers.get("content-security-policy") ?? "")?.[1];
    expect(connect?.split(" ").sort()).toEqual(["'self'", PAGES, fakeSentry, "https://other.example.com"].sort());
  });

  it("are written for static files served without the Worker (_headers)", () => {
    const file = headersFile(["https://api.example.com"]);
    expect(file).toMatch(/^\/\*$/m);
    expect(file).toContain(`Content-Security-Policy: ${contentSecurityPolicy(["https://api.example.com"])}`);
    for (const h of ["Strict-Transport-Security", "X-Content-Type-Options: nosniff", "Referrer-Policy: no-referrer", "Permissions-Policy"]) expect(file).toContain(h);
  });
});

describe("request size limits", () => {
  it("refuses a JSON body over JSON_BODY_MAX_BYTES with 413 before authentication", async () => {
    const res = await callWith({ JSON_BODY_MAX_BYTES: "2048" }, "/api/accounts", { method: "POST", body: { name: "x".repeat(3000) } });
    expectProblem(res, 413);
    expect(res.body.detail).toContain("2048 bytes");
  });

  it("refuses a 1.1 MB body at the default limit, on a public route", async () => {
    const res = await api("/api/auth/login", { method: "POST", body: { email: "a@b.test", password: "x".repeat(1_100_000) } });
    expectProblem(res, 413);
  });

  it("counts a streamed body without Content-Length too", async () => {
    const chunk = new TextEncoder().encode("x".repeat(1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 8) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const res = await callWith({ JSON_BODY_MAX_BYTES: "4096" }, "/api/accounts", {
      method: "POST",
      body: stream,
      headers: { "Content-Type": "application/json" },
      token: ws.user.token,
    });
    expectProblem(res, 413);
  });

  it("lets upload routes take UPLOAD_MAX_BYTES plus form overhead, and no more", async () => {
    const big = new Uint8Array(200 * 1024);
    const path = `/api/accounts/${crypto.randomUUID()}/attachments`;
    const within = await callWith({ JSON_BODY_MAX_BYTES: "4096" }, path, { method: "POST", body: big, headers: { "Content-Type": "application/octet-stream" } });
    expect(within.status).not.toBe(413);
    const over = await callWith({ UPLOAD_MAX_BYTES: "1024" }, path, { method: "POST", body: big, headers: { "Content-Type": "application/octet-stream" } });
    expectProblem(over, 413);
    expect(over.body.detail).toContain("UPLOAD_MAX_BYTES");
    // CSV imports are uploads too; everything else is JSON-sized.
    expect(isUploadPath("/api/import/contacts")).toBe(true);
    expect(isUploadPath("/api/accounts")).toBe(false);
  });
});

describe("JSON shape limits and unknown fields", () => {
  const nested = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;

  it("refuses JSON nested deeper than 20 levels with 400", async () => {
    const res = await api("/api/accounts", { method: "POST", token: ws.user.token, body: `{"name":"deep","description":${nested(20)}}`, headers: { "Content-Type": "application/json" } });
    expectProblem(res, 400);
    expect(res.body.detail).toMatch(/nested more than 20 levels/);
  });

  it("accepts 20 levels (the limit itself) and lets validation judge the fields", async () => {
    expect(jsonShapeProblem(`{"a":${nested(19)}}`)).toBeNull();
    const res = await api("/api/accounts", { method: "POST", token: ws.user.token, body: `{"name":"ok","description":${nested(19)}}`, headers: { "Content-Type": "application/json" } });
    expectProblem(res, 422);
  });

  it("refuses an array of more than 10,000 items with 413", async () => {
    const res = await api("/api/accounts", { method: "POST", token: ws.user.token, body: { name: "many", description: Array.from({ length: 10_001 }, () => 1) } });
    expectProblem(res, 413);
    expect(res.body.detail).toMatch(/more than 10000 items/);
  });

  it("is not fooled by brackets and commas inside strings", () => {
    expect(jsonShapeProblem(JSON.stringify({ text: "[".repeat(50) + ",".repeat(20_000) }))).toBeNull();
  });

  it("rejects unknown fields in a body with 422 naming them", async () => {
    const res = await api("/api/accounts", { method: "POST", token: ws.user.token, body: { name: "Acme", isAdmin: true } });
    expectProblem(res, 422);
    expect(JSON.stringify(res.body.errors)).toContain("isAdmin");
  });
});

describe("structured request logs", () => {
  it("writes one JSON line per request with id, workspace, user, route pattern, status, latency and error code", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: unknown) => void lines.push(String(line)));
    const id = crypto.randomUUID();
    const res = await api(`/api/accounts/${id}`, { token: ws.user.token });
    expect(res.status).toBe(404);
    const entries = lines.map((l) => { try { return JSON.parse(l); } catch { return null; } }).filter((e) => e?.msg === "request");
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      level: "warn",
      requestId: res.headers.get("x-request-id"),
      method: "GET",
      route: "/api/accounts/:id",
      path: `/api/accounts/${id}`,
      status: 404,
      workspaceId: ws.id,
      userId: ws.user.id,
      errorCode: "not-found",
    });
    expect(entries[0].latencyMs).toEqual(expect.any(Number));
  });

  it("names the route even when middleware answered before it (401)", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: unknown) => void lines.push(String(line)));
    await api(`/api/accounts/${crypto.randomUUID()}`);
    const entry = lines.map((l) => JSON.parse(l)).find((e) => e.msg === "request");
    expect(entry).toMatchObject({ route: "/api/accounts/:id", status: 401, errorCode: "unauthorized", userId: null });
  });
});

describe("production configuration", () => {
  it("refuses the development outbox in production unless explicitly allowed", async () => {
    const res = await callWith({ ...PRODUCTION, EMAIL_OUTBOX_IN_PRODUCTION: undefined }, "/api/health");
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ status: "not_ready" });
    expect(res.body.problems.join("\n")).toMatch(/EMAIL_PROVIDER is the development outbox/);
  });

  it("hides the dev outbox page in production behind the same 404 as an unknown route", async () => {
    const res = await callWith(PRODUCTION, "/api/dev/outbox");
    expectProblem(res, 404);
    expect(res.body.detail).toBe("No route for GET /api/dev/outbox");
    expect(res.text).not.toContain("outbox provider");
  });
});

describe("Sentry", () => {
  const fake = () => inject("fakeProvidersUrl");
  // A dead database makes authentication throw: the app answers 500 problem+json.
  const broken = { DATABASE_URL: "postgres://postgres@127.0.0.1:1/nowhere" };

  it("reports a 500 to the configured DSN, tagged with the request id", async () => {
    const dsn = fake().replace("http://", "http://publickey@") + "/42";
    const res = await callWith({ ...broken, SENTRY_DSN: dsn }, "/api/auth/me", { token: ws.user.token });
    expectProblem(res, 500);
    const requestId = res.headers.get("x-request-id")!;
    // The SDK flushes in the background; wait for the envelope rather than assume when it lands.
    let envelopes: string[] = [];
    for (let i = 0; i < 50 && envelopes.length === 0; i++) {
      envelopes = (await (await fetch(`${fake()}/__sentry?contains=${requestId}`)).json()) as string[];
      if (envelopes.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(envelopes.length).toBeGreaterThan(0);
    expect(envelopes[0]).toContain('"type":"event"');
  });

  it("sends nothing when SENTRY_DSN is unset", async () => {
    const res = await callWith(broken, "/api/auth/me", { token: ws.user.token });
    expectProblem(res, 500);
    // Give a (wrongly) running SDK the time it takes above to deliver.
    await new Promise((r) => setTimeout(r, 500));
    const envelopes = (await (await fetch(`${fake()}/__sentry?contains=${res.headers.get("x-request-id")}`)).json()) as string[];
    expect(envelopes).toEqual([]);
  });
});
