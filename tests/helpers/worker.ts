import { env, exports } from "cloudflare:workers";
import { createDatabase } from "../../db/client";
import { pipelineStages, users, workspaces } from "../../db/schema";
import { DEFAULT_STAGES } from "../../db/seed";
import { signToken } from "../../worker/lib/jwt";
import { hashPassword } from "../../worker/lib/password";
import type { Role } from "../../worker/schemas/common";

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
      const stages = await tx
        .insert(pipelineStages)
        .values(DEFAULT_STAGES.map((s, i) => ({ ...s, workspaceId: ws!.id, position: i })))
        .returning();
      const made = await tx
        .insert(users)
        .values((["ADMIN", "USER", "VIEWER"] as const).map((role) => ({ workspaceId: ws!.id, role, email: `${role.toLowerCase()}.${slug}@example.test`, name: `${role} ${slug}`, passwordHash })))
        .returning();
      const toTest = async (role: Role): Promise<TestUser> => {
        const u = made.find((m) => m.role === role)!;
        const token = await signToken({ sub: u.id, ws: ws!.id, role, tv: u.tokenVersion }, env.JWT_SECRET, 3600);
        return { id: u.id, email: u.email, role, token, password: PASSWORD };
      };
      return { id: ws!.id, stages: stages.sort((a, b) => a.position - b.position), admin: await toTest("ADMIN"), user: await toTest("USER"), viewer: await toTest("VIEWER") };
    });
  } finally {
    await db.close();
  }
}
