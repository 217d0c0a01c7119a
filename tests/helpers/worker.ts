import { env, exports } from "cloudflare:workers";
import { createDatabase, type Executor } from "../../db/client";
import { pipelineStages, users, workspaces } from "../../db/schema";
import { createDefaultPipeline } from "../../db/seed";
import { hashPassword } from "../../worker/lib/password";
import type { Role } from "../../worker/schemas/common";
import { openSession } from "../../worker/services/auth/sessions/open";
import type { SessionPolicy } from "../../worker/services/auth/sessions/policy";

export const BASE = "http://crm.test";

/** Calls the Worker's real fetch handler (middleware, routes, bindings) as an HTTP client would. */
export async function api(
  path: string,
  init: { method?: string; body?: unknown; token?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers; body: any }> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token) headers.Authorization = `Bearer ${init.token}`;
  let body: BodyInit | undefined;
  if (init.body !== undefined) {
    if (typeof init.body === "string" || init.body instanceof FormData) body = init.body as BodyInit;
    else {
      body = JSON.stringify(init.body);
      headers["Content-Type"] ??= "application/json";
    }
  }
  const res = await exports.default.fetch(new Request(`${BASE}${path}`, { method: init.method ?? "GET", headers, body }));
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON: keep the text */
  }
  return { status: res.status, headers: res.headers, body: parsed };
}

/** Session lifetimes of test fixtures: an hour of access, so no fixture token expires during a test file. */
export const TEST_SESSION_POLICY: SessionPolicy = { secret: env.JWT_SECRET, accessTtlSeconds: 3600, idleSeconds: 86_400, maxSeconds: 30 * 86_400, graceSeconds: 20 };

/** A real session for a user row (as a sign-in would open it) and its access token. */
export async function sessionToken(db: Executor, user: { id: string; workspaceId: string; role: Role; tokenVersion: number }): Promise<string> {
  return (await openSession({ db, user, policy: TEST_SESSION_POLICY })).token;
}

/**
 * Signs in through POST /api/auth/login and returns the access token and the refresh cookie as a browser would send
 * it back (`name=value`), with the raw Set-Cookie for attribute checks.
 */
export async function signIn(email: string, password: string): Promise<{ token: string; cookie: string; setCookie: string; body: any }> {
  const res = await api("/api/auth/login", { method: "POST", body: { email, password } });
  if (res.status !== 200) throw new Error(`sign-in of ${email} failed: ${res.status} ${JSON.stringify(res.body)}`);
  const setCookie = res.headers.get("set-cookie") ?? "";
  return { token: res.body.token, cookie: setCookie.split(";")[0]!, setCookie, body: res.body };
}

/** POST /api/auth/refresh with a refresh cookie, as the SPA sends it. */
export function refresh(cookie: string | undefined, headers: Record<string, string> = { "X-Requested-With": "fetch" }) {
  return api("/api/auth/refresh", { method: "POST", headers: { ...headers, ...(cookie ? { Cookie: cookie } : {}) } });
}

/** The `name=value` of the refresh cookie a response sets (empty when it sets none). */
export const cookieOf = (res: { headers: Headers }) => (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "";

export function testDb() {
  return createDatabase(env.DATABASE_URL, env.NEON_LOCAL_PROXY);
}

let seq = 0;
export const unique = (prefix = "t") => `${prefix}-${Date.now().toString(36)}-${(seq++).toString(36)}-${Math.random().toString(36).slice(2, 6)}`;

export interface TestUser {
  id: string;
  email: string;
  role: Role;
  token: string;
  password: string;
}

export interface TestWorkspace {
  id: string;
  stages: (typeof pipelineStages.$inferSelect)[];
  admin: TestUser;
  user: TestUser;
  viewer: TestUser;
}

const PASSWORD = "correct horse battery staple";
// Cheap work factor for test users: login upgrades it to the full one, which the login tests then exercise.
const passwordHashPromise = hashPassword(PASSWORD, 1000);

/** A fresh workspace with the default stages and one user per role, each with a valid session token. */
export async function createWorkspace(): Promise<TestWorkspace> {
  const db = testDb();
  try {
    const slug = unique("ws");
    const passwordHash = await passwordHashPromise;
    return await db.transaction(async (tx) => {
      const [ws] = await tx.insert(workspaces).values({ name: `Test ${slug}`, slug }).returning();
      const stages = await createDefaultPipeline(tx, ws!.id);
      const made = await tx
        .insert(users)
        .values((["ADMIN", "USER", "VIEWER"] as const).map((role) => ({ workspaceId: ws!.id, role, email: `${role.toLowerCase()}.${slug}@example.test`, name: `${role} ${slug}`, passwordHash })))
        .returning();
      const toTest = async (role: Role): Promise<TestUser> => {
        const u = made.find((m) => m.role === role)!;
        const token = await sessionToken(tx, u);
        return { id: u.id, email: u.email, role, token, password: PASSWORD };
      };
      return { id: ws!.id, stages: stages.sort((a, b) => a.position - b.position), admin: await toTest("ADMIN"), user: await toTest("USER"), viewer: await toTest("VIEWER") };
    });
  } finally {
    await db.close();
  }
}

/** Polls until `check` passes: the real queues deliver about a second after the response (max_batch_timeout). */
export async function eventually<T>(fn: () => Promise<T>, check: (v: T) => boolean, what: string, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (check(v)) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v).slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}
