import { expect } from "vitest";
import { api, unique, type TestUser } from "./worker";

type Res = Awaited<ReturnType<typeof api>>;

/** Asserts an RFC 9457 problem with the given status and, when given, an `errors[]` entry for each field path. */
export function expectProblem(res: Res, status: number, fields: string[] = []) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  expect(res.body).toMatchObject({ status, title: expect.any(String), detail: expect.any(String) });
  const paths = ((res.body.errors ?? []) as { path: string }[]).map((e) => e.path);
  for (const f of fields) expect(paths, `errors[] should name ${f}: ${JSON.stringify(res.body.errors)}`).toContain(f);
  // Never a stack trace or SQL in a client-facing answer.
  expect(JSON.stringify(res.body)).not.toMatch(/\bselect\b|\binsert into\b|at .*\.ts:\d+/i);
}

/** POST /api/<plural> as `who`, expecting 201; returns the created record. */
export async function create(who: TestUser, plural: string, body: Record<string, unknown>): Promise<any> {
  const res = await api(`/api/${plural}`, { method: "POST", token: who.token, body });
  expect(res.status, `create ${plural}: ${JSON.stringify(res.body)}`).toBe(201);
  return res.body;
}

export const createAccount = (who: TestUser, overrides: Record<string, unknown> = {}) => create(who, "accounts", { name: unique("Account"), ...overrides });
export const createContact = (who: TestUser, overrides: Record<string, unknown> = {}) =>
  create(who, "contacts", { firstName: "Ada", lastName: unique("Lovelace"), ...overrides });
export const createLead = (who: TestUser, overrides: Record<string, unknown> = {}) =>
  create(who, "leads", { firstName: "Grace", lastName: unique("Hopper"), email: `${unique("lead")}@example.test`, ...overrides });
export const createOpportunity = (who: TestUser, overrides: Record<string, unknown> = {}) => create(who, "opportunities", { name: unique("Deal"), ...overrides });

/** Follows `nextCursor` to the end; returns every page's ids in order. */
export async function allPages(who: TestUser, path: string, limit: number): Promise<{ ids: string[]; rows: any[]; pages: number }> {
  const rows: any[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const sep = path.includes("?") ? "&" : "?";
    const res = await api(`${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`, { token: who.token });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data.length).toBeLessThanOrEqual(limit);
    rows.push(...res.body.data);
    cursor = res.body.nextCursor;
    pages++;
    if (pages > 1000) throw new Error("pagination does not terminate");
  } while (cursor);
  return { ids: rows.map((r) => r.id), rows, pages };
}
