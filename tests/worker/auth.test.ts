import { env } from "cloudflare:workers";
import { SignJWT } from "jose";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { users } from "../../db/schema";
import { signToken } from "../../worker/lib/jwt";
import { api, createWorkspace, testDb, type TestWorkspace } from "../helpers/worker";

let ws: TestWorkspace;
beforeAll(async () => {
  ws = await createWorkspace();
});

/** The claims of an access token (no verification: the test reads what it was given). */
const claimsOf = (token: string) => JSON.parse(atob(token.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/")));

const expectProblem = (res: { status: number; headers: Headers; body: any }, status: number) => {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  expect(res.body).toMatchObject({ status, title: expect.any(String), detail: expect.any(String) });
  expect(res.body.requestId).toBe(res.headers.get("x-request-id"));
};

describe("login — happy path", () => {
  it("returns a token that authenticates /api/auth/me", async () => {
    const res = await api("/api/auth/login", { method: "POST", body: { email: ws.user.email.toUpperCase(), password: ws.user.password } });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ id: ws.user.id, email: ws.user.email, role: "USER", workspaceId: ws.id });
    expect(res.body.user).not.toHaveProperty("passwordHash");
    const me = await api("/api/auth/me", { token: res.body.token });
    expect(me.status).toBe(200);
    expect(me.body.user.id).toBe(ws.user.id);
  });

  it("upgrades a weaker stored hash to the current work factor on sign-in", async () => {
    const db = testDb();
    const [row] = await db.http.select({ h: users.passwordHash }).from(users).where(eq(users.id, ws.admin.id));
    expect(row!.h).toMatch(/^pbkdf2-sha256\$1000\$/);
    const res = await api("/api/auth/login", { method: "POST", body: { email: ws.admin.email, password: ws.admin.password } });
    expect(res.status).toBe(200);
    const [after] = await db.http.select({ h: users.passwordHash }).from(users).where(eq(users.id, ws.admin.id));
    expect(after!.h).toMatch(/^pbkdf2-sha256\$100000\$/);
  });
});

describe("login — failures", () => {
  it("answers the same 401 for a wrong password and an unknown e-mail", async () => {
    const wrong = await api("/api/auth/login", { method: "POST", body: { email: ws.user.email, password: "nope" } });
    const unknown = await api("/api/auth/login", { method: "POST", body: { email: "nobody@nowhere.test", password: "nope" } });
    expectProblem(wrong, 401);
    expectProblem(unknown, 401);
    expect(wrong.body.detail).toBe(unknown.body.detail);
    expect(wrong.body.title).toBe(unknown.body.title);
  });

  it("refuses a deactivated user with the same wording, and their live token stops working at once", async () => {
    const other = await createWorkspace();
    const before = await api("/api/auth/me", { token: other.user.token });
    expect(before.status).toBe(200);
    await testDb().http.update(users).set({ active: false }).where(eq(users.id, other.user.id));
    const login = await api("/api/auth/login", { method: "POST", body: { email: other.user.email, password: other.user.password } });
    expectProblem(login, 401);
    expect(login.body.detail).toBe("Email or password is incorrect");
    expectProblem(await api("/api/auth/me", { token: other.user.token }), 401);
  });

  // Reads check the session inside their own first database round trip (db/deferred-check.ts): whatever a read
  // would have returned, a dead session or a role that no longer suffices still gets 401/403 and none of the data.
  it("a read with a session ended after the token was signed answers 401 and none of the rows", async () => {
    const other = await createWorkspace();
    const made = await api("/api/accounts", { method: "POST", token: other.admin.token, body: { name: "Secret Holdings" } });
    expect(made.status).toBe(201);
    const before = await api("/api/accounts?limit=5", { token: other.user.token });
    expect(before.status).toBe(200);
    expect(JSON.stringify(before.body)).toContain("Secret Holdings");
    await testDb().http.update(users).set({ active: false }).where(eq(users.id, other.user.id));
    for (const path of ["/api/accounts?limit=5", "/api/opportunities/pipeline", `/api/accounts/${made.body.id}`, "/api/search?q=secret"]) {
      const after = await api(path, { token: other.user.token });
      expectProblem(after, 401);
      expect(JSON.stringify(after.body)).not.toContain("Secret Holdings");
    }
  });

  it("a demoted admin's older token: admin-only reads are 403 at once, ordinary reads still work", async () => {
    const other = await createWorkspace();
    expect((await api("/api/audit", { token: other.admin.token })).status).toBe(200);
    // Another admin, so the last-admin guard lets the demotion through.
    await testDb().http.update(users).set({ role: "USER" }).where(eq(users.id, other.admin.id));
    expectProblem(await api("/api/audit", { token: other.admin.token }), 403);
    expect((await api("/api/accounts?limit=1", { token: other.admin.token })).status).toBe(200);
  });

  it("rejects a malformed body with field errors", async () => {
    const res = await api("/api/auth/login", { method: "POST", body: { email: "" } });
    expectProblem(res, 422);
    expect(res.body.errors.map((e: any) => e.path)).toEqual(expect.arrayContaining(["email", "password"]));
  });

  it("rejects invalid JSON as 400, never 500", async () => {
    const res = await api("/api/auth/login", { method: "POST", body: "{not json", headers: { "Content-Type": "application/json" } });
    expect([400, 422]).toContain(res.status);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
  });
});

describe("tokens — security", () => {
  it("401s without a token", async () => {
    expectProblem(await api("/api/auth/me"), 401);
  });

  it("401s a tampered token", async () => {
    const [h, p, s] = ws.user.token.split(".");
    const payload = JSON.parse(atob(p!.replace(/-/g, "+").replace(/_/g, "/")));
    payload.role = "ADMIN";
    const forged = btoa(JSON.stringify(payload)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
    expectProblem(await api("/api/auth/me", { token: `${h}.${forged}.${s}` }), 401);
  });

  it("401s a token signed with another key", async () => {
    const token = await signToken({ sub: ws.user.id, ws: ws.id, role: "USER", tv: 0, sid: claimsOf(ws.user.token).sid }, "an-attacker-key-of-sufficient-length!!", 3600);
    expectProblem(await api("/api/auth/me", { token }), 401);
  });

  it("401s an expired token", async () => {
    const token = await new SignJWT({ ws: ws.id, role: "USER", tv: 0, sid: claimsOf(ws.user.token).sid })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(ws.user.id)
      .setIssuer("bespoke-crm")
      .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(new TextEncoder().encode(env.JWT_SECRET));
    expectProblem(await api("/api/auth/me", { token }), 401);
  });

  it("accepts a token signed with the previous secret during a rotation", async () => {
    const token = await signToken({ sub: ws.user.id, ws: ws.id, role: "USER", tv: 0, sid: claimsOf(ws.user.token).sid }, env.JWT_SECRET_PREVIOUS!, 3600);
    expect((await api("/api/auth/me", { token })).status).toBe(200);
  });

  it("401s a token whose user id belongs to another workspace than its claim", async () => {
    const other = await createWorkspace();
    const token = await signToken({ sub: other.user.id, ws: ws.id, role: "ADMIN", tv: 0, sid: claimsOf(other.user.token).sid }, env.JWT_SECRET, 3600);
    expectProblem(await api("/api/auth/me", { token }), 401);
  });
});
