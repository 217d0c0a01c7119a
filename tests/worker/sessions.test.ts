import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, sessions } from "../../db/schema";
import { api, cookieOf, createWorkspace, refresh, signIn, testDb, type TestWorkspace } from "../helpers/worker";

/**
 * Sliding sessions: a short access token (Bearer) plus a refresh token in an HttpOnly cookie that rotates on every
 * use. The happy path, then what must end a session: reuse of a rotated token, sign-out, sign-out everywhere,
 * idle and absolute expiry, password changes and deactivation.
 */

let ws: TestWorkspace;
beforeAll(async () => {
  ws = await createWorkspace();
});

const claimsOf = (token: string) => JSON.parse(atob(token.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/")));
const me = (token: string) => api("/api/auth/me", { token });

async function sessionRow(id: string) {
  return (await testDb().http.select().from(sessions).where(eq(sessions.id, id)))[0]!;
}

describe("sign-in and refresh", () => {
  it("sign-in answers the access token as before and sets the refresh token only as a locked-down cookie", async () => {
    const { body, setCookie } = await signIn(ws.user.email, ws.user.password);
    expect(body).toMatchObject({ token: expect.any(String), expiresAt: expect.any(String), user: { id: ws.user.id } });
    expect(Object.keys(body).sort()).toEqual(["expiresAt", "token", "user"]);
    // 900 s from wrangler.toml: short-lived.
    const ttl = Date.parse(body.expiresAt) - Date.now();
    expect(ttl).toBeGreaterThan(850_000);
    expect(ttl).toBeLessThanOrEqual(900_000);
    expect(claimsOf(body.token).exp - claimsOf(body.token).iat).toBe(900);
    expect(setCookie).toMatch(/^__Secure-bespoke_refresh=[A-Za-z0-9_-]{43};/);
    for (const attribute of ["HttpOnly", "Secure", "SameSite=Strict", "Path=/api/auth/refresh"]) expect(setCookie).toContain(attribute);
    expect(setCookie).toMatch(/Max-Age=\d+/);
    // Only a hash of the refresh token is stored.
    const value = setCookie.split(";")[0]!.split("=")[1]!;
    const row = await sessionRow(claimsOf(body.token).sid);
    expect(row).toMatchObject({ userId: ws.user.id, generation: 0, revokedAt: null });
    expect(JSON.stringify(await testDb().http.execute(`select * from session_refresh_tokens where session_id = '${row.id}'`))).not.toContain(value);
  });

  it("a refresh answers a new access token for the same session and rotates the cookie; the session slides", async () => {
    const first = await signIn(ws.user.email, ws.user.password);
    const sid = claimsOf(first.token).sid;
    const before = await sessionRow(sid);
    const res = await refresh(first.cookie);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ token: expect.any(String), expiresAt: expect.any(String), user: { id: ws.user.id, role: "USER" } });
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(claimsOf(res.body.token).sid).toBe(sid);
    expect(cookieOf(res)).toMatch(/^__Secure-bespoke_refresh=/);
    expect(cookieOf(res)).not.toBe(first.cookie);
    expect((await me(res.body.token)).status).toBe(200);
    const after = await sessionRow(sid);
    expect(after.generation).toBe(1);
    expect(after.idleExpiresAt.getTime()).toBeGreaterThanOrEqual(before.idleExpiresAt.getTime());
    expect(after.lastRefreshedAt).not.toBeNull();
    // The next rotation takes the new cookie.
    expect((await refresh(cookieOf(res))).status).toBe(200);
  });

  it("an expired access token is refused, and the refresh cookie still gets the user a new one", async () => {
    const { token, cookie } = await signIn(ws.user.email, ws.user.password);
    const claims = claimsOf(token);
    const expired = await new SignJWT({ ws: claims.ws, role: claims.role, tv: claims.tv, sid: claims.sid })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(claims.sub)
      .setIssuer("bespoke-crm")
      .setIssuedAt(claims.iat - 1000)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 1)
      .sign(new TextEncoder().encode(env.JWT_SECRET));
    expect((await me(expired)).status).toBe(401);
    const res = await refresh(cookie);
    expect(res.status).toBe(200);
    expect((await me(res.body.token)).status).toBe(200);
  });

  it("a second tab refreshing with the cookie just rotated gets an access token and leaves the new cookie alone", async () => {
    const { cookie } = await signIn(ws.user.email, ws.user.password);
    const a = await refresh(cookie);
    const b = await refresh(cookie);
    expect(b.status, JSON.stringify(b.body)).toBe(200);
    expect(b.headers.get("set-cookie")).toBeNull();
    expect((await me(b.body.token)).status).toBe(200);
    expect((await refresh(cookieOf(a))).status).toBe(200);
  });

  it("without the cookie, with no X-Requested-With or from a foreign origin, a refresh is refused", async () => {
    const { cookie } = await signIn(ws.user.email, ws.user.password);
    const none = await refresh(undefined);
    expect(none.status).toBe(401);
    expect(none.headers.get("content-type")).toContain("application/problem+json");
    expect((await refresh(cookie, {})).status).toBe(403);
    const foreign = await refresh(cookie, { "X-Requested-With": "fetch", Origin: "https://evil.example" });
    expect(foreign.status).toBe(403);
    expect(foreign.body.detail).toMatch(/evil\.example/);
    expect((await refresh("__Secure-bespoke_refresh=made-up-token")).status).toBe(401);
    // None of that spent the real cookie.
    expect((await refresh(cookie, { "X-Requested-With": "fetch", Origin: "http://crm.test" })).status).toBe(200);
  });
});

describe("what ends a session", () => {
  it("a rotated refresh token used again revokes the whole session, for thief and owner alike, and is audited", async () => {
    const stolen = await signIn(ws.viewer.email, ws.viewer.password);
    const otherDevice = await signIn(ws.viewer.email, ws.viewer.password);
    const r1 = await refresh(stolen.cookie);
    const r2 = await refresh(cookieOf(r1));
    expect(r2.status).toBe(200);
    // The first cookie is two rotations old: no tab can still legitimately hold it.
    const replay = await refresh(stolen.cookie);
    expect(replay.status).toBe(401);
    expect(replay.headers.get("set-cookie")).toMatch(/^__Secure-bespoke_refresh=;.*Max-Age=0/);
    expect((await refresh(cookieOf(r2))).status).toBe(401);
    expect((await me(r2.body.token)).status).toBe(401);
    expect(await sessionRow(claimsOf(stolen.token).sid)).toMatchObject({ revokedReason: "refresh_token_reuse", revokedAt: expect.any(Date) });
    const audit = await testDb().http.select().from(auditLog).where(and(eq(auditLog.entityId, ws.viewer.id), eq(auditLog.action, "user.session_revoked")));
    expect(audit).toHaveLength(1);
    // Another device's session is its own family and carries on.
    expect((await me(otherDevice.token)).status).toBe(200);
    expect((await refresh(otherDevice.cookie)).status).toBe(200);
  });

  it("sign-out revokes this session's access token at once and clears the cookie; other devices stay signed in", async () => {
    const here = await signIn(ws.user.email, ws.user.password);
    const there = await signIn(ws.user.email, ws.user.password);
    expect((await me(here.token)).status).toBe(200);
    const out = await api("/api/auth/logout", { method: "POST", token: here.token });
    expect(out.status).toBe(200);
    expect(out.body).toEqual({ revoked: 1 });
    expect(out.headers.get("set-cookie")).toMatch(/^__Secure-bespoke_refresh=;.*Max-Age=0.*Path=\/api\/auth\/refresh/);
    expect((await me(here.token)).status).toBe(401);
    expect((await refresh(here.cookie)).status).toBe(401);
    expect((await me(there.token)).status).toBe(200);
    expect(await sessionRow(claimsOf(here.token).sid)).toMatchObject({ revokedReason: "sign_out" });
  });

  it("sign out everywhere ends every session of the user at once, is audited, and leaves API keys working", async () => {
    const mine = await createWorkspace();
    const laptop = await signIn(mine.admin.email, mine.admin.password);
    const phone = await signIn(mine.admin.email, mine.admin.password);
    const key = await api("/api/api-keys", { method: "POST", token: laptop.token, body: { name: "integration", role: "VIEWER" } });
    expect(key.status).toBe(201);
    const colleague = await signIn(mine.user.email, mine.user.password);

    const out = await api("/api/auth/logout-all", { method: "POST", token: phone.token });
    expect(out.status).toBe(200);
    // The two sign-ins here plus the fixture's own session.
    expect(out.body).toEqual({ revoked: 3 });
    for (const token of [laptop.token, phone.token, mine.admin.token]) expect((await me(token)).status).toBe(401);
    for (const cookie of [laptop.cookie, phone.cookie]) expect((await refresh(cookie)).status).toBe(401);
    expect((await api("/api/accounts", { token: key.body.secret })).status).toBe(200);
    expect((await me(colleague.token)).status).toBe(200);
    const audit = await testDb().http.select().from(auditLog).where(and(eq(auditLog.entityId, mine.admin.id), eq(auditLog.action, "user.sign_out_everywhere")));
    expect(audit).toHaveLength(1);
  });

  it("an idle session ends, and so does one past its absolute lifetime however active", async () => {
    const idle = await signIn(ws.user.email, ws.user.password);
    await testDb().http.update(sessions).set({ idleExpiresAt: new Date(Date.now() - 1000) }).where(eq(sessions.id, claimsOf(idle.token).sid));
    expect((await refresh(idle.cookie)).status).toBe(401);
    expect((await me(idle.token)).status).toBe(401);

    const old = await signIn(ws.user.email, ws.user.password);
    const sid = claimsOf(old.token).sid;
    // Sliding never goes past the absolute deadline.
    const absolute = new Date(Date.now() + 60_000);
    await testDb().http.update(sessions).set({ absoluteExpiresAt: absolute }).where(eq(sessions.id, sid));
    const slid = await refresh(old.cookie);
    expect(slid.status).toBe(200);
    expect((await sessionRow(sid)).idleExpiresAt.getTime()).toBe(absolute.getTime());
    await testDb().http.update(sessions).set({ absoluteExpiresAt: new Date(Date.now() - 1000) }).where(eq(sessions.id, sid));
    expect((await refresh(cookieOf(slid))).status).toBe(401);
    expect((await me(slid.body.token)).status).toBe(401);
  });

  it("changing the password ends every other session and keeps this one refreshing", async () => {
    const mine = await createWorkspace();
    const here = await signIn(mine.user.email, mine.user.password);
    const there = await signIn(mine.user.email, mine.user.password);
    const changed = await api("/api/auth/change-password", { method: "POST", token: here.token, body: { currentPassword: mine.user.password, newPassword: "a brand new passphrase 2027" } });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body).toMatchObject({ token: expect.any(String), expiresAt: expect.any(String) });
    expect(claimsOf(changed.body.token).sid).toBe(claimsOf(here.token).sid);
    expect((await me(changed.body.token)).status).toBe(200);
    expect((await me(there.token)).status).toBe(401);
    expect((await refresh(there.cookie)).status).toBe(401);
    expect(await sessionRow(claimsOf(there.token).sid)).toMatchObject({ revokedReason: "password_changed" });
    const renewed = await refresh(here.cookie);
    expect(renewed.status).toBe(200);
    expect((await me(renewed.body.token)).status).toBe(200);
  });

  it("an admin's password reset and a deactivation end the user's sessions, refresh included", async () => {
    const mine = await createWorkspace();
    const reset = await signIn(mine.user.email, mine.user.password);
    expect((await api(`/api/users/${mine.user.id}/reset-password`, { method: "POST", token: mine.admin.token })).status).toBe(200);
    expect((await refresh(reset.cookie)).status).toBe(401);
    expect(await sessionRow(claimsOf(reset.token).sid)).toMatchObject({ revokedReason: "password_reset" });

    const gone = await signIn(mine.viewer.email, mine.viewer.password);
    expect((await api(`/api/users/${mine.viewer.id}/deactivate`, { method: "POST", token: mine.admin.token })).status).toBe(200);
    expect((await refresh(gone.cookie)).status).toBe(401);
    expect(await sessionRow(claimsOf(gone.token).sid)).toMatchObject({ revokedReason: "deactivated" });
  });

  it("a token without a session (issued before sessions existed) is refused", async () => {
    const claims = claimsOf(ws.user.token);
    const legacy = await new SignJWT({ ws: claims.ws, role: claims.role, tv: claims.tv })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(claims.sub)
      .setIssuer("bespoke-crm")
      .setIssuedAt()
      .setExpirationTime("1h")
      .sign(new TextEncoder().encode(env.JWT_SECRET));
    expect((await me(legacy)).status).toBe(401);
  });
});
