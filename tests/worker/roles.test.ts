import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { aiJobs, automations, users, webhookDeliveries, webhookEndpoints } from "../../db/schema";
import { sha256Hex } from "../../worker/lib/tokens";
import { app } from "../../worker/app";
import { signToken } from "../../worker/lib/jwt";
import { hashPassword } from "../../worker/lib/password";
import type { Role } from "../../worker/schemas/common";
import { api, createWorkspace, sessionToken, signIn, testDb, unique, type TestUser, type TestWorkspace } from "../helpers/worker";

/**
 * THE role matrix: every route the app registers × every kind of caller, with the status class each must get.
 * A route added to the app without a row here fails "the matrix covers every route" — add its row (and pick the
 * preset that matches the policy you intend, not the one your code happens to produce).
 *
 * Callers: a token per role of workspace A (which owns the target records), no token, a forged token (right
 * claims, wrong key), and the ADMIN of workspace B — the highest role, so only the tenant boundary can stop it.
 */

type Who = "ADMIN" | "USER" | "VIEWER" | "none" | "forged" | "foreign";
type Cls = "2xx" | 401 | 403 | 404 | 422;
type Expectation = Record<Who, Cls>;
interface Caller {
  who: Who;
  /** The caller's own workspace (B for foreign, A otherwise). */
  ws: TestWorkspace;
  token?: string;
}
interface Req {
  path: string;
  body?: unknown;
  /** A fresh identity for routes that spend it (change-password revokes the caller's other sessions). */
  token?: string;
  headers?: Record<string, string>;
}
interface Row {
  route: string;
  expect: Expectation;
  req: (c: Caller) => Promise<Req> | Req;
  /** Not workspace data: skip the foreign no-leak check (explain why in the row). */
  noLeakCheck?: true;
}

const WHO: Who[] = ["ADMIN", "USER", "VIEWER", "none", "forged", "foreign"];
const preset = (admin: Cls, user: Cls, viewer: Cls, none: Cls, foreign: Cls): Expectation => ({ ADMIN: admin, USER: user, VIEWER: viewer, none, forged: none, foreign });
/** Anyone, signed in or not. */
const PUBLIC = preset("2xx", "2xx", "2xx", "2xx", "2xx");
/** Collection reads: any role; another workspace reads its own (never ours). */
const READ = preset("2xx", "2xx", "2xx", 401, "2xx");
/** Reads of one of workspace A's records. */
const READ_ID = preset("2xx", "2xx", "2xx", 401, 404);
/** Creates: USER and up; another workspace creates in its own. */
const CREATE = preset("2xx", "2xx", 403, 401, "2xx");
/** Edits of one of workspace A's records. */
const WRITE_ID = preset("2xx", "2xx", 403, 401, 404);
/** ADMIN-only on the caller's own workspace. */
const ADMIN = preset("2xx", 403, 403, 401, "2xx");
/** ADMIN-only on one of workspace A's records. */
const ADMIN_ID = preset("2xx", 403, 403, 401, 404);
/** Any signed-in user, acting on themselves. */
const SELF = preset("2xx", "2xx", "2xx", 401, "2xx");

let A: TestWorkspace;
let B: TestWorkspace;
const PASSWORD = "correct horse battery staple";
const passwordHash = hashPassword(PASSWORD, 1000);
/** Every id of workspace A: none may appear in an answer to workspace B. */
const secrets = new Set<string>();

async function freshUser(ws: TestWorkspace, role: Role, opts: { active?: boolean } = {}): Promise<TestUser> {
  const email = `${unique(role.toLowerCase())}@example.test`;
  const [u] = await testDb()
    .http.insert(users)
    .values({ workspaceId: ws.id, email, name: `Fresh ${role}`, role, active: opts.active ?? true, passwordHash: await passwordHash })
    .returning();
  if (ws === A) secrets.add(u!.id);
  const token = await sessionToken(testDb().http, u!);
  return { id: u!.id, email, role, token, password: PASSWORD };
}

/** A fresh (non-default) pipeline of workspace A, made by its ADMIN. */
async function pipelineOfA(): Promise<string> {
  const res = await api("/api/pipelines", { method: "POST", token: A.admin.token, body: { name: unique("Matrix pipeline") } });
  expect(res.status).toBe(201);
  secrets.add(res.body.id);
  return res.body.id as string;
}

/** Creates a record in `ws` through the API (as its ADMIN) and returns its id. */
async function make(ws: TestWorkspace, plural: string, body: Record<string, unknown>): Promise<string> {
  const res = await api(`/api/${plural}`, { method: "POST", token: ws.admin.token, body });
  expect(res.status, `fixture ${plural}: ${JSON.stringify(res.body)}`).toBe(201);
  if (ws === A) secrets.add(res.body.id);
  return res.body.id;
}

const fixtures = new Map<string, Record<string, string>>();
async function seed(ws: TestWorkspace) {
  const account = await make(ws, "accounts", { name: unique("Matrix account") });
  const contact = await make(ws, "contacts", { name: "Matrix Contact", email: `${unique("matrix")}@example.test`, accountId: account });
  const lead = await make(ws, "leads", { name: "Matrix Lead" });
  const opportunity = await make(ws, "opportunities", { name: unique("Matrix deal"), accountId: account });
  const activity = await make(ws, "activities", { type: "note", subject: "Matrix note", accountId: account });
  fixtures.set(ws.id, { accounts: account, contacts: contact, leads: lead, opportunities: opportunity, activities: activity });
}
const fx = (ws: TestWorkspace) => fixtures.get(ws.id)!;

const createBodies = (ws: TestWorkspace): Record<string, Record<string, unknown>> => ({
  accounts: { name: unique("Acc") },
  contacts: { email: `${unique("c")}@example.test` },
  leads: { name: "Lead Person" },
  opportunities: { name: unique("Deal") },
  activities: { type: "note", subject: "hello", accountId: fx(ws).accounts },
});
const patchBodies: Record<string, Record<string, unknown>> = {
  accounts: { industry: unique("ind") },
  contacts: { title: unique("title") },
  leads: { source: unique("src") },
  opportunities: { nextStep: unique("step") },
  activities: { body: unique("body") },
};

function recordRows(plural: string): Row[] {
  const rows: Row[] = [
    { route: `GET /api/${plural}`, expect: READ, req: () => ({ path: `/api/${plural}` }) },
    { route: `POST /api/${plural}`, expect: CREATE, req: (c) => ({ path: `/api/${plural}`, body: createBodies(c.ws)[plural] }) },
    { route: `GET /api/${plural}/:id`, expect: READ_ID, req: () => ({ path: `/api/${plural}/${fx(A)[plural]}` }) },
    { route: `PATCH /api/${plural}/:id`, expect: WRITE_ID, req: () => ({ path: `/api/${plural}/${fx(A)[plural]}`, body: patchBodies[plural] }) },
    {
      route: `DELETE /api/${plural}/:id`,
      expect: ADMIN_ID,
      req: async () => ({ path: `/api/${plural}/${await make(A, plural, createBodies(A)[plural]!)}` }),
    },
    {
      route: `POST /api/${plural}/:id/restore`,
      expect: ADMIN_ID,
      req: async () => {
        const id = await make(A, plural, createBodies(A)[plural]!);
        expect((await api(`/api/${plural}/${id}`, { method: "DELETE", token: A.admin.token })).status).toBe(200);
        return { path: `/api/${plural}/${id}/restore` };
      },
    },
  ];
  rows.push({ route: `GET /api/${plural}/summary`, expect: READ, req: () => ({ path: `/api/${plural}/summary` }) });
  if (plural !== "activities") rows.push({ route: `GET /api/${plural}/:id/timeline`, expect: READ_ID, req: () => ({ path: `/api/${plural}/${fx(A)[plural]}/timeline` }) });
  return rows;
}

const MATRIX: Row[] = [
  // System and documentation
  { route: "GET /api/health", expect: PUBLIC, req: () => ({ path: "/api/health" }) },
  { route: "GET /api/branding", expect: PUBLIC, req: () => ({ path: "/api/branding" }) },
  { route: "GET /api/openapi.json", expect: PUBLIC, req: () => ({ path: "/api/openapi.json" }) },
  // MCP: every role may connect and read; each tool's own role check (that of its REST route) is tests/worker/mcp.test.ts.
  {
    route: "POST /mcp",
    expect: READ,
    req: () => ({ path: "/mcp", body: { jsonrpc: "2.0", id: 1, method: "tools/list" }, headers: { Accept: "application/json, text/event-stream" } }),
  },
  { route: "GET /manifest.webmanifest", expect: PUBLIC, req: () => ({ path: "/manifest.webmanifest" }) },
  { route: "GET /favicon.svg", expect: PUBLIC, req: () => ({ path: "/favicon.svg" }) },
  // A 301 to /favicon.svg; the test client follows redirects like a browser does.
  { route: "GET /favicon.ico", expect: PUBLIC, req: () => ({ path: "/favicon.ico" }) },
  // Public on purpose, and it shows every workspace's mail: it answers 404 in production (worker/routes/dev.ts).
  { route: "GET /api/dev/outbox", expect: PUBLIC, req: () => ({ path: "/api/dev/outbox" }), noLeakCheck: true },

  // Auth
  { route: "POST /api/auth/login", expect: PUBLIC, req: () => ({ path: "/api/auth/login", body: { email: A.viewer.email, password: A.viewer.password } }), noLeakCheck: true },
  { route: "GET /api/auth/me", expect: SELF, req: () => ({ path: "/api/auth/me" }) },
  {
    route: "POST /api/auth/change-password",
    expect: SELF,
    req: async (c) => {
      const body = { currentPassword: PASSWORD, newPassword: `Another ${unique("long passphrase")} 2027` };
      if (c.who === "none" || c.who === "forged") return { path: "/api/auth/change-password", body };
      const fresh = await freshUser(c.ws, c.who === "foreign" ? "ADMIN" : (c.who as Role));
      return { path: "/api/auth/change-password", body, token: fresh.token };
    },
  },
  {
    route: "POST /api/auth/refresh",
    // The refresh cookie is the credential, not the bearer token: each caller signs in (a cookie of their own); the
    // anonymous and forged callers have none.
    expect: SELF,
    req: async (c): Promise<Req> => {
      if (c.who === "none" || c.who === "forged") return { path: "/api/auth/refresh", headers: { "X-Requested-With": "fetch" } };
      const fresh = await freshUser(c.ws, c.who === "foreign" ? "ADMIN" : (c.who as Role));
      const { cookie } = await signIn(fresh.email, fresh.password);
      return { path: "/api/auth/refresh", headers: { "X-Requested-With": "fetch", Cookie: cookie } };
    },
  },
  ...(["logout", "logout-all"] as const).map(
    (verb): Row => ({
      route: `POST /api/auth/${verb}`,
      expect: SELF,
      // A fresh identity: signing out ends the caller's session(s), which the other rows still need.
      req: async (c) => {
        if (c.who === "none" || c.who === "forged") return { path: `/api/auth/${verb}` };
        const fresh = await freshUser(c.ws, c.who === "foreign" ? "ADMIN" : (c.who as Role));
        return { path: `/api/auth/${verb}`, token: fresh.token };
      },
    }),
  ),
  { route: "POST /api/auth/forgot-password", expect: PUBLIC, req: () => ({ path: "/api/auth/forgot-password", body: { email: `${unique("nobody")}@example.test` } }) },
  // Public, so every caller gets the same answer to a bogus link: 422, never 401/403.
  { route: "POST /api/auth/reset-password", expect: preset(422, 422, 422, 422, 422), req: () => ({ path: "/api/auth/reset-password", body: { token: "not-a-real-token", password: "whatever it is 2027" } }) },

  // Users
  { route: "GET /api/users", expect: READ, req: () => ({ path: "/api/users" }) },
  { route: "POST /api/users", expect: ADMIN, req: () => ({ path: "/api/users", body: { email: `${unique("new")}@example.test`, name: "New Colleague", role: "VIEWER" } }) },
  { route: "GET /api/users/:id", expect: READ_ID, req: () => ({ path: `/api/users/${A.viewer.id}` }) },
  { route: "PATCH /api/users/:id", expect: ADMIN_ID, req: async () => ({ path: `/api/users/${(await freshUser(A, "VIEWER")).id}`, body: { name: "Renamed" } }) },
  { route: "POST /api/users/:id/deactivate", expect: ADMIN_ID, req: async () => ({ path: `/api/users/${(await freshUser(A, "USER")).id}/deactivate` }) },
  { route: "POST /api/users/:id/reactivate", expect: ADMIN_ID, req: async () => ({ path: `/api/users/${(await freshUser(A, "USER", { active: false })).id}/reactivate` }) },
  { route: "POST /api/users/:id/reset-password", expect: ADMIN_ID, req: async () => ({ path: `/api/users/${(await freshUser(A, "USER")).id}/reset-password` }) },

  // Audit trail and pipeline configuration
  { route: "GET /api/audit", expect: ADMIN, req: () => ({ path: "/api/audit" }) },
  { route: "GET /api/meta", expect: READ, req: () => ({ path: "/api/meta" }) },
  { route: "GET /api/pipeline/stages", expect: READ, req: () => ({ path: "/api/pipeline/stages" }) },
  {
    route: "PUT /api/pipeline/stages",
    expect: ADMIN,
    // The caller's own stages, unchanged: allowed callers succeed without disturbing anyone's board.
    req: (c) => ({ path: "/api/pipeline/stages", body: { stages: c.ws.stages.map((s) => ({ id: s.id, name: s.name, probability: s.probability, kind: s.kind })) } }),
  },
  { route: "GET /api/pipelines", expect: READ, req: () => ({ path: "/api/pipelines" }) },
  { route: "POST /api/pipelines", expect: ADMIN, req: () => ({ path: "/api/pipelines", body: { name: unique("Matrix pipeline") } }) },
  { route: "PATCH /api/pipelines/:id", expect: ADMIN_ID, req: async () => ({ path: `/api/pipelines/${await pipelineOfA()}`, body: { name: unique("Renamed") } }) },
  { route: "DELETE /api/pipelines/:id", expect: ADMIN_ID, req: async () => ({ path: `/api/pipelines/${await pipelineOfA()}` }) },
  {
    route: "PUT /api/pipelines/:id/stages",
    expect: ADMIN_ID,
    req: async () => {
      const id = await pipelineOfA();
      const stages = (await api("/api/pipelines", { token: A.admin.token })).body.pipelines.find((p: { id: string }) => p.id === id).stages;
      return { path: `/api/pipelines/${id}/stages`, body: { stages: stages.map((s: { id: string; name: string; probability: number; kind: string }) => ({ id: s.id, name: s.name, probability: s.probability, kind: s.kind })) } };
    },
  },
  { route: "GET /api/reason-codes", expect: READ, req: () => ({ path: "/api/reason-codes" }) },
  // The caller's own codes, unchanged.
  { route: "PUT /api/reason-codes", expect: ADMIN, req: async (c) => ({ path: "/api/reason-codes", body: { won: (await api("/api/reason-codes", { token: c.ws.admin.token })).body.won } }) },
  { route: "GET /api/opportunities/pipeline", expect: READ, req: () => ({ path: "/api/opportunities/pipeline" }) },
  { route: "GET /api/opportunities/pipeline/totals", expect: READ, req: () => ({ path: "/api/opportunities/pipeline/totals" }) },
  { route: "GET /api/opportunities/pipeline/stages/:stageId/cards", expect: READ, req: (c) => ({ path: `/api/opportunities/pipeline/stages/${c.ws.stages[0]!.id}/cards` }) },
  // "Matrix" matches workspace A's fixtures by name: workspace B must find only its own.
  { route: "GET /api/search", expect: READ, req: () => ({ path: "/api/search?q=Matrix" }) },
  { route: "GET /api/dashboard/tasks", expect: READ, req: () => ({ path: "/api/dashboard/tasks" }) },
  { route: "GET /api/tasks/summary", expect: READ, req: () => ({ path: "/api/tasks/summary?scope=team" }) },
  { route: "GET /api/tasks/calendar", expect: READ, req: () => ({ path: "/api/tasks/calendar?scope=team&from=2030-01-01T00:00:00Z&to=2030-02-01T00:00:00Z" }) },
  { route: "GET /api/tasks", expect: READ, req: () => ({ path: "/api/tasks?scope=team&group=none" }) },
  { route: "GET /api/trash/:entity", expect: READ, req: () => ({ path: "/api/trash/accounts" }) },
  { route: "GET /api/reports/win-loss", expect: READ, req: () => ({ path: "/api/reports/win-loss" }) },
  { route: "GET /api/reports/win-rate", expect: READ, req: () => ({ path: "/api/reports/win-rate" }) },
  { route: "GET /api/reports/pipeline-by-stage", expect: READ, req: () => ({ path: "/api/reports/pipeline-by-stage" }) },
  { route: "GET /api/reports/conversion", expect: READ, req: () => ({ path: "/api/reports/conversion" }) },
  { route: "GET /api/reports/pipeline-over-time", expect: READ, req: () => ({ path: "/api/reports/pipeline-over-time" }) },
  { route: "GET /api/reports/forecast", expect: READ, req: () => ({ path: "/api/reports/forecast" }) },
  { route: "GET /api/reports/activity-volume", expect: READ, req: () => ({ path: "/api/reports/activity-volume" }) },
  { route: "GET /api/reports/rotting", expect: READ, req: () => ({ path: "/api/reports/rotting" }) },
  { route: "GET /api/dashboard/deal-watch", expect: READ, req: () => ({ path: "/api/dashboard/deal-watch" }) },
  { route: "GET /api/opportunities/:id/score", expect: READ_ID, req: () => ({ path: `/api/opportunities/${fx(A).opportunities}/score` }) },
  { route: "GET /api/insights/score-quality", expect: READ, req: () => ({ path: "/api/insights/score-quality" }) },
  { route: "GET /api/insights/forecast-accuracy", expect: READ, req: () => ({ path: "/api/insights/forecast-accuracy" }) },
  { route: "GET /api/insights/settings", expect: READ, req: () => ({ path: "/api/insights/settings" }) },
  { route: "PUT /api/insights/settings", expect: ADMIN, req: () => ({ method: "PUT", path: "/api/insights/settings", body: { inactivityDays: 14 } }) },
  { route: "POST /api/insights/refit", expect: ADMIN, req: () => ({ method: "POST", path: "/api/insights/refit" }) },

  // CRM records
  ...["accounts", "contacts", "leads", "opportunities", "activities"].flatMap(recordRows),
  {
    route: "POST /api/leads/:id/convert",
    expect: WRITE_ID,
    req: async () => ({ path: `/api/leads/${await make(A, "leads", { name: "Convert Me", company: unique("Co") })}/convert`, body: { account: {}, opportunity: { name: unique("Converted deal") } } }),
  },
];

// ---- AI, import/export and webhooks: fixtures of workspace A, made once in beforeAll ----
const ai: { jobId?: string; suggestionId?: string; draftId?: string } = {};

async function aiCall(path: string, body: unknown): Promise<any> {
  const res = await api(path, { method: "POST", token: A.admin.token, body });
  expect(res.status, `fixture ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
  return res.body;
}

async function deadJob(): Promise<string> {
  const [job] = await testDb()
    .http.insert(aiJobs)
    .values({ workspaceId: A.id, kind: "summary", targetType: "opportunity", targetId: fx(A).opportunities!, status: "dead", attempts: 5, error: "gave up", requestedBy: A.admin.id })
    .returning();
  secrets.add(job!.id);
  return job!.id;
}

/** Endpoints made here are paused or point at a host that cannot resolve: nothing leaves the test. */
async function endpoint(ws: TestWorkspace, active = false): Promise<string> {
  const [row] = await testDb()
    .http.insert(webhookEndpoints)
    .values({ workspaceId: ws.id, url: "https://hooks.invalid/crm", events: ["lead.converted"], secret: "whsec_test", active, createdBy: ws.admin.id })
    .returning();
  if (ws === A) secrets.add(row!.id);
  return row!.id;
}

async function deadDelivery(): Promise<string> {
  const [row] = await testDb()
    .http.insert(webhookDeliveries)
    .values({ workspaceId: A.id, endpointId: await endpoint(A, true), eventId: crypto.randomUUID(), eventType: "lead.converted", payload: { test: true }, status: "dead", attempts: 8 })
    .returning();
  secrets.add(row!.id);
  return row!.id;
}

/** A paused-by-nature rule of the workspace (its one action needs a record, so a hook call without one does nothing). */
const HOOK_TOKEN = "ahk_roles-matrix-token";
async function automation(ws: TestWorkspace): Promise<string> {
  const [row] = await testDb()
    .http.insert(automations)
    .values({
      workspaceId: ws.id,
      name: "Matrix rule",
      triggerType: "webhook",
      trigger: { type: "webhook", entity: "opportunity" },
      actions: [{ type: "update_fields", fields: { nextStep: "x" } }],
      webhookTokenHash: await sha256Hex(HOOK_TOKEN),
    })
    .returning();
  if (ws === A) secrets.add(row!.id);
  return row!.id;
}
const ruleBody = { name: "Matrix", trigger: { type: "record_created", entity: "lead" }, actions: [{ type: "notify", to: ["owner"], title: "New lead" }] };

const csv = () => {
  const form = new FormData();
  form.append("file", new File([`name,industry\n${unique("Imported")},Retail\n`], "accounts.csv", { type: "text/csv" }));
  form.append("options", JSON.stringify({ dryRun: true }));
  return form;
};

MATRIX.push(
  // AI: reads VIEWER, writes USER, usage and dead letters ADMIN
  { route: "POST /api/ai/summaries", expect: WRITE_ID, req: () => ({ path: "/api/ai/summaries", body: { targetType: "opportunity", targetId: fx(A).opportunities } }) },
  { route: "GET /api/ai/summaries", expect: READ_ID, req: () => ({ path: `/api/ai/summaries?targetType=opportunity&targetId=${fx(A).opportunities}` }) },
  { route: "GET /api/ai/summaries/versions", expect: READ_ID, req: () => ({ path: `/api/ai/summaries/versions?targetType=opportunity&targetId=${fx(A).opportunities}` }) },
  { route: "GET /api/ai/jobs/:id", expect: READ_ID, req: () => ({ path: `/api/ai/jobs/${ai.jobId}` }) },
  { route: "GET /api/ai/dead-letters", expect: ADMIN, req: () => ({ path: "/api/ai/dead-letters" }) },
  { route: "POST /api/ai/dead-letters/:id/retry", expect: ADMIN_ID, req: async () => ({ path: `/api/ai/dead-letters/${await deadJob()}/retry` }) },
  { route: "POST /api/ai/next-best-actions", expect: WRITE_ID, req: () => ({ path: "/api/ai/next-best-actions", body: { opportunityId: fx(A).opportunities } }) },
  { route: "POST /api/ai/next-best-actions/:activityId/create-task", expect: WRITE_ID, req: () => ({ path: `/api/ai/next-best-actions/${ai.suggestionId}/create-task`, body: { index: 0 } }) },
  { route: "POST /api/ai/draft-email", expect: WRITE_ID, req: () => ({ path: "/api/ai/draft-email", body: { opportunityId: fx(A).opportunities, intent: "follow up after the demo" } }) },
  { route: "POST /api/ai/drafts/:activityId/save", expect: WRITE_ID, req: () => ({ path: `/api/ai/drafts/${ai.draftId}/save`, body: { subject: unique("Subject") } }) },
  {
    route: "POST /api/ai/drafts/:activityId/send",
    expect: WRITE_ID,
    // Sending spends the draft: a fresh one per caller.
    req: async () => ({ path: `/api/ai/drafts/${(await aiCall("/api/ai/draft-email", { opportunityId: fx(A).opportunities, intent: "send test" })).activityId}/send`, body: { toContactId: fx(A).contacts } }),
  },
  { route: "GET /api/ai/deal-brief/:opportunityId", expect: READ_ID, req: () => ({ path: `/api/ai/deal-brief/${fx(A).opportunities}` }) },
  { route: "GET /api/ai/usage", expect: ADMIN, req: () => ({ path: "/api/ai/usage" }) },

  // Import (a dry run writes nothing) and export
  { route: "POST /api/import/:entity", expect: CREATE, req: () => ({ path: "/api/import/accounts", body: csv() }) },
  ...["accounts", "contacts", "leads", "opportunities"].map((e): Row => ({ route: `GET /api/export/${e}.csv`, expect: READ, req: () => ({ path: `/api/export/${e}.csv` }) })),
  { route: "GET /api/export/:entity/link", expect: READ, req: () => ({ path: "/api/export/contacts/link" }) },

  // Webhooks: ADMIN only
  { route: "GET /api/webhooks", expect: ADMIN, req: () => ({ path: "/api/webhooks" }) },
  { route: "POST /api/webhooks", expect: ADMIN, req: () => ({ path: "/api/webhooks", body: { url: "https://hooks.invalid/crm", events: ["lead.converted"] } }) },
  { route: "GET /api/webhooks/:id", expect: ADMIN_ID, req: async () => ({ path: `/api/webhooks/${await endpoint(A)}` }) },
  { route: "PATCH /api/webhooks/:id", expect: ADMIN_ID, req: async () => ({ path: `/api/webhooks/${await endpoint(A)}`, body: { description: "renamed" } }) },
  { route: "DELETE /api/webhooks/:id", expect: ADMIN_ID, req: async () => ({ path: `/api/webhooks/${await endpoint(A)}` }) },
  { route: "GET /api/webhooks/:id/deliveries", expect: ADMIN_ID, req: async () => ({ path: `/api/webhooks/${await endpoint(A)}/deliveries` }) },
  { route: "POST /api/webhooks/deliveries/:id/redeliver", expect: ADMIN_ID, req: async () => ({ path: `/api/webhooks/deliveries/${await deadDelivery()}/redeliver` }) },

  // Automations: every role reads rules and runs; ADMIN writes and dry-runs; the inbound hook answers its token only
  { route: "GET /api/automations", expect: READ, req: () => ({ path: "/api/automations" }) },
  { route: "POST /api/automations", expect: ADMIN, req: () => ({ path: "/api/automations", body: ruleBody }) },
  { route: "GET /api/automations/:id", expect: READ_ID, req: async () => ({ path: `/api/automations/${await automation(A)}` }) },
  { route: "PATCH /api/automations/:id", expect: ADMIN_ID, req: async () => ({ path: `/api/automations/${await automation(A)}`, body: { enabled: false } }) },
  { route: "DELETE /api/automations/:id", expect: ADMIN_ID, req: async () => ({ path: `/api/automations/${await automation(A)}` }) },
  { route: "GET /api/automations/:id/runs", expect: READ_ID, req: async () => ({ path: `/api/automations/${await automation(A)}/runs` }) },
  { route: "POST /api/automations/:id/dry-run", expect: ADMIN_ID, req: async () => ({ path: `/api/automations/${await automation(A)}/dry-run`, body: { recordId: fx(A).opportunities } }) },
  {
    route: "POST /api/automations/:id/webhook",
    expect: PUBLIC,
    req: async () => ({ path: `/api/automations/${await automation(A)}/webhook`, body: {}, headers: { "X-Bespoke-Token": HOOK_TOKEN } }),
  },

  // Attachments: upload USER and up, reads any role, on workspace A's records
  ...["accounts", "contacts", "leads", "opportunities"].flatMap((plural): Row[] => [
    { route: `POST /api/${plural}/:id/attachments`, expect: WRITE_ID, req: () => ({ path: `/api/${plural}/${fx(A)[plural]}/attachments`, body: pdfForm() }) },
    { route: `GET /api/${plural}/:id/attachments`, expect: READ_ID, req: () => ({ path: `/api/${plural}/${fx(A)[plural]}/attachments` }) },
  ]),
  { route: "GET /api/attachments/:id/download", expect: READ_ID, req: async () => ({ path: `/api/attachments/${await attachment()}/download` }) },
  // A file the ADMIN uploaded: only ADMIN may delete it (a USER may delete their own: tests/worker/attachments.test.ts).
  { route: "DELETE /api/attachments/:id", expect: ADMIN_ID, req: async () => ({ path: `/api/attachments/${await attachment()}` }) },

  // Comments (issue 16): reads any role, writes USER; editing is the author's, deleting the author's or an ADMIN's —
  // here the comment is workspace A's ADMIN's, so a USER is refused by the service and a VIEWER by the policy.
  ...["accounts", "contacts", "leads", "opportunities", "activities"].flatMap((plural): Row[] => [
    { route: `GET /api/${plural}/:id/comments`, expect: READ_ID, req: () => ({ path: `/api/${plural}/${fx(A)[plural]}/comments` }) },
    { route: `POST /api/${plural}/:id/comments`, expect: WRITE_ID, req: () => ({ path: `/api/${plural}/${fx(A)[plural]}/comments`, body: { body: "Matrix comment" } }) },
    { route: `PATCH /api/${plural}/:id/comments/:commentId`, expect: ADMIN_ID, req: async () => ({ path: `/api/${plural}/${fx(A)[plural]}/comments/${await adminComment(plural)}`, body: { body: "edited" } }) },
    { route: `DELETE /api/${plural}/:id/comments/:commentId`, expect: ADMIN_ID, req: async () => ({ path: `/api/${plural}/${fx(A)[plural]}/comments/${await adminComment(plural)}` }) },
  ]),
  // E-mail capture: status any role; your own address USER and up; the workspace's settings ADMIN; sending USER
  { route: "GET /api/email/capture", expect: READ, req: () => ({ path: "/api/email/capture" }) },
  { route: "POST /api/email/capture/:scope", expect: CREATE, req: () => ({ path: "/api/email/capture/me" }) },
  { route: "DELETE /api/email/capture/:scope", expect: CREATE, req: () => ({ path: "/api/email/capture/me" }) },
  { route: "PUT /api/email/settings", expect: ADMIN, req: () => ({ path: "/api/email/settings", body: { createLeads: false } }) },
  ...["contacts", "opportunities"].map((plural): Row => ({
    route: `POST /api/${plural}/:id/emails`,
    expect: WRITE_ID,
    req: () => ({ path: `/api/${plural}/${fx(A)[plural]}/emails`, body: { to: "matrix-recipient@example.test", subject: "Matrix", text: "Hello" } }),
  })),
  // Calendar: everyone manages their own feed; the feed itself is public (the secret URL is the credential)
  { route: "GET /api/calendar/feed", expect: SELF, req: () => ({ path: "/api/calendar/feed" }) },
  { route: "POST /api/calendar/feed", expect: SELF, req: () => ({ path: "/api/calendar/feed" }) },
  { route: "DELETE /api/calendar/feed", expect: SELF, req: () => ({ path: "/api/calendar/feed" }) },
  {
    route: "GET /api/calendar/:token/feed.ics",
    expect: PUBLIC,
    req: async () => ({ path: new URL((await api("/api/calendar/feed", { method: "POST", token: A.admin.token })).body.url).pathname }),
    noLeakCheck: true,
  },
  ...["accounts", "contacts", "leads", "opportunities"].map((plural): Row => ({
    route: `POST /api/${plural}/:id/meetings/ics`,
    expect: WRITE_ID,
    req: () => ({ path: `/api/${plural}/${fx(A)[plural]}/meetings/ics`, body: MATRIX_ICS, headers: { "Content-Type": "text/calendar" } }),
  })),
  // Notifications: every signed-in user has their own centre (foreign callers see their own, never ours)
  { route: "GET /api/notifications", expect: SELF, req: () => ({ path: "/api/notifications" }) },
  { route: "POST /api/notifications/read", expect: SELF, req: () => ({ path: "/api/notifications/read", body: { all: true } }) },
  { route: "GET /api/notifications/preferences", expect: SELF, req: () => ({ path: "/api/notifications/preferences" }) },
  { route: "PUT /api/notifications/preferences", expect: SELF, req: () => ({ path: "/api/notifications/preferences", body: { preferences: { mention: "email" } } }) },

  // API keys: ADMIN only
  { route: "POST /api/api-keys", expect: ADMIN, req: () => ({ path: "/api/api-keys", body: { name: unique("matrix key"), role: "VIEWER" } }) },
  { route: "GET /api/api-keys", expect: ADMIN, req: () => ({ path: "/api/api-keys" }) },
  { route: "DELETE /api/api-keys/:id", expect: ADMIN_ID, req: async () => ({ path: `/api/api-keys/${await apiKey()}` }) },

  // Custom fields: every role reads the registry, ADMIN defines it
  { route: "GET /api/fields", expect: READ, req: () => ({ path: "/api/fields?entity=opportunity" }) },
  { route: "POST /api/fields", expect: ADMIN, req: () => ({ path: "/api/fields", body: { entity: "account", key: unique("k").replace(/[^a-z0-9]/g, "_").slice(0, 30), label: "Matrix", type: "text" } }) },
  { route: "PATCH /api/fields/:id", expect: ADMIN_ID, req: async () => ({ path: `/api/fields/${await customField()}`, body: { version: 1, label: "Renamed" } }) },
  { route: "DELETE /api/fields/:id", expect: ADMIN_ID, req: async () => ({ path: `/api/fields/${await customField()}` }) },
  {
    route: "POST /api/fields/:id/restore",
    expect: ADMIN_ID,
    req: async () => {
      const id = await customField();
      expect((await api(`/api/fields/${id}`, { method: "DELETE", token: A.admin.token })).status).toBe(200);
      return { path: `/api/fields/${id}/restore` };
    },
  },
);

const MATRIX_ICS = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//M//EN\r\nBEGIN:VEVENT\r\nUID:m@x\r\nDTSTAMP:20300101T000000Z\r\nDTSTART:20300101T100000Z\r\nSUMMARY:Matrix\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

/** A comment by workspace A's ADMIN on its fixture record (or timeline item). */
async function adminComment(plural: string): Promise<string> {
  const res = await api(`/api/${plural}/${fx(A)[plural]}/comments`, { method: "POST", token: A.admin.token, body: { body: "by the admin" } });
  expect(res.status, `fixture comment: ${JSON.stringify(res.body)}`).toBe(201);
  secrets.add(res.body.id);
  return res.body.id;
}

MATRIX.push(
  // Saved views: every role keeps its own; a shared view is offered to colleagues (who may make it their default)
  { route: "GET /api/views", expect: READ, req: () => ({ path: "/api/views" }) },
  { route: "POST /api/views", expect: SELF, req: () => ({ path: "/api/views", body: { entity: "opportunities", name: unique("Matrix view") } }) },
  { route: "PATCH /api/views/:id", expect: READ_ID, req: async () => ({ path: `/api/views/${await sharedView()}`, body: { isDefault: true } }) },
  { route: "DELETE /api/views/:id", expect: ADMIN_ID, req: async () => ({ path: `/api/views/${await sharedView()}` }) },
  // Bulk changes: writes (USER and up) in the caller's own workspace; the job is its starter's to watch
  { route: "POST /api/bulk/:entity", expect: CREATE, req: (c) => ({ path: "/api/bulk/opportunities", body: { action: "update", ids: [fx(c.ws).opportunities], changes: { nextStep: unique("bulk") } } }) },
  {
    route: "GET /api/bulk/jobs/:id",
    expect: preset("2xx", 404, 404, 401, 404),
    req: async () => {
      const res = await api("/api/bulk/opportunities", { method: "POST", token: A.admin.token, body: { action: "update", ids: [fx(A).opportunities], changes: { nextStep: unique("bulk") } } });
      expect(res.status, `fixture bulk job: ${JSON.stringify(res.body)}`).toBe(202);
      secrets.add(res.body.id);
      return { path: `/api/bulk/jobs/${res.body.id}` };
    },
  },
);

/** A view of workspace A's ADMIN, shared with the workspace. */
async function sharedView(): Promise<string> {
  const res = await api("/api/views", { method: "POST", token: A.admin.token, body: { entity: "opportunities", name: unique("Shared view"), shared: true } });
  expect(res.status, `fixture view: ${JSON.stringify(res.body)}`).toBe(201);
  secrets.add(res.body.id);
  return res.body.id;
}

function pdfForm() {
  const form = new FormData();
  form.append("file", new File(["%PDF-1.7\n%%EOF\n"], "matrix.pdf", { type: "application/pdf" }));
  return form;
}

/** A file on workspace A's account, uploaded by its ADMIN. */
async function attachment(): Promise<string> {
  const res = await api(`/api/accounts/${fx(A).accounts}/attachments`, { method: "POST", token: A.admin.token, body: pdfForm() });
  expect(res.status, `fixture attachment: ${JSON.stringify(res.body)}`).toBe(201);
  secrets.add(res.body.id);
  return res.body.id;
}

/** A text field on workspace A's accounts, made by its ADMIN. */
async function customField(): Promise<string> {
  const key = unique("f").replace(/[^a-z0-9]/g, "_").slice(0, 30);
  const res = await api("/api/fields", { method: "POST", token: A.admin.token, body: { entity: "account", key, label: "Matrix field", type: "text" } });
  expect(res.status, `fixture custom field: ${JSON.stringify(res.body)}`).toBe(201);
  secrets.add(res.body.id);
  return res.body.id;
}

async function apiKey(): Promise<string> {
  const res = await api("/api/api-keys", { method: "POST", token: A.admin.token, body: { name: unique("matrix key"), role: "VIEWER" } });
  expect(res.status, `fixture api key: ${JSON.stringify(res.body)}`).toBe(201);
  secrets.add(res.body.id);
  return res.body.id;
}

const methodOf = (route: string) => route.split(" ")[0]!;
const pathOf = (route: string) => route.split(" ")[1]!;

beforeAll(async () => {
  [A, B] = await Promise.all([createWorkspace(), createWorkspace()]);
  await Promise.all([seed(A), seed(B)]);
  for (const id of [A.id, A.admin.id, A.user.id, A.viewer.id, ...A.stages.map((s) => s.id)]) secrets.add(id);
  ai.jobId = (await aiCall("/api/ai/summaries", { targetType: "opportunity", targetId: fx(A).opportunities })).jobId;
  ai.suggestionId = (await aiCall("/api/ai/next-best-actions", { opportunityId: fx(A).opportunities })).activityId;
  ai.draftId = (await aiCall("/api/ai/draft-email", { opportunityId: fx(A).opportunities, intent: "check in" })).activityId;
  for (const id of Object.values(ai)) secrets.add(id!);
});

describe("role matrix", () => {
  it("covers every route the app registers, and only those", () => {
    const registered = new Set(app.routes.filter((r) => r.method !== "ALL").map((r) => `${r.method} ${r.path}`));
    const rows = MATRIX.map((r) => r.route);
    expect(new Set(rows).size, "duplicate rows").toBe(rows.length);
    expect([...registered].filter((r) => !rows.includes(r)), "routes without a row in the role matrix (tests/worker/roles.test.ts)").toEqual([]);
    expect(rows.filter((r) => !registered.has(r)), "rows for routes that no longer exist").toEqual([]);
  });

  for (const row of MATRIX) {
    it(`${row.route}: ${WHO.map((w) => `${w} ${row.expect[w]}`).join(", ")}`, async () => {
      const forged = await signToken({ sub: A.admin.id, ws: A.id, role: "ADMIN", tv: 0, sid: crypto.randomUUID() }, "not-the-server-secret-but-long-enough-0123456789", 3600);
      const callers: Caller[] = [
        { who: "ADMIN", ws: A, token: A.admin.token },
        { who: "USER", ws: A, token: A.user.token },
        { who: "VIEWER", ws: A, token: A.viewer.token },
        { who: "none", ws: A },
        { who: "forged", ws: A, token: forged },
        { who: "foreign", ws: B, token: B.admin.token },
      ];
      const got: string[] = [];
      const want: string[] = [];
      for (const caller of callers) {
        const req = await row.req(caller);
        const res = await api(req.path, { method: methodOf(row.route), token: req.token ?? caller.token, body: req.body, headers: req.headers });
        const cls = res.status >= 200 && res.status < 300 ? "2xx" : res.status;
        got.push(`${caller.who} ${cls}`);
        want.push(`${caller.who} ${row.expect[caller.who]}`);
        if (res.status >= 400 && /^\/(api|mcp)(\/|$)/.test(pathOf(row.route))) expect(res.headers.get("content-type"), `${row.route} as ${caller.who}`).toContain("application/problem+json");
        if (res.status === 401) expect(res.headers.get("www-authenticate"), `${row.route} as ${caller.who}`).toMatch(/^Bearer/);
        if (caller.who === "foreign" && cls === "2xx" && !row.noLeakCheck) {
          const text = typeof res.body === "string" ? res.body : JSON.stringify(res.body);
          const leaked = [...secrets].filter((id) => text.includes(id));
          expect(leaked, `${row.route} answered workspace B with workspace A's ids`).toEqual([]);
        }
      }
      expect(got).toEqual(want);
    });
  }
});
