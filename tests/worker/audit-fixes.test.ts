import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { activities, idempotencyKeys, users } from "../../db/schema";
import { callWith } from "../helpers/production";
import { createAccount, expectProblem } from "../helpers/records";
import { hookUrl } from "../helpers/webhooks";
import { api, createWorkspace, testDb, unique, type TestWorkspace } from "../helpers/worker";

/** The security audit's findings (issue 10), each as the behaviour a user or an attacker would notice. */

let ws: TestWorkspace;
let other: TestWorkspace;
beforeAll(async () => {
  [ws, other] = await Promise.all([createWorkspace(), createWorkspace()]);
});

let ipSeq = 0;
const freshIp = () => `203.0.113.${++ipSeq}`;

describe("M1 sign-in lockout cannot be side-stepped with another spelling of the address", () => {
  const limits = { LOGIN_MAX_ATTEMPTS: "5" };
  const login = (email: string, password: string) =>
    callWith(limits, "/api/auth/login", { method: "POST", body: { email, password }, headers: { "CF-Connecting-IP": freshIp() } });

  it("a locked lockme.ii@ stays locked for lockme.İi@ (Turkish capital dotted I), which is refused as not canonical", async () => {
    const w = await createWorkspace();
    const local = `lockme.ii.${unique("x")}`;
    const email = `${local}@demo.test`;
    await testDb().http.update(users).set({ email }).where(eq(users.id, w.user.id));
    for (let i = 0; i < 5; i++) expect((await login(email, "wrong password")).status).toBe(401);
    expect((await login(email, w.user.password)).status).toBe(429);
    const sneaky = email.replace("lockme.ii", "lockme.İi");
    const res = await login(sneaky, w.user.password);
    expect(res.status).not.toBe(200);
    expectProblem(res, 422, ["email"]);
    // Other look-alikes (the Kelvin sign, full-width letters, a combining dot) never reach the account either:
    // refused, locked, or simply another (unknown) address.
    for (const lookalike of [email.replace("k", "\u212a"), email.replace("l", "\uff4c"), email.replace("ii", "i\u0307i")]) {
      expect([401, 422, 429]).toContain((await login(lookalike, w.user.password)).status);
    }
    // Upper case is the same account, and so the same counter.
    expect((await login(email.toUpperCase(), w.user.password)).status).toBe(429);
  });
});

describe("M3 secrets are never kept in idempotency records", () => {
  const storedFor = async (key: string) => {
    const [row] = await testDb().http.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, key));
    return row!;
  };

  it("API key, temporary password and webhook secret: the table holds none; a replay says the secret is redacted", async () => {
    const cases = [
      { path: "/api/api-keys", body: { name: "Zapier", role: "USER" }, field: "secret", looksLike: /^bk_live_/ },
      { path: "/api/users", body: { email: `${unique("temp")}@example.test`, name: "Temp" }, field: "temporaryPassword", looksLike: /.{10,}/ },
      { path: "/api/webhooks", body: { url: hookUrl(unique("idem")), events: ["account.created"] }, field: "secret", looksLike: /^whsec_/ },
    ];
    for (const c of cases) {
      const key = `idem-${crypto.randomUUID()}`;
      const first = await api(c.path, { method: "POST", token: ws.admin.token, body: c.body, headers: { "Idempotency-Key": key } });
      expect(first.status, c.path).toBe(201);
      const secret = first.body[c.field] as string;
      expect(secret, c.path).toMatch(c.looksLike);
      const row = await storedFor(key);
      expect(row.statusCode).toBe(201);
      expect(row.responseBody, c.path).not.toContain(secret);
      expect(row.responseBody).not.toMatch(/bk_live_|whsec_/);
      expect(JSON.parse(row.responseBody!)[c.field]).toBeNull();

      const replay = await api(c.path, { method: "POST", token: ws.admin.token, body: c.body, headers: { "Idempotency-Key": key } });
      expect(replay.status).toBe(201);
      expect(replay.headers.get("idempotent-replayed")).toBe("true");
      expect(replay.headers.get("idempotent-redacted")).toBe("true");
      expect(replay.body.id ?? replay.body.user?.id).toBe(first.body.id ?? first.body.user?.id);
      expect(replay.body[c.field]).toBeNull();
    }
  });

  it("a chosen password in the request is not kept as a plain hash of the body either", async () => {
    const body = { email: `${unique("chosen")}@example.test`, name: "Chosen", password: "a chosen passphrase" };
    const key = `idem-${crypto.randomUUID()}`;
    expect((await api("/api/users", { method: "POST", token: ws.admin.token, body, headers: { "Idempotency-Key": key } })).status).toBe(201);
    const plain = [...new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(JSON.stringify(body))))].map((b) => b.toString(16).padStart(2, "0")).join("");
    const row = await storedFor(key);
    expect(row.requestHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.requestHash).not.toBe(plain);
  });

  it("change-password's fresh session token is not kept either", async () => {
    const w = await createWorkspace();
    const key = `idem-${crypto.randomUUID()}`;
    const res = await api("/api/auth/change-password", { method: "POST", token: w.user.token, body: { currentPassword: w.user.password, newPassword: "a brand new passphrase" }, headers: { "Idempotency-Key": key } });
    expect(res.status).toBe(200);
    const row = await storedFor(key);
    expect(row.responseBody).not.toContain(res.body.token);
    expect(row.responseBody).not.toMatch(/eyJ/);
  });

  it("answers without secrets are stored and replayed unchanged", async () => {
    const key = `idem-${crypto.randomUUID()}`;
    const body = { name: unique("Plain") };
    const first = await api("/api/accounts", { method: "POST", token: ws.user.token, body, headers: { "Idempotency-Key": key } });
    const replay = await api("/api/accounts", { method: "POST", token: ws.user.token, body, headers: { "Idempotency-Key": key } });
    expect(replay.body).toEqual(first.body);
    expect(replay.headers.get("idempotent-redacted")).toBeNull();
  });
});

describe("M4 change-password counts wrong current passwords like failed sign-ins", () => {
  it("locks after LOGIN_MAX_ATTEMPTS wrong guesses, even for the right password, and locks sign-in too", async () => {
    const w = await createWorkspace();
    const limits = { LOGIN_MAX_ATTEMPTS: "3" };
    const change = (currentPassword: string) =>
      callWith(limits, "/api/auth/change-password", { method: "POST", token: w.user.token, body: { currentPassword, newPassword: "another good passphrase" }, headers: { "CF-Connecting-IP": freshIp() } });
    for (let i = 0; i < 3; i++) expect((await change(`wrong ${i}`)).status).toBe(422);
    const locked = await change(w.user.password);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
    const signIn = await callWith(limits, "/api/auth/login", { method: "POST", body: { email: w.user.email, password: w.user.password }, headers: { "CF-Connecting-IP": freshIp() } });
    expect(signIn.status).toBe(429);
  });

  it("a weak new password is not a guess: it does not count", async () => {
    const w = await createWorkspace();
    const limits = { LOGIN_MAX_ATTEMPTS: "2" };
    for (let i = 0; i < 3; i++) {
      const res = await callWith(limits, "/api/auth/change-password", { method: "POST", token: w.user.token, body: { currentPassword: w.user.password, newPassword: "short" }, headers: { "CF-Connecting-IP": freshIp() } });
      expectProblem(res as never, 422, ["newPassword"]);
    }
    const ok = await callWith(limits, "/api/auth/change-password", { method: "POST", token: w.user.token, body: { currentPassword: w.user.password, newPassword: "a perfectly fine passphrase" }, headers: { "CF-Connecting-IP": freshIp() } });
    expect(ok.status).toBe(200);
  });
});

describe("L1 a flood of unknown keys cannot amplify into a huge error list", () => {
  it("refuses an object with more than 1,000 keys (413) before validating it", async () => {
    const body: Record<string, number> = { email: 1, password: 2 };
    for (let i = 0; i < 120_000; i++) body[i.toString(36)] = 1;
    const raw = JSON.stringify(body);
    expect(raw.length).toBeLessThan(1024 * 1024 * 1.6);
    const res = await callWith({ JSON_BODY_MAX_BYTES: String(2 * 1024 * 1024) }, "/api/auth/login", { method: "POST", body: raw, headers: { "Content-Type": "application/json" } });
    expect(res.status).toBe(413);
    expect(res.text.length).toBeLessThan(2000);
  });

  it("caps the error list at 50 entries, the last saying how many more there were", async () => {
    const body: Record<string, number> = { email: 1, password: 2 };
    for (let i = 0; i < 900; i++) body[`k${i}`] = 1;
    const res = await api("/api/auth/login", { method: "POST", body });
    expectProblem(res, 422);
    expect(res.body.errors).toHaveLength(50);
    expect(res.body.errors.at(-1)).toMatchObject({ code: "too_many_errors", message: expect.stringMatching(/and \d+ more problems/) });
    expect(JSON.stringify(res.body).length).toBeLessThan(8000);
  });
});

describe("L3 system-generated activities are read-only", () => {
  it("refuses edits of AI outputs and attachment entries (409); a note stays editable", async () => {
    const account = await createAccount(ws.user);
    const db = testDb().http;
    const [ai, file, note] = await db
      .insert(activities)
      .values([
        { workspaceId: ws.id, type: "ai_summary", subject: "Summary", body: "Model output", properties: { provider: "openai", model: "gpt-5-mini" }, accountId: account.id },
        { workspaceId: ws.id, type: "attachment_added", subject: "Attached x.pdf", properties: { filename: "x.pdf" }, accountId: account.id },
        { workspaceId: ws.id, type: "note", subject: "Mine", accountId: account.id, actorId: ws.user.id },
      ])
      .returning();
    for (const row of [ai!, file!]) {
      const res = await api(`/api/activities/${row.id}`, { method: "PATCH", token: ws.user.token, body: { body: "rewritten", properties: { provider: "me", model: "forged" } } });
      expectProblem(res, 409);
      const [after] = await db.select().from(activities).where(eq(activities.id, row.id));
      expect(after!.properties).toEqual(row.properties);
      expect(after!.body).toBe(row.body);
    }
    expect((await api(`/api/activities/${note!.id}`, { method: "PATCH", token: ws.user.token, body: { body: "edited" } })).status).toBe(200);
  });
});

describe("L5 nothing authenticated or token-bearing is cacheable", () => {
  it("sends Cache-Control: no-store on sign-in, reads, errors and writes", async () => {
    const login = await api("/api/auth/login", { method: "POST", body: { email: ws.viewer.email, password: ws.viewer.password } });
    expect(login.status).toBe(200);
    const responses = [
      login,
      await api("/api/auth/me", { token: ws.user.token }),
      await api("/api/accounts", { token: ws.user.token }),
      await api("/api/accounts", {}),
      await api(`/api/accounts/${crypto.randomUUID()}`, { token: ws.user.token }),
      await api("/api/accounts", { method: "POST", token: ws.user.token, body: { name: unique("Cache") } }),
    ];
    for (const res of responses) expect(res.headers.get("cache-control"), String(res.status)).toMatch(/\bno-store\b/);
  });
});

describe("L6 creating a user does not reveal other workspaces' users", () => {
  const strip = (b: Record<string, unknown>) => ({ ...b, requestId: null });

  it("an address of workspace B gets the very same answer as one of this workspace", async () => {
    const create = (email: string) => api("/api/users", { method: "POST", token: ws.admin.token, body: { email, name: "Probe", role: "USER" } });
    const ours = await create(ws.viewer.email);
    const theirs = await create(other.viewer.email);
    expectProblem(ours, 409, ["email"]);
    expect(strip(theirs.body)).toEqual(strip(ours.body));
    expect(theirs.status).toBe(ours.status);
    expect(JSON.stringify(theirs.body)).not.toMatch(/exist|another workspace|users_email/i);
  });

  it("caps probing: after 10 refused addresses in an hour every create of that workspace waits, a free address too", async () => {
    const a = await createWorkspace();
    const b = await createWorkspace();
    const create = (who: TestWorkspace, email: string) => api("/api/users", { method: "POST", token: who.admin.token, body: { email, name: "Probe", role: "USER" } });
    for (let i = 0; i < 10; i++) expectProblem(await create(a, b.viewer.email), 409, ["email"]);
    const probe = await create(a, b.user.email);
    const free = await create(a, `${unique("free")}@example.test`);
    for (const res of [probe, free]) {
      expectProblem(res, 429);
      expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    }
    expect(strip(probe.body)).toEqual(strip(free.body));
    // Other workspaces keep creating users.
    expect((await create(b, `${unique("free")}@example.test`)).status).toBe(201);
  });
});

describe("tokens and database errors", () => {
  const sign = (claims: Record<string, unknown>, iat: number) =>
    new SignJWT(claims).setProtectedHeader({ alg: "HS256", typ: "JWT" }).setIssuer("bespoke-crm").setIssuedAt(iat).setExpirationTime(iat + 7200).sign(new TextEncoder().encode(env.JWT_SECRET));

  it("a token issued in the future is refused (401)", async () => {
    const [u] = await testDb().http.select().from(users).where(eq(users.id, ws.user.id));
    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: u!.id, ws: ws.id, role: "USER", tv: u!.tokenVersion, sid: sessionIdOf(ws.user.token) };
    expect((await api("/api/auth/me", { token: await sign(claims, now) })).status).toBe(200);
    expectProblem(await api("/api/auth/me", { token: await sign(claims, now + 3600) }), 401);
  });

  it("a token whose subject is not a UUID is a 401, not a 400", async () => {
    const now = Math.floor(Date.now() / 1000);
    expectProblem(await api("/api/auth/me", { token: await sign({ sub: "not-a-uuid", ws: ws.id, role: "ADMIN", tv: 0, sid: sessionIdOf(ws.user.token) }, now) }), 401);
    expectProblem(await api("/api/auth/me", { token: await sign({ sub: ws.user.id, ws: "nope", role: "ADMIN", tv: 0, sid: sessionIdOf(ws.user.token) }, now) }), 401);
  });

  it("a 409 from a unique index does not name the constraint", async () => {
    const externalId = unique("ext");
    await createAccount(ws.user, { externalId });
    const dup = await api("/api/accounts", { method: "POST", token: ws.user.token, body: { name: unique("Dup"), externalId } });
    expectProblem(dup, 409);
    expect(JSON.stringify(dup.body)).not.toMatch(/constraint|_idx|_key|_unique/);
  });
});

/** The session id a signed-in test user's token carries (its payload is plain base64url JSON). */
function sessionIdOf(token: string): string {
  return (JSON.parse(atob(token.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/"))) as { sid: string }).sid;
}
