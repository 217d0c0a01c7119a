import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { accounts, apiKeys, auditLog, users } from "../../db/schema";
import { api, createWorkspace, testDb, type TestWorkspace } from "../helpers/worker";

let ws: TestWorkspace;
let other: TestWorkspace;

beforeAll(async () => {
  [ws, other] = await Promise.all([createWorkspace(), createWorkspace()]);
});

const createKey = (body: unknown, token = ws.admin.token) => api("/api/api-keys", { method: "POST", body, token });
const sha256 = async (s: string) =>
  [...new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(s)))].map((b) => b.toString(16).padStart(2, "0")).join("");

describe("lifecycle", () => {
  it("creates a key shown once, which then works with its role, is listed with its use, and stops at once when revoked", async () => {
    const created = await createKey({ name: "Zapier sync", role: "USER" });
    expect(created.status).toBe(201);
    expect(created.headers.get("cache-control")).toBe("no-store");
    const { secret, id, prefix } = created.body;
    expect(secret).toMatch(/^bk_live_[a-z0-9]{8}_[A-Za-z0-9]{32}$/);
    expect(secret.startsWith(`bk_live_${prefix}_`)).toBe(true);
    expect(created.body).toMatchObject({ name: "Zapier sync", role: "USER", createdBy: { id: ws.admin.id }, lastUsedAt: null, revokedAt: null });

    // Only a hash is stored.
    const [row] = await testDb().http.select().from(apiKeys).where(eq(apiKeys.id, id));
    expect(row!.keyHash).toBe(await sha256(secret));
    expect(JSON.stringify(row)).not.toContain(secret.split("_").pop());

    // Reads and writes as a USER, as its creator, with the key recorded in the audit trail.
    expect((await api("/api/accounts", { token: secret })).status).toBe(200);
    const made = await api("/api/accounts", { method: "POST", body: { name: "Made by a key" }, token: secret });
    expect(made.status).toBe(201);
    const [audit] = await testDb().http.select().from(auditLog).where(and(eq(auditLog.entityId, made.body.id), eq(auditLog.action, "create")));
    expect(audit).toMatchObject({ actorId: ws.admin.id, apiKeyId: id, workspaceId: ws.id });
    const trail = await api(`/api/audit?entityId=${made.body.id}`, { token: ws.admin.token });
    expect(trail.body.data.find((e: any) => e.action === "create")).toMatchObject({ actor: { id: ws.admin.id }, apiKey: { id, name: "Zapier sync", prefix } });
    const del = await api(`/api/accounts/${made.body.id}`, { method: "DELETE", token: secret });
    expect(del.status).toBe(403);
    expect(del.body.detail).toContain("ADMIN");

    const listed = await api("/api/api-keys", { token: ws.admin.token });
    expect(listed.status).toBe(200);
    const item = listed.body.data.find((k: any) => k.id === id);
    expect(item).toMatchObject({ name: "Zapier sync", prefix, role: "USER", createdBy: { id: ws.admin.id, name: expect.any(String) }, revokedAt: null });
    expect(new Date(item.lastUsedAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(item).not.toHaveProperty("secret");
    expect(item).not.toHaveProperty("keyHash");

    const revoked = await api(`/api/api-keys/${id}`, { method: "DELETE", token: ws.admin.token });
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).toEqual(expect.any(String));
    const after = await api("/api/accounts", { token: secret });
    expect(after.status).toBe(401);
    expect(after.headers.get("content-type")).toContain("application/problem+json");
    expect(after.body.detail).toMatch(/revoked/);
    expect((await api("/api/api-keys", { token: ws.admin.token })).body.data.find((k: any) => k.id === id).revokedAt).toBe(revoked.body.revokedAt);
    const again = await api(`/api/api-keys/${id}`, { method: "DELETE", token: ws.admin.token });
    expect(again.status).toBe(200);
    expect(again.body.revokedAt).toBe(revoked.body.revokedAt);
    const revokes = await testDb().http.select().from(auditLog).where(and(eq(auditLog.entityId, id), eq(auditLog.action, "revoke")));
    expect(revokes).toHaveLength(1);
  });

  it("writes last_used_at at most once a minute", async () => {
    const { body } = await createKey({ name: "Busy", role: "VIEWER" });
    expect((await api("/api/accounts", { token: body.secret })).status).toBe(200);
    const read = async () => (await testDb().http.select({ t: apiKeys.lastUsedAt }).from(apiKeys).where(eq(apiKeys.id, body.id)))[0]!.t!;
    const first = await read();
    expect((await api("/api/accounts", { token: body.secret })).status).toBe(200);
    expect((await read()).getTime()).toBe(first.getTime());
    await testDb().http.update(apiKeys).set({ lastUsedAt: new Date(Date.now() - 2 * 60_000) }).where(eq(apiKeys.id, body.id));
    expect((await api("/api/accounts", { token: body.secret })).status).toBe(200);
    expect((await read()).getTime()).toBeGreaterThan(Date.now() - 60_000);
  });
});

describe("roles and scope", () => {
  it("only an ADMIN signed in as a person manages keys", async () => {
    for (const token of [ws.user.token, ws.viewer.token]) {
      expect((await createKey({ name: "nope", role: "VIEWER" }, token)).status).toBe(403);
      expect((await api("/api/api-keys", { token })).status).toBe(403);
    }
    const { body: key } = await createKey({ name: "victim", role: "VIEWER" });
    expect((await api(`/api/api-keys/${key.id}`, { method: "DELETE", token: ws.user.token })).status).toBe(403);
    const { body: adminKey } = await createKey({ name: "admin integration", role: "ADMIN" });
    const viaKey = await api("/api/api-keys", { method: "POST", body: { name: "minted", role: "ADMIN" }, token: adminKey.secret });
    expect(viaKey.status).toBe(403);
    expect(viaKey.body.detail).toMatch(/API keys cannot/);
    expect((await api("/api/auth/me", { token: adminKey.secret })).status).toBe(403);
    // An ADMIN key still does admin work on data.
    const [acct] = await testDb().http.insert(accounts).values({ workspaceId: ws.id, name: "Doomed" }).returning();
    expect((await api(`/api/accounts/${acct!.id}`, { method: "DELETE", token: adminKey.secret })).status).toBe(200);
  });

  it("a VIEWER key reads but cannot write", async () => {
    const { body } = await createKey({ name: "Dashboard", role: "VIEWER" });
    expect((await api("/api/accounts", { token: body.secret })).status).toBe(200);
    const post = await api("/api/accounts", { method: "POST", body: { name: "Nope" }, token: body.secret });
    expect(post.status).toBe(403);
    expect(post.body.detail).toContain("USER");
    const [acct] = await testDb().http.insert(accounts).values({ workspaceId: ws.id, name: "Read only" }).returning();
    expect((await api(`/api/accounts/${acct!.id}`, { method: "PATCH", body: { name: "Changed" }, token: body.secret })).status).toBe(403);
    expect((await api(`/api/accounts/${acct!.id}`, { token: body.secret })).body.name).toBe("Read only");
  });

  it("a key sees only its own workspace, and keys cannot be revoked across workspaces", async () => {
    const { body: theirs } = await createKey({ name: "Other ws", role: "ADMIN" }, other.admin.token);
    const [mine] = await testDb().http.insert(accounts).values({ workspaceId: ws.id, name: "Private" }).returning();
    expect((await api(`/api/accounts/${mine!.id}`, { token: theirs.secret })).status).toBe(404);
    expect((await api(`/api/api-keys/${theirs.id}`, { method: "DELETE", token: ws.admin.token })).status).toBe(404);
    expect((await api("/api/api-keys", { token: ws.admin.token })).body.data.map((k: any) => k.id)).not.toContain(theirs.id);
  });

  it("a key is capped by its creator: demoted creator → demoted key; deactivated creator → dead key", async () => {
    const team = await createWorkspace();
    const { body } = await createKey({ name: "Ops", role: "ADMIN" }, team.admin.token);
    const [a] = await testDb().http.insert(accounts).values({ workspaceId: team.id, name: "Keep" }).returning();
    await testDb().http.update(users).set({ role: "USER" }).where(eq(users.id, team.admin.id));
    expect((await api(`/api/accounts/${a!.id}`, { method: "DELETE", token: body.secret })).status).toBe(403);
    expect((await api("/api/accounts", { method: "POST", body: { name: "Still a user" }, token: body.secret })).status).toBe(201);
    await testDb().http.update(users).set({ active: false }).where(eq(users.id, team.admin.id));
    expect((await api("/api/accounts", { token: body.secret })).status).toBe(401);
  });
});

describe("bad input", () => {
  it("names the invalid fields", async () => {
    const res = await createKey({ name: " ", role: "ROOT" });
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: any) => e.path).sort()).toEqual(["name", "role"]);
  });

  it("401s for a malformed or unknown key without saying which", async () => {
    const { body } = await createKey({ name: "Real", role: "VIEWER" });
    const forged = body.secret.slice(0, -1) + (body.secret.endsWith("a") ? "b" : "a");
    for (const token of [forged, "bk_live_short", `bk_live_${body.prefix}_${"x".repeat(32)}`]) {
      const res = await api("/api/accounts", { token });
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toContain("Bearer");
    }
  });
});
