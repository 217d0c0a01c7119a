import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { accounts, auditLog, idempotencyKeys } from "../../db/schema";
import { keyedDigest } from "../../worker/middleware/idempotency";
import { purgeIdempotencyKeys } from "../../worker/services/idempotency/purge";
import { setAttachmentStoreFaults } from "../../worker/storage/attachments";
import { api, createWorkspace, testDb, type TestWorkspace } from "../helpers/worker";

let ws: TestWorkspace;
let other: TestWorkspace;

beforeAll(async () => {
  [ws, other] = await Promise.all([createWorkspace(), createWorkspace()]);
});
afterEach(() => setAttachmentStoreFaults({}));

const post = (path: string, body: unknown, key: string, token = ws.user.token) => api(path, { method: "POST", body, token, headers: { "Idempotency-Key": key } });
const accountsNamed = (name: string, workspaceId = ws.id) =>
  testDb().http.select().from(accounts).where(and(eq(accounts.workspaceId, workspaceId), eq(accounts.name, name)));

describe("replays", () => {
  it("answers a retry with the first response, marked as replayed, and creates one record", async () => {
    const key = crypto.randomUUID();
    const first = await post("/api/accounts", { name: "Idem Co" }, key);
    expect(first.status).toBe(201);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    const second = await post("/api/accounts", { name: "Idem Co" }, key);
    expect(second.status).toBe(201);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(second.headers.get("content-type")).toContain("application/json");
    expect(second.body).toEqual(first.body);
    expect(await accountsNamed("Idem Co")).toHaveLength(1);
    const audit = await testDb().http.select().from(auditLog).where(eq(auditLog.entityId, first.body.id));
    expect(audit).toHaveLength(1);
  });

  it("replays a 4xx answer too, without running the request again", async () => {
    const key = crypto.randomUUID();
    const first = await post("/api/accounts", { name: "" }, key);
    expect(first.status).toBe(422);
    const second = await post("/api/accounts", { name: "" }, key);
    expect(second.status).toBe(422);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(second.headers.get("content-type")).toContain("application/problem+json");
    expect(second.body.errors).toEqual(first.body.errors);
  });

  it("does not keep a 5xx: the retry runs for real (an upload while R2 was down), and a retried upload with a new multipart boundary replays", async () => {
    const [acct] = await testDb().http.insert(accounts).values({ workspaceId: ws.id, name: "Uploads" }).returning();
    const bytes = new TextEncoder().encode("%PDF-1.7\nhello\n%%EOF\n");
    const form = () => {
      const fd = new FormData();
      fd.append("file", new File([bytes], "a.pdf", { type: "application/pdf" }));
      return fd;
    };
    const key = crypto.randomUUID();
    setAttachmentStoreFaults({ put: () => new Error("R2 down") });
    const failed = await post(`/api/accounts/${acct!.id}/attachments`, form(), key);
    expect(failed.status).toBe(503);
    setAttachmentStoreFaults({});
    const ok = await post(`/api/accounts/${acct!.id}/attachments`, form(), key);
    expect(ok.status).toBe(201);
    expect(ok.headers.get("idempotent-replayed")).toBeNull();
    const again = await post(`/api/accounts/${acct!.id}/attachments`, form(), key);
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body.id).toBe(ok.body.id);
    expect(again.headers.get("location")).toBe(ok.headers.get("location"));
    const list = await api(`/api/accounts/${acct!.id}/attachments`, { token: ws.user.token });
    expect(list.body.data).toHaveLength(1);
  });
});

describe("misuse", () => {
  it("422 when the same key comes with a different body or path, and nothing is written", async () => {
    const key = crypto.randomUUID();
    expect((await post("/api/accounts", { name: "Original" }, key)).status).toBe(201);
    const otherBody = await post("/api/accounts", { name: "Different" }, key);
    expect(otherBody.status).toBe(422);
    expect(otherBody.headers.get("content-type")).toContain("application/problem+json");
    expect(otherBody.body.errors[0]).toMatchObject({ path: "Idempotency-Key" });
    expect(otherBody.body.detail).toContain("different body");
    const otherPath = await post("/api/contacts", { name: "Original" }, key);
    expect(otherPath.status).toBe(422);
    expect(otherPath.body.detail).toContain("different path");
    expect(await accountsNamed("Different")).toHaveLength(0);
  });

  it("409 while the first request with the key is still running", async () => {
    const key = crypto.randomUUID();
    const body = { name: "Slow Co" };
    const hash = await keyedDigest(new TextEncoder().encode(JSON.stringify(body)), env.JWT_SECRET);
    // What an in-flight first request leaves behind: the claim, with no answer yet.
    await testDb().http.insert(idempotencyKeys).values({ workspaceId: ws.id, principal: `user:${ws.user.id}`, key, method: "POST", path: "/api/accounts", requestHash: hash });
    const res = await post("/api/accounts", body, key);
    expect(res.status).toBe(409);
    expect(res.body.detail).toMatch(/still being processed/);
    expect(await accountsNamed("Slow Co")).toHaveLength(0);
  });

  it("400 for a key longer than 255 characters or with spaces", async () => {
    for (const key of ["k".repeat(256), "has space"]) {
      const res = await post("/api/accounts", { name: "Bad key" }, key);
      expect(res.status).toBe(400);
      expect(res.body.errors[0].path).toBe("Idempotency-Key");
    }
    expect((await post("/api/accounts", { name: "Max key" }, "k".repeat(255))).status).toBe(201);
    expect(await accountsNamed("Bad key")).toHaveLength(0);
  });
});

describe("scope and expiry", () => {
  it("keeps different principals apart: two people, an API key and another workspace may use the same key", async () => {
    const key = "shared-key-123";
    const a = await post("/api/accounts", { name: "From user" }, key, ws.user.token);
    const b = await post("/api/accounts", { name: "From admin" }, key, ws.admin.token);
    const c = await post("/api/accounts", { name: "From other ws" }, key, other.user.token);
    const { body: apiKey } = await api("/api/api-keys", { method: "POST", body: { name: "idem", role: "USER" }, token: ws.admin.token });
    const d = await post("/api/accounts", { name: "From key" }, key, apiKey.secret);
    for (const r of [a, b, c, d]) {
      expect(r.status).toBe(201);
      expect(r.headers.get("idempotent-replayed")).toBeNull();
    }
    expect(new Set([a.body.id, b.body.id, c.body.id, d.body.id]).size).toBe(4);
    const again = await post("/api/accounts", { name: "From key" }, key, apiKey.secret);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body.id).toBe(d.body.id);
  });

  it("ignores a key older than 24 hours, and the cleanup deletes such keys", async () => {
    const key = crypto.randomUUID();
    const first = await post("/api/accounts", { name: "Yesterday" }, key);
    expect(first.status).toBe(201);
    const scope = and(eq(idempotencyKeys.workspaceId, ws.id), eq(idempotencyKeys.key, key));
    await testDb().http.update(idempotencyKeys).set({ createdAt: new Date(Date.now() - 25 * 3600_000) }).where(scope);
    const fresh = await post("/api/accounts", { name: "Today" }, key);
    expect(fresh.status).toBe(201);
    expect(fresh.headers.get("idempotent-replayed")).toBeNull();
    expect(fresh.body.id).not.toBe(first.body.id);

    const stale = crypto.randomUUID();
    await testDb().http.insert(idempotencyKeys).values({ workspaceId: ws.id, principal: `user:${ws.user.id}`, key: stale, method: "POST", path: "/api/accounts", requestHash: "x", statusCode: 201, responseBody: "{}", createdAt: new Date(Date.now() - 48 * 3600_000) });
    expect(await purgeIdempotencyKeys({ db: testDb().http })).toBeGreaterThanOrEqual(1);
    const left = await testDb().http.select({ key: idempotencyKeys.key }).from(idempotencyKeys).where(eq(idempotencyKeys.workspaceId, ws.id));
    expect(left.map((r) => r.key)).not.toContain(stale);
    expect(left.map((r) => r.key)).toContain(key);
  });

  it("leaves requests without the header, and non-POST requests, alone", async () => {
    expect((await api("/api/accounts", { method: "POST", body: { name: "No key" }, token: ws.user.token })).status).toBe(201);
    expect((await api("/api/accounts", { method: "POST", body: { name: "No key" }, token: ws.user.token })).status).toBe(201);
    expect(await accountsNamed("No key")).toHaveLength(2);
    const [row] = await accountsNamed("No key");
    const patch = (name: string) => api(`/api/accounts/${row!.id}`, { method: "PATCH", body: { name }, token: ws.user.token, headers: { "Idempotency-Key": "patch-key" } });
    expect((await patch("Renamed once")).body.name).toBe("Renamed once");
    const second = await patch("Renamed twice");
    expect(second.body.name).toBe("Renamed twice");
    expect(second.headers.get("idempotent-replayed")).toBeNull();
  });
});
