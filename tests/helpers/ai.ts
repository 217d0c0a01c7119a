import { env } from "cloudflare:workers";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { inject } from "vitest";
import { accounts, activities, auditLog, contacts, leads, opportunities, opportunityContacts } from "../../db/schema";
import worker from "../../worker/index";
import { BASE, testDb, unique, type TestWorkspace } from "./worker";

// Type-only: the fake server itself runs on the Node side (global setup); these tests run inside workerd.
import type { ReceivedRequest, ScriptItem } from "./fake-openai";
export type { ReceivedRequest, ScriptItem };

/**
 * A scenario on the fake OpenAI server: its own base URL, script and request log, so parallel test files never
 * consume each other's answers. `env()` is the Worker env with an API key and OPENAI_BASE_URL pointing at it.
 */
export function fakeOpenAI(name = unique("oa")) {
  const url = inject("fakeOpenAIUrl");
  const baseUrl = `${url}/${name}/v1`;
  return {
    baseUrl,
    // A generous per-user rate: provider tests call many times a minute as one user (limits have their own tests).
    env: (overrides: Partial<Record<keyof Env, string>> = {}): Env =>
      ({ ...env, OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: baseUrl, AI_REQUESTS_PER_MINUTE: "1000", ...overrides }) as Env,
    async script(responses: ScriptItem[]) {
      const res = await fetch(`${url}/__script/${name}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ responses }) });
      if (!res.ok) throw new Error(`fake openai script failed: ${res.status}`);
    },
    async requests(): Promise<ReceivedRequest[]> {
      const res = await fetch(`${url}/__requests/${name}`);
      return ((await res.json()) as { requests: ReceivedRequest[] }).requests;
    },
  };
}

/** Like api(), but through the Worker's fetch handler with a given env (per-request configuration). */
export async function apiWith(
  workerEnv: Env,
  path: string,
  init: { method?: string; body?: unknown; token?: string } = {},
): Promise<{ status: number; headers: Headers; body: any }> {
  const headers: Record<string, string> = {};
  if (init.token) headers.Authorization = `Bearer ${init.token}`;
  if (init.body !== undefined) headers["Content-Type"] = "application/json";
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`${BASE}${path}`, { method: init.method ?? "GET", headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) }),
    workerEnv,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    /* keep text */
  }
  return { status: res.status, headers: res.headers, body };
}

const DAY = 86_400_000;

export interface SeededDeal {
  accountId: string;
  opportunityId: string;
  champion: { id: string; email: string; mobilePhone: string; phone: string };
  buyer: { id: string };
  outsider: { id: string };
  activityIds: { call: string; inbound: string; demo: string; enteredProposal: string; overdueTask: string; note: string };
  closeDateChangeIds: string[];
  leadId: string;
  /** Every id a citation may legitimately point at. */
  knownIds: Set<string>;
}

/**
 * A deal with a story: in Proposal for 25 days where deals usually spend ~6, close date in the past after being
 * pushed twice, an overdue task, an inbound e-mail (with the champion's mobile number pasted in it), a demo with a
 * concern, two contacts on the buying committee and one more at the account. Also three finished deals that give
 * the workspace a stage norm, and a lead.
 */
export async function seedDeal(ws: TestWorkspace, now = new Date()): Promise<SeededDeal> {
  const db = testDb();
  const ago = (d: number) => new Date(now.getTime() - d * DAY);
  const dateAgo = (d: number) => ago(d).toISOString().slice(0, 10);
  const stage = (name: string) => ws.stages.find((s) => s.name === name)!;
  try {
    const [acct] = await db.http.insert(accounts).values({ workspaceId: ws.id, name: unique("Northwind"), industry: "Wholesale", city: "Berlin", ownerId: ws.user.id }).returning();
    const mobile = `+1 555 01${Math.floor(Math.random() * 90 + 10)} ${Math.floor(Math.random() * 9000 + 1000)}`;
    const phone = `+1 555 02${Math.floor(Math.random() * 90 + 10)} ${Math.floor(Math.random() * 9000 + 1000)}`;
    const people = await db.http
      .insert(contacts)
      .values([
        { workspaceId: ws.id, accountId: acct!.id, firstName: "Alice", lastName: unique("Schmidt"), email: `${unique("alice")}@northwind.example`, title: "VP Sales", mobilePhone: mobile, phone },
        { workspaceId: ws.id, accountId: acct!.id, firstName: "Ben", lastName: unique("Okafor"), email: `${unique("ben")}@northwind.example`, title: "CFO" },
        { workspaceId: ws.id, accountId: acct!.id, firstName: "Chloe", lastName: unique("Martin"), email: `${unique("chloe")}@northwind.example`, title: "CTO" },
      ])
      .returning();
    const [alice, ben, chloe] = people as [typeof people[0], typeof people[0], typeof people[0]];
    const [opp] = await db.http
      .insert(opportunities)
      .values({
        workspaceId: ws.id, name: unique("Northwind — Platform licence"), accountId: acct!.id, primaryContactId: alice.id, ownerId: ws.user.id,
        stageId: stage("Proposal").id, amount: 12_500_000, currency: "USD", closeDate: dateAgo(5), stageEnteredAt: ago(25), createdAt: ago(60), nextStep: null, source: "Referral",
      })
      .returning();
    await db.http.insert(opportunityContacts).values([
      { opportunityId: opp!.id, contactId: alice.id, role: "Champion" },
      { opportunityId: opp!.id, contactId: ben.id, role: "Economic buyer" },
    ]);
    const base = { workspaceId: ws.id, opportunityId: opp!.id, accountId: acct!.id, actorId: ws.user.id };
    const acts = await db.http
      .insert(activities)
      .values([
        { ...base, type: "call", contactId: alice.id, subject: "Discovery call with Alice", body: "Pain: manual reporting takes 6 days a month. Budget owner is the CFO.", properties: { direction: "outbound" }, happenedAt: ago(40) },
        { ...base, type: "email", contactId: alice.id, subject: "Re: security questionnaire", body: `Alice asked for the security questionnaire and two customer references. Call me on ${mobile.replace(/ /g, "")} any time.`, properties: { direction: "inbound" }, happenedAt: ago(10) },
        { ...base, type: "meeting", contactId: alice.id, subject: "Product demo", body: "Demo for 5 stakeholders. Positive on the pipeline view; concerns about migration effort.", happenedAt: ago(15) },
        { ...base, type: "stage_change", subject: "Qualification → Proposal", properties: { fromStageId: stage("Qualification").id, fromStage: "Qualification", toStageId: stage("Proposal").id, toStage: "Proposal", reason: "Proposal requested" }, happenedAt: ago(25) },
        { ...base, type: "task", subject: "Send security questionnaire", ownerId: ws.user.id, dueAt: ago(3), happenedAt: ago(9) },
        { ...base, type: "note", subject: "Internal note", body: "Pricing approved up to 10% discount.", happenedAt: ago(8) },
      ])
      .returning();
    const byType = (t: string) => acts.find((a) => a.type === t)!;
    const changes = await db.http
      .insert(auditLog)
      .values([
        { workspaceId: ws.id, actorId: ws.user.id, action: "update", entityType: "opportunity", entityId: opp!.id, changes: { closeDate: { from: dateAgo(30), to: dateAgo(15) } }, at: ago(30) },
        { workspaceId: ws.id, actorId: ws.user.id, action: "update", entityType: "opportunity", entityId: opp!.id, changes: { closeDate: { from: dateAgo(15), to: dateAgo(5) } }, at: ago(14) },
      ])
      .returning();

    // Three deals that went through Proposal in 5, 6 and 7 days: the workspace's norm for the stage.
    for (const days of [5, 6, 7]) {
      const [d] = await db.http
        .insert(opportunities)
        .values({ workspaceId: ws.id, name: unique("Past deal"), stageId: stage("Negotiation").id, createdAt: ago(80), stageEnteredAt: ago(50 - days), amount: 100_000 })
        .returning();
      await db.http.insert(activities).values([
        { workspaceId: ws.id, opportunityId: d!.id, type: "stage_change", properties: { fromStageId: stage("Qualification").id, toStageId: stage("Proposal").id, fromStage: "Qualification", toStage: "Proposal" }, happenedAt: ago(50) },
        { workspaceId: ws.id, opportunityId: d!.id, type: "stage_change", properties: { fromStageId: stage("Proposal").id, toStageId: stage("Negotiation").id, fromStage: "Proposal", toStage: "Negotiation" }, happenedAt: ago(50 - days) },
      ]);
    }
    const [lead] = await db.http
      .insert(leads)
      .values({ workspaceId: ws.id, firstName: "Uma", lastName: unique("Rossi"), company: "Brightline Labs", title: "CFO", status: "contacted", source: "Webinar", email: `${unique("uma")}@brightline.example`, createdAt: ago(12) })
      .returning();
    await db.http.insert(activities).values({ workspaceId: ws.id, leadId: lead!.id, type: "call", subject: "Intro call with Uma", body: "Interested in analytics; wants a demo next month.", properties: { direction: "outbound" }, happenedAt: ago(4) });

    const activityIds = {
      call: byType("call").id,
      inbound: byType("email").id,
      demo: byType("meeting").id,
      enteredProposal: byType("stage_change").id,
      overdueTask: byType("task").id,
      note: byType("note").id,
    };
    return {
      accountId: acct!.id,
      opportunityId: opp!.id,
      champion: { id: alice.id, email: alice.email!, mobilePhone: mobile, phone },
      buyer: { id: ben.id },
      outsider: { id: chloe.id },
      activityIds,
      closeDateChangeIds: changes.map((c) => c.id),
      leadId: lead!.id,
      knownIds: new Set([acct!.id, opp!.id, alice.id, ben.id, chloe.id, ...Object.values(activityIds), ...changes.map((c) => c.id)]),
    };
  } finally {
    await db.close();
  }
}

/** Every `citations` array anywhere in a value, flattened. */
export function allCitations(v: unknown): string[] {
  const out: string[] = [];
  const walk = (x: unknown, key?: string) => {
    if (Array.isArray(x)) {
      if (key === "citations") out.push(...(x as string[]));
      else x.forEach((y) => walk(y));
    } else if (x && typeof x === "object") for (const [k, y] of Object.entries(x)) walk(y, k);
  };
  walk(v);
  return out;
}
