import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, users } from "../../db/schema";
import { deactivateUser } from "../../worker/services/users/deactivate";
import { updateUser } from "../../worker/services/users/update";
import { api, createWorkspace, testDb, unique, type TestWorkspace } from "../helpers/worker";

let ws: TestWorkspace;
let other: TestWorkspace;
beforeAll(async () => {
  [ws, other] = await Promise.all([createWorkspace(), createWorkspace()]);
});

type Res = { status: number; headers: Headers; body: any };
const expectProblem = (res: Res, status: number) => {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  expect(res.body).toMatchObject({ status, title: expect.any(String), detail: expect.any(String) });
};
const paths = (res: Res) => (res.body.errors ?? []).map((e: any) => e.path);
const login = (email: string, password: string) => api("/api/auth/login", { method: "POST", body: { email, password } });
const email = () => `${unique("person")}@example.test`;
const PASSWORD = "a long enough passphrase";

/** A fresh USER in `w` created through the API, with a chosen password. */
async function newUser(w: TestWorkspace, over: Record<string, unknown> = {}) {
  const body = { email: email(), name: `Pat ${unique("n")}`, role: "USER", password: PASSWORD, ...over };
  const res = await api("/api/users", { method: "POST", token: w.admin.token, body });
  expect(res.status).toBe(201);
  return { ...res.body.user, password: body.password as string };
}

async function auditFor(userId: string) {
  return testDb().http.select().from(auditLog).where(eq(auditLog.entityId, userId)).orderBy(auditLog.at);
}

describe("users — security", () => {
  it("lets every role read users but only ADMIN change them; no token is 401", async () => {
    for (const who of [ws.viewer, ws.user, ws.admin]) {
      expect((await api("/api/users", { token: who.token })).status).toBe(200);
      expect((await api(`/api/users/${ws.admin.id}`, { token: who.token })).status).toBe(200);
    }
    const target = ws.viewer.id;
    const writes: [string, string, unknown?][] = [
      ["POST", "/api/users", { email: email(), name: "X", role: "USER" }],
      ["PATCH", `/api/users/${target}`, { name: "Renamed" }],
      ["POST", `/api/users/${target}/deactivate`],
      ["POST", `/api/users/${target}/reactivate`],
      ["POST", `/api/users/${target}/reset-password`],
    ];
    for (const [method, path, body] of writes) {
      expectProblem(await api(path, { method, body }), 401);
      expectProblem(await api(path, { method, body, token: ws.user.token }), 403);
      expectProblem(await api(path, { method, body, token: ws.viewer.token }), 403);
    }
    expectProblem(await api("/api/users"), 401);
    expectProblem(await api(`/api/users/${target}`), 401);
    // Nothing above changed the viewer.
    const [row] = await testDb().http.select().from(users).where(eq(users.id, target));
    expect(row).toMatchObject({ name: expect.stringContaining("VIEWER"), active: true, tokenVersion: 0 });
  });

  it("answers 404 for another workspace's user on every route and leaves them untouched", async () => {
    const foreign = other.user.id;
    expectProblem(await api(`/api/users/${foreign}`, { token: ws.viewer.token }), 404);
    expectProblem(await api(`/api/users/${foreign}`, { method: "PATCH", token: ws.admin.token, body: { role: "ADMIN" } }), 404);
    for (const verb of ["deactivate", "reactivate", "reset-password"]) {
      expectProblem(await api(`/api/users/${foreign}/${verb}`, { method: "POST", token: ws.admin.token }), 404);
    }
    expectProblem(await api("/api/users/not-a-uuid", { token: ws.admin.token }), 404);
    expect((await api("/api/auth/me", { token: other.user.token })).body.user).toMatchObject({ role: "USER", active: true });
  });

  it("never returns a password hash", async () => {
    const res = await api("/api/users", { token: ws.admin.token });
    expect(JSON.stringify(res.body)).not.toMatch(/pbkdf2|passwordHash/);
  });
});

describe("GET /api/users", () => {
  it("lists the workspace's users by name with role, active and text filters", async () => {
    const w = await createWorkspace();
    const zed = await newUser(w, { name: "Zed Viewer", role: "VIEWER" });
    const amy = await newUser(w, { name: "Amy Admin", role: "ADMIN" });
    const bob = await newUser(w, { name: "Bob Inactive" });
    expect((await api(`/api/users/${bob.id}/deactivate`, { method: "POST", token: w.admin.token })).status).toBe(200);

    const all = await api("/api/users?limit=200", { token: w.viewer.token });
    expect(all.status).toBe(200);
    const names = all.body.data.map((u: any) => u.name);
    expect(names).toEqual([...names].sort((a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(all.body.data.map((u: any) => u.id)).toEqual(expect.arrayContaining([w.admin.id, w.user.id, w.viewer.id, zed.id, amy.id, bob.id]));
    expect(all.body.data).toHaveLength(6);
    expect(all.body.data.every((u: any) => u.workspaceId === w.id)).toBe(true);

    const admins = await api("/api/users?role=ADMIN", { token: w.viewer.token });
    expect(admins.body.data.map((u: any) => u.id).sort()).toEqual([w.admin.id, amy.id].sort());
    const inactive = await api("/api/users?active=false", { token: w.viewer.token });
    expect(inactive.body.data.map((u: any) => u.id)).toEqual([bob.id]);
    const active = await api("/api/users?active=true", { token: w.viewer.token });
    expect(active.body.data.map((u: any) => u.id)).not.toContain(bob.id);
    expect(active.body.data).toHaveLength(5);
    const byName = await api("/api/users?q=ZED", { token: w.viewer.token });
    expect(byName.body.data.map((u: any) => u.id)).toEqual([zed.id]);
    const byEmail = await api(`/api/users?q=${encodeURIComponent(amy.email.split("@")[0])}`, { token: w.viewer.token });
    expect(byEmail.body.data.map((u: any) => u.id)).toEqual([amy.id]);
    // LIKE wildcards in q are literal.
    expect((await api("/api/users?q=%25", { token: w.viewer.token })).body.data).toEqual([]);
  });

  it("pages with a cursor without skipping or repeating anyone", async () => {
    const w = await createWorkspace();
    // Same names on purpose: the id breaks ties in the keyset.
    for (let i = 0; i < 4; i++) await newUser(w, { name: "Same Name" });
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: Res = await api(`/api/users?limit=2${cursor ? `&cursor=${cursor}` : ""}`, { token: w.user.token });
      expect(res.status).toBe(200);
      expect(res.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.data.map((u: any) => u.id));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(4);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
  });

  it("rejects a bad filter or cursor with 400 naming it", async () => {
    const bad = await api("/api/users?role=OWNER&limit=0", { token: ws.user.token });
    expectProblem(bad, 400);
    expect(paths(bad).sort()).toEqual(["limit", "role"]);
    const cursor = await api("/api/users?cursor=garbage", { token: ws.user.token });
    expectProblem(cursor, 400);
    expect(paths(cursor)).toEqual(["cursor"]);
  });
});

describe("POST /api/users", () => {
  it("creates a user with a temporary password shown once, which must be changed", async () => {
    const addr = email();
    const res = await api("/api/users", { method: "POST", token: ws.admin.token, body: { email: `  ${addr.toUpperCase()} `, name: "Temp Tina", role: "USER" } });
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({ email: addr, name: "Temp Tina", role: "USER", active: true, mustChangePassword: true, workspaceId: ws.id });
    const temp = res.body.temporaryPassword;
    expect(temp).toMatch(/^[A-Za-z0-9]{4}(-[A-Za-z0-9]{4}){3}$/);
    // Shown once: reading the user again never reveals it.
    const again = await api(`/api/users/${res.body.user.id}`, { token: ws.admin.token });
    expect(again.status).toBe(200);
    expect(JSON.stringify(again.body)).not.toContain(temp);
    const [row] = await testDb().http.select().from(users).where(eq(users.id, res.body.user.id));
    expect(row!.passwordHash).not.toContain(temp);

    const signedIn = await login(addr, temp);
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.user).toMatchObject({ id: res.body.user.id, mustChangePassword: true });
  });

  it("creates a user with a chosen password, who signs in without a forced change", async () => {
    const u = await newUser(ws, { role: "VIEWER" });
    expect(u).toMatchObject({ role: "VIEWER", mustChangePassword: false });
    const signedIn = await login(u.email, PASSWORD);
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.user.mustChangePassword).toBe(false);
    // A new VIEWER really is a VIEWER.
    expectProblem(await api("/api/accounts", { method: "POST", token: signedIn.body.token, body: { name: "Nope" } }), 403);
  });

  it("refuses a duplicate e-mail, in any letter case and in any workspace, with 409 naming email", async () => {
    const taken = await api("/api/users", { method: "POST", token: ws.admin.token, body: { email: ws.user.email.toUpperCase(), name: "Dup", role: "USER" } });
    expectProblem(taken, 409);
    expect(paths(taken)).toEqual(["email"]);
    const foreign = await api("/api/users", { method: "POST", token: ws.admin.token, body: { email: other.viewer.email, name: "Dup", role: "USER" } });
    expectProblem(foreign, 409);
    expect(paths(foreign)).toEqual(["email"]);
  });

  it("lets exactly one of two simultaneous creations with the same e-mail win", async () => {
    const addr = email();
    const results = await Promise.all(
      [ws.admin.token, other.admin.token].map((token) => api("/api/users", { method: "POST", token, body: { email: addr, name: "Race", role: "USER", password: PASSWORD } })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(paths(results.find((r) => r.status === 409)!)).toEqual(["email"]);
  });

  it("enforces the password policy and field rules with 422", async () => {
    const cases: [unknown, string[]][] = [
      [{ email: email(), name: "Short", role: "USER", password: "short" }, ["password"]],
      [{ email: email(), name: "Common", role: "USER", password: "Password123" }, ["password"]],
      [{ email: email(), name: "Repeat", role: "USER", password: "zzzzzzzzzzzz" }, ["password"]],
      [{ email: email(), name: "Long", role: "USER", password: "x".repeat(300) }, ["password"]],
      [{ email: "not-an-email", name: "", role: "OWNER" }, ["email", "name", "role"]],
      [{ email: email(), name: "Extra", role: "USER", passwordHash: "x" }, ["passwordHash"]],
    ];
    for (const [body, fields] of cases) {
      const res = await api("/api/users", { method: "POST", token: ws.admin.token, body });
      expectProblem(res, 422);
      expect(paths(res).sort()).toEqual(fields);
    }
    const addr = email();
    const ownName = await api("/api/users", { method: "POST", token: ws.admin.token, body: { email: addr, name: "Self", role: "USER", password: addr } });
    expectProblem(ownName, 422);
    expect((await api(`/api/users?q=${encodeURIComponent(addr)}`, { token: ws.admin.token })).body.data).toEqual([]);
  });

  it("writes a user.create audit entry without any password material", async () => {
    const u = await newUser(ws, { name: "Audited Al" });
    const [entry] = await auditFor(u.id);
    expect(entry).toMatchObject({ action: "user.create", entityType: "user", actorId: ws.admin.id, workspaceId: ws.id });
    expect(entry!.changes).toMatchObject({ email: { from: null, to: u.email }, name: { from: null, to: "Audited Al" }, role: { from: null, to: "USER" } });
    expect(JSON.stringify(entry!.changes)).not.toMatch(/pbkdf2|passwordHash|a long enough/);
  });
});

describe("PATCH /api/users/:id", () => {
  it("renames and changes the role, effective on the user's very next request", async () => {
    const u = await newUser(ws);
    const token = (await login(u.email, PASSWORD)).body.token;
    expectProblem(await api("/api/audit", { token }), 403);
    const res = await api(`/api/users/${u.id}`, { method: "PATCH", token: ws.admin.token, body: { name: "Promoted Pam", role: "ADMIN" } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: u.id, name: "Promoted Pam", role: "ADMIN" });
    expect((await api("/api/audit", { token })).status).toBe(200);

    const entries = await auditFor(u.id);
    expect(entries.at(-1)).toMatchObject({ action: "user.update", changes: { name: { from: u.name, to: "Promoted Pam" }, role: { from: "USER", to: "ADMIN" } } });
    // Demote back: again at once.
    expect((await api(`/api/users/${u.id}`, { method: "PATCH", token: ws.admin.token, body: { role: "VIEWER" } })).status).toBe(200);
    expectProblem(await api("/api/accounts", { method: "POST", token, body: { name: "Nope" } }), 403);
  });

  it("writes no audit entry when nothing changes, and rejects invalid fields", async () => {
    const u = await newUser(ws);
    const same = await api(`/api/users/${u.id}`, { method: "PATCH", token: ws.admin.token, body: { name: u.name, role: "USER" } });
    expect(same.status).toBe(200);
    expect((await auditFor(u.id)).map((e) => e.action)).toEqual(["user.create"]);
    const bad = await api(`/api/users/${u.id}`, { method: "PATCH", token: ws.admin.token, body: { name: " ", role: "GOD", email: "x@y.z" } });
    expectProblem(bad, 422);
    expect(paths(bad).sort()).toEqual(["email", "name", "role"]);
  });
});

describe("last active admin", () => {
  it("cannot be demoted or deactivated; once another admin exists, it can", async () => {
    const w = await createWorkspace();
    const demote = await api(`/api/users/${w.admin.id}`, { method: "PATCH", token: w.admin.token, body: { role: "USER" } });
    expectProblem(demote, 409);
    expect(demote.body.detail).toMatch(/last active admin/i);
    expectProblem(await api(`/api/users/${w.admin.id}/deactivate`, { method: "POST", token: w.admin.token }), 409);
    // An inactive admin does not count as a manager of the workspace.
    const dormant = await newUser(w, { role: "ADMIN" });
    expect((await api(`/api/users/${dormant.id}/deactivate`, { method: "POST", token: w.admin.token })).status).toBe(200);
    expectProblem(await api(`/api/users/${w.admin.id}`, { method: "PATCH", token: w.admin.token, body: { role: "VIEWER" } }), 409);
    expect((await api("/api/auth/me", { token: w.admin.token })).body.user.role).toBe("ADMIN");

    expect((await api(`/api/users/${w.user.id}`, { method: "PATCH", token: w.admin.token, body: { role: "ADMIN" } })).status).toBe(200);
    expect((await api(`/api/users/${w.admin.id}`, { method: "PATCH", token: w.admin.token, body: { role: "USER" } })).status).toBe(200);
    // Now the former user is the last admin.
    expectProblem(await api(`/api/users/${w.user.id}/deactivate`, { method: "POST", token: w.user.token }), 409);
  });

  it("survives two admins demoting each other at the same moment: exactly one succeeds", async () => {
    const w = await createWorkspace();
    const second = await newUser(w, { role: "ADMIN" });
    // Straight to the services, each on its own connection: through HTTP the loser could fail earlier, at the
    // auth check, because the winner has already demoted it — this aims at the transaction itself.
    const [dbA, dbB] = [testDb(), testDb()];
    try {
      const results = await Promise.allSettled([
        updateUser({ db: dbA, actor: { userId: w.admin.id, workspaceId: w.id }, id: second.id, patch: { role: "USER" } }),
        deactivateUser({ db: dbB, actor: { userId: second.id, workspaceId: w.id }, id: w.admin.id }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
      const failure = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
      expect(failure.reason).toMatchObject({ status: 409 });
    } finally {
      await Promise.all([dbA.close(), dbB.close()]);
    }
    const admins = await api("/api/users?role=ADMIN&active=true", { token: w.viewer.token });
    expect(admins.body.data).toHaveLength(1);
  });
});

describe("deactivate / reactivate", () => {
  it("ends the user's sessions at once, refuses sign-in, and reactivation lets them sign in again", async () => {
    const u = await newUser(ws);
    const token = (await login(u.email, PASSWORD)).body.token;
    expect((await api("/api/auth/me", { token })).status).toBe(200);

    const off = await api(`/api/users/${u.id}/deactivate`, { method: "POST", token: ws.admin.token });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ id: u.id, active: false });
    expectProblem(await api("/api/auth/me", { token }), 401);
    expectProblem(await api("/api/accounts", { token }), 401);
    expectProblem(await login(u.email, PASSWORD), 401);
    // Idempotent: a second call changes nothing and writes no second entry.
    expect((await api(`/api/users/${u.id}/deactivate`, { method: "POST", token: ws.admin.token })).status).toBe(200);

    const on = await api(`/api/users/${u.id}/reactivate`, { method: "POST", token: ws.admin.token });
    expect(on.status).toBe(200);
    expect(on.body.active).toBe(true);
    const again = await login(u.email, PASSWORD);
    expect(again.status).toBe(200);
    expect((await api("/api/auth/me", { token: again.body.token })).status).toBe(200);
    // The token from before the deactivation stays dead.
    expectProblem(await api("/api/auth/me", { token }), 401);

    const actions = (await auditFor(u.id)).map((e) => e.action);
    expect(actions).toEqual(["user.create", "user.deactivate", "user.reactivate"]);
    const entries = await auditFor(u.id);
    expect(entries[1]!.changes).toMatchObject({ active: { from: true, to: false } });
    expect(entries[2]!.changes).toMatchObject({ active: { from: false, to: true } });
  });
});

describe("admin password reset and change-password", () => {
  it("reset: old password and sessions fail, the temporary one works and must be changed; change-password clears it", async () => {
    const u = await newUser(ws);
    const oldToken = (await login(u.email, PASSWORD)).body.token;

    const reset = await api(`/api/users/${u.id}/reset-password`, { method: "POST", token: ws.admin.token });
    expect(reset.status).toBe(200);
    expect(reset.body.user).toMatchObject({ id: u.id, mustChangePassword: true });
    const temp = reset.body.temporaryPassword as string;
    expect(temp.length).toBeGreaterThanOrEqual(10);
    expectProblem(await api("/api/auth/me", { token: oldToken }), 401);
    expectProblem(await login(u.email, PASSWORD), 401);

    const tempLogin = await login(u.email, temp);
    expect(tempLogin.status).toBe(200);
    expect(tempLogin.body.user.mustChangePassword).toBe(true);
    const tempToken = tempLogin.body.token;
    const otherSession = (await login(u.email, temp)).body.token;

    const changed = await api("/api/auth/change-password", { method: "POST", token: tempToken, body: { currentPassword: temp, newPassword: "my own new passphrase" } });
    expect(changed.status).toBe(200);
    expect(changed.body.user).toMatchObject({ id: u.id, mustChangePassword: false });
    expect(changed.body.token).not.toBe(tempToken);
    // The caller stays signed in with the fresh token; every older session ends.
    expect((await api("/api/auth/me", { token: changed.body.token })).body.user.mustChangePassword).toBe(false);
    expectProblem(await api("/api/auth/me", { token: tempToken }), 401);
    expectProblem(await api("/api/auth/me", { token: otherSession }), 401);
    expectProblem(await login(u.email, temp), 401);
    expect((await login(u.email, "my own new passphrase")).status).toBe(200);

    const entries = await auditFor(u.id);
    const resetEntry = entries.find((e) => e.action === "user.reset_password")!;
    expect(resetEntry.actorId).toBe(ws.admin.id);
    expect(resetEntry.changes).toMatchObject({ mustChangePassword: { from: false, to: true }, password: { from: "[hidden]", to: "[hidden]" } });
    const changeEntry = entries.find((e) => e.action === "user.change_password")!;
    expect(changeEntry.actorId).toBe(u.id);
    expect(changeEntry.changes).toMatchObject({ mustChangePassword: { from: true, to: false } });
    const all = JSON.stringify(entries.map((e) => e.changes));
    expect(all).not.toContain(temp);
    expect(all).not.toMatch(/pbkdf2|passphrase/);
  });

  it("change-password works for every role, including a VIEWER", async () => {
    const w = await createWorkspace();
    const res = await api("/api/auth/change-password", { method: "POST", token: w.viewer.token, body: { currentPassword: w.viewer.password, newPassword: "viewer picks a new one" } });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ id: w.viewer.id, role: "VIEWER", workspaceName: expect.any(String) });
    expect((await login(w.viewer.email, "viewer picks a new one")).status).toBe(200);
  });

  it("change-password refuses a wrong current password, a weak or unchanged new one, and no token", async () => {
    const u = await newUser(ws);
    const token = (await login(u.email, PASSWORD)).body.token;
    const wrong = await api("/api/auth/change-password", { method: "POST", token, body: { currentPassword: "not my password", newPassword: "something brand new" } });
    expectProblem(wrong, 422);
    expect(paths(wrong)).toEqual(["currentPassword"]);
    const weak = await api("/api/auth/change-password", { method: "POST", token, body: { currentPassword: PASSWORD, newPassword: "qwertyuiop" } });
    expectProblem(weak, 422);
    expect(paths(weak)).toEqual(["newPassword"]);
    const short = await api("/api/auth/change-password", { method: "POST", token, body: { currentPassword: PASSWORD, newPassword: "tiny" } });
    expect(paths(short)).toEqual(["newPassword"]);
    const asEmail = await api("/api/auth/change-password", { method: "POST", token, body: { currentPassword: PASSWORD, newPassword: u.email.toUpperCase() } });
    expect(paths(asEmail)).toEqual(["newPassword"]);
    const same = await api("/api/auth/change-password", { method: "POST", token, body: { currentPassword: PASSWORD, newPassword: PASSWORD } });
    expectProblem(same, 422);
    expect(paths(same)).toEqual(["newPassword"]);
    const missing = await api("/api/auth/change-password", { method: "POST", token, body: {} });
    expectProblem(missing, 422);
    expect(paths(missing).sort()).toEqual(["currentPassword", "newPassword"]);
    expectProblem(await api("/api/auth/change-password", { method: "POST", body: { currentPassword: PASSWORD, newPassword: "something brand new" } }), 401);
    // None of the failures changed anything: the session and password still work.
    expect((await api("/api/auth/me", { token })).status).toBe(200);
    expect((await login(u.email, PASSWORD)).status).toBe(200);
    expect((await auditFor(u.id)).map((e) => e.action)).toEqual(["user.create"]);
  });
});

describe("OpenAPI", () => {
  it("documents the users, audit, stages and change-password routes", async () => {
    const res = await api("/api/openapi.json");
    expect(res.status).toBe(200);
    const p = res.body.paths;
    expect(Object.keys(p["/api/users"])).toEqual(expect.arrayContaining(["get", "post"]));
    expect(Object.keys(p["/api/users/{id}"])).toEqual(expect.arrayContaining(["get", "patch"]));
    for (const verb of ["deactivate", "reactivate", "reset-password"]) expect(p[`/api/users/{id}/${verb}`].post).toBeDefined();
    expect(p["/api/auth/change-password"].post.requestBody).toBeDefined();
    expect(p["/api/audit"].get.parameters.map((x: any) => x.name)).toEqual(expect.arrayContaining(["entityType", "entityId", "actorId", "action", "from", "to", "cursor"]));
    expect(Object.keys(p["/api/pipeline/stages"])).toEqual(expect.arrayContaining(["get", "put"]));
  });
});
