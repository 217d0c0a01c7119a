import bespokeConfig from "bespoke-config";
import { env, exports } from "cloudflare:workers";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../worker/index";
import { api, createWorkspace } from "../helpers/worker";

describe("health", () => {
  it("is ok when the database answers", async () => {
    const res = await api("/api/health");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: "ok", db: "ok" });
  });

  it("is 503 when the database is down", async () => {
    const ctx = createExecutionContext();
    const res = await worker.fetch(
      new Request("http://crm.test/api/health"),
      { ...env, DATABASE_URL: "postgres://postgres@127.0.0.1:1/nowhere" },
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: "degraded", db: "down" });
  });

  it("is 503 not_ready listing every configuration problem", async () => {
    const ctx = createExecutionContext();
    const { DATABASE_URL: _d, ...rest } = env;
    const res = await worker.fetch(new Request("http://crm.test/api/health"), { ...rest, JWT_SECRET: "short", AI_TOKENS_PER_DAY: "lots" } as Env, ctx);
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(503);
    const body = (await res.json()) as { status: string; problems: string[] };
    expect(body.status).toBe("not_ready");
    expect(body.problems.join("\n")).toMatch(/DATABASE_URL/);
    expect(body.problems.join("\n")).toMatch(/JWT_SECRET/);
    expect(body.problems.join("\n")).toMatch(/AI_TOKENS_PER_DAY/);
  });
});

describe("errors and routing", () => {
  it("answers unknown /api routes with 404 problem+json", async () => {
    const ws = await createWorkspace();
    const res = await api("/api/does-not-exist", { token: ws.viewer.token });
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(res.body.requestId).toBeTruthy();
  });

  it("serves branding publicly from the configuration file (no BRAND_* variable set)", async () => {
    expect(env.BRAND_NAME || undefined).toBeUndefined();
    const res = await api("/api/branding");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ productName: bespokeConfig.branding!.name, accentColor: bespokeConfig.branding!.accentColor, logoUrl: null });
  });

  it("echoes a caller's request id", async () => {
    const res = await exports.default.fetch(new Request("http://crm.test/api/health", { headers: { "X-Request-Id": "trace-abc-12345" } }));
    expect(res.headers.get("x-request-id")).toBe("trace-abc-12345");
  });
});
