import { env } from "cloudflare:workers";
import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { activities, automationRuns, automationRunSteps, automations, notifications } from "../../db/schema";
import { onDomainEvent } from "../../worker/automations/consumer";
import { runTimeTriggers } from "../../worker/automations/cron";
import type { OutboxMessage } from "../../worker/events/types";
import { loadConfig } from "../../worker/config";
import { createServices, type Services } from "../../worker/lib/services";
import { createOpportunity, expectProblem } from "../helpers/records";
import { hookUrl, received } from "../helpers/webhooks";
import { api, createWorkspace, testDb, type TestUser, type TestWorkspace } from "../helpers/worker";

/** Polls until `check` passes: a run executes on the Workflows engine, after the call that started it returned. */
async function eventually<T>(fn: () => Promise<T>, check: (v: T) => boolean, what: string, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (check(v)) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v).slice(0, 800)}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

let ws: TestWorkspace;
let other: TestWorkspace;
let services: Services;
beforeAll(async () => {
  [ws, other] = await Promise.all([createWorkspace(), createWorkspace()]);
  const loaded = loadConfig(env);
  if (!loaded.ok) throw new Error(loaded.problems.join("; "));
  services = createServices(env, loaded.config);
});

const db = () => testDb().http;
const stage = (i: number) => ws.stages[i]!;

async function createRule(body: Record<string, unknown>, who: TestUser = ws.admin) {
  const res = await api("/api/automations", { method: "POST", token: who.token, body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; webhookToken: string | null; version: number };
}

const followUpRule = (stageId: string, extra: Record<string, unknown> = {}) => ({
  name: "Follow up on proposal",
  trigger: { type: "stage_entered", stages: [stageId] },
  actions: [{ type: "create_task", title: "Send the proposal for {{record.name}}", assignee: "owner", dueIn: { amount: 2, unit: "days" } }],
  ...extra,
});

/** What the one event consumer hands the automations for a deal entering a stage (worker/events/types.ts). */
function stageChanged(deal: { id: string }, to: { id: string; name: string }, over: Partial<OutboxMessage> = {}): OutboxMessage {
  return {
    eventId: crypto.randomUUID(),
    workspaceId: ws.id,
    occurredAt: new Date().toISOString(),
    actorId: ws.user.id,
    apiKeyId: null,
    causedByRuleId: null,
    event: {
      type: "opportunity.stage_changed",
      entityType: "opportunity",
      entityId: deal.id,
      data: { opportunity: deal, fromStage: { id: stage(0).id, name: stage(0).name }, toStage: { id: to.id, name: to.name, kind: "open" }, reason: { text: "progressed" } },
    },
    ...over,
  };
}

const runsOf = (automationId: string) => db().select().from(automationRuns).where(eq(automationRuns.automationId, automationId));
const tasksOf = (dealId: string) => db().select().from(activities).where(and(eq(activities.opportunityId, dealId), eq(activities.type, "task")));
const finished = (runs: { status: string }[], n = 1) => runs.length === n && runs.every((r) => ["succeeded", "failed", "skipped"].includes(r.status));

describe("rules API", () => {
  it("an ADMIN creates, reads, pauses and deletes a rule; the rule is JSON in and out", async () => {
    const rule = await createRule(followUpRule(stage(2).id));
    const got = await api(`/api/automations/${rule.id}`, { token: ws.viewer.token });
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ name: "Follow up on proposal", enabled: true, source: "ui", trigger: { type: "stage_entered", stages: [stage(2).id] } });
    expect(got.body.actions[0]).toMatchObject({ type: "create_task", assignee: "owner", dueIn: { amount: 2, unit: "days" } });

    const paused = await api(`/api/automations/${rule.id}`, { method: "PATCH", token: ws.admin.token, body: { enabled: false } });
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({ enabled: false, version: 2 });
    const stale = await api(`/api/automations/${rule.id}`, { method: "PATCH", token: ws.admin.token, body: { name: "x", version: 1 } });
    expect(stale.status).toBe(409);

    const list = await api("/api/automations", { token: ws.user.token });
    expect(list.body.data.map((r: { id: string }) => r.id)).toContain(rule.id);
    const foreign = await api(`/api/automations/${rule.id}`, { token: other.admin.token });
    expect(foreign.status).toBe(404);

    expect((await api(`/api/automations/${rule.id}`, { method: "DELETE", token: ws.admin.token })).status).toBe(204);
    expect((await api(`/api/automations/${rule.id}`, { token: ws.admin.token })).status).toBe(404);
  });

  it("VIEWER and USER may read but not write rules", async () => {
    const rule = await createRule(followUpRule(stage(2).id));
    for (const who of [ws.viewer, ws.user]) {
      expect((await api("/api/automations", { method: "POST", token: who.token, body: followUpRule(stage(2).id) })).status).toBe(403);
      expect((await api(`/api/automations/${rule.id}`, { method: "PATCH", token: who.token, body: { enabled: false } })).status).toBe(403);
      expect((await api(`/api/automations/${rule.id}`, { method: "DELETE", token: who.token })).status).toBe(403);
      expect((await api(`/api/automations/${rule.id}/dry-run`, { method: "POST", token: who.token, body: { recordId: rule.id } })).status).toBe(403);
      expect((await api(`/api/automations/${rule.id}/runs`, { token: who.token })).status).toBe(200);
    }
    expect((await api(`/api/automations/${rule.id}`, { method: "DELETE", token: ws.admin.token })).status).toBe(204);
  });

  it("a bad rule is a 422 naming the field: unknown trigger, no actions, a stage of nowhere, a private URL in production", async () => {
    const bad = await api("/api/automations", { method: "POST", token: ws.admin.token, body: { name: "x", trigger: { type: "sometimes" }, actions: [] } });
    expectProblem(bad, 422, ["trigger.type", "actions"]);
    const stageless = await api("/api/automations", {
      method: "POST",
      token: ws.admin.token,
      body: { name: "x", trigger: { type: "stage_entered", stages: ["no_such_stage"] }, actions: [{ type: "move_stage", stage: other.stages[1]!.id, reason: "r" }] },
    });
    expectProblem(stageless, 422, ["trigger.stages.0", "actions.0.stage"]);
    const wait = await api("/api/automations", { method: "POST", token: ws.admin.token, body: { name: "x", trigger: { type: "deal_aging" }, actions: [{ type: "wait" }] } });
    expectProblem(wait, 422, ["actions.0"]);
  });
});

describe("runs", () => {
  it("a deal entering the stage runs the rule on Workflows: a follow-up task for the owner, the run and its step in the history", async () => {
    const rule = await createRule(followUpRule(stage(2).id));
    const deal = await createOpportunity(ws.user, { stageId: stage(0).id, ownerId: ws.user.id });
    const outcomes = await onDomainEvent(stageChanged(deal, stage(2)), services);
    expect(outcomes).toEqual([{ kind: "started", runId: expect.any(String) }]);

    const [task] = await eventually(() => tasksOf(deal.id), (t) => t.length === 1, "the follow-up task");
    expect(task).toMatchObject({ subject: `Send the proposal for ${deal.name}`, ownerId: ws.user.id, completedAt: null });
    const dueInDays = (task!.dueAt!.getTime() - Date.now()) / 86_400_000;
    expect(dueInDays).toBeGreaterThan(1.9);
    expect(dueInDays).toBeLessThan(2.1);

    await eventually(() => runsOf(rule.id), (r) => finished(r), "the run to finish");
    const history = await api(`/api/automations/${rule.id}/runs`, { token: ws.viewer.token });
    expect(history.status).toBe(200);
    const [run] = history.body.data;
    expect(run).toMatchObject({ status: "succeeded", recordType: "opportunity", recordId: deal.id, triggerEvent: { type: "opportunity.stage_changed" }, error: null });
    expect(run.steps).toEqual([expect.objectContaining({ index: 0, type: "create_task", status: "succeeded", result: expect.objectContaining({ taskId: task!.id }), attempts: 1 })]);
    expect(run.durationMs).toBeGreaterThanOrEqual(0);
  });

  it("a duplicate delivery of the same event starts one run and creates one task", async () => {
    const rule = await createRule(followUpRule(stage(3).id));
    const deal = await createOpportunity(ws.user, { stageId: stage(0).id, ownerId: ws.user.id });
    const message = stageChanged(deal, stage(3));
    const [a, b] = await Promise.all([onDomainEvent(message, services), onDomainEvent(message, services)]);
    const c = await onDomainEvent(message, services);
    expect([...a, ...b, ...c].map((o) => o.kind).sort()).toEqual(["duplicate", "duplicate", "started"]);
    await eventually(() => runsOf(rule.id), (r) => finished(r), "the run");
    await new Promise((r) => setTimeout(r, 500));
    expect(await tasksOf(deal.id)).toHaveLength(1);
    expect(await runsOf(rule.id)).toHaveLength(1);
  });

  it("loops are refused: a rule's own change does not re-trigger it, and a record in a run does not enter it again", async () => {
    const rule = await createRule({
      name: "Bump amount",
      trigger: { type: "field_changed", entity: "opportunity", fields: ["amount"] },
      actions: [{ type: "wait", for: { amount: 30, unit: "minutes" } }, { type: "update_fields", fields: { amount: 999 } }],
    });
    const deal = await createOpportunity(ws.user, { stageId: stage(0).id, amount: 100 });
    const updated = (over: Partial<OutboxMessage> = {}): OutboxMessage => ({
      ...stageChanged(deal, stage(1)),
      event: { type: "opportunity.updated", entityType: "opportunity", entityId: deal.id, data: { changes: { amount: { from: 100, to: 999 } } } },
      ...over,
    });
    // The rule's own update arrives as an event caused by the rule: refused.
    expect(await onDomainEvent(updated({ causedByRuleId: rule.id }), services)).toEqual([]);
    // A person's change starts a run, which waits; a second change while it waits does not enter the record again.
    const first = await onDomainEvent(updated(), services);
    expect(first[0]?.kind).toBe("started");
    await eventually(() => runsOf(rule.id), (r) => r.some((x) => x.status === "waiting"), "the run to wait");
    const second = await onDomainEvent(updated(), services);
    expect(second[0]?.kind).toBe("already_running");
    const runs = await runsOf(rule.id);
    expect(runs.filter((r) => r.status === "waiting")).toHaveLength(1);
    expect(runs.find((r) => r.status === "skipped")?.error).toMatch(/already in a run/);
    const [step] = await db().select().from(automationRunSteps).where(eq(automationRunSteps.runId, first[0]!.runId!));
    expect(step).toMatchObject({ type: "wait", status: "waiting" });
  });

  it("conditions (AND, custom fields and amounts) decide whether a run starts", async () => {
    const rule = await createRule(
      followUpRule(stage(1).id, {
        conditions: [
          { field: "amount", op: "gte", value: 50_000 },
          { field: "ownerId", op: "eq", value: ws.user.id },
        ],
      }),
    );
    const small = await createOpportunity(ws.user, { stageId: stage(0).id, amount: 10_000, ownerId: ws.user.id });
    const big = await createOpportunity(ws.user, { stageId: stage(0).id, amount: 90_000, ownerId: ws.user.id });
    expect(await onDomainEvent(stageChanged(small, stage(1)), services)).toEqual([]);
    expect((await onDomainEvent(stageChanged(big, stage(1)), services))[0]?.kind).toBe("started");
    await eventually(() => runsOf(rule.id), (r) => finished(r), "the run");
  });

  it("the per-workspace cap: above it a trigger is recorded as a skipped run, not started", async () => {
    const rule = await createRule(followUpRule(stage(4).id));
    const capped = { ...services, automations: { ...services.automations, runsPerMinute: 0 } };
    const deal = await createOpportunity(ws.user, { stageId: stage(0).id });
    const [out] = await onDomainEvent(stageChanged(deal, stage(4)), capped);
    expect(out?.kind).toBe("capped");
    const [run] = await runsOf(rule.id);
    expect(run).toMatchObject({ status: "skipped", error: expect.stringMatching(/limit of 0 automation runs/) });
    await new Promise((r) => setTimeout(r, 500));
    expect(await tasksOf(deal.id)).toHaveLength(0);
  });

  it("a dry run shows what would happen for a record and writes nothing", async () => {
    const rule = await createRule(
      followUpRule(stage(2).id, {
        conditions: [{ field: "amount", op: "gt", value: 1000 }],
        actions: [
          { type: "create_task", title: "Call {{record.name}}", assignee: "owner", dueIn: { amount: 1, unit: "days" } },
          { type: "move_stage", stage: stage(3).id, reason: "Automation moved it" },
          { type: "notify", to: ["owner"], title: "Heads up: {{record.name}}" },
        ],
      }),
    );
    const deal = await createOpportunity(ws.user, { stageId: stage(0).id, amount: 5000, ownerId: ws.user.id });
    const count = async () => {
      const [row] = await db().select({ runs: sql<number>`(select count(*)::int from automation_runs where automation_id = ${rule.id})`, acts: sql<number>`(select count(*)::int from activities where opportunity_id = ${deal.id})`, notes: sql<number>`(select count(*)::int from notifications where entity_id = ${deal.id})` }).from(automations).limit(1);
      return row;
    };
    const before = await count();
    const res = await api(`/api/automations/${rule.id}/dry-run`, { method: "POST", token: ws.admin.token, body: { recordId: deal.id } });
    expect(res.status).toBe(200);
    expect(res.body.matches).toBe(true);
    expect(res.body.conditions).toEqual([{ field: "amount", op: "gt", expected: 1000, actual: 5000, ok: true }]);
    expect(res.body.steps.map((s: { wouldDo: string }) => s.wouldDo)).toEqual([
      expect.stringMatching(new RegExp(`^Create the task "Call ${deal.name}", due `)),
      `Move the deal to ${stage(3).name} ("Automation moved it")`,
      `Notify 1 user(s): "Heads up: ${deal.name}"`,
    ]);
    expect(await count()).toEqual(before);
    const deal2 = await api(`/api/opportunities/${deal.id}`, { token: ws.admin.token });
    expect(deal2.body.stageId).toBe(stage(0).id);
    expect((await api(`/api/automations/${rule.id}/dry-run`, { method: "POST", token: ws.admin.token, body: { recordId: other.admin.id } })).status).toBe(404);
  });

  it("actions: update fields, move stage with its reason, notify the owner, call a webhook with an idempotency key", async () => {
    const rule = await createRule({
      name: "Escalate",
      trigger: { type: "stage_entered", stages: [stage(1).id] },
      actions: [
        { type: "update_fields", fields: { nextStep: "Escalated by {{rule.name}}", probability: 40 } },
        { type: "move_stage", stage: stage(2).id, reason: "Escalated automatically" },
        { type: "notify", to: ["owner"], title: "{{record.name}} was escalated" },
        { type: "call_webhook", url: hookUrl("automation-escalate") },
      ],
    });
    const deal = await createOpportunity(ws.user, { stageId: stage(0).id, ownerId: ws.user.id });
    const [out] = await onDomainEvent(stageChanged(deal, stage(1)), services);
    const runs = await eventually(() => runsOf(rule.id), (r) => finished(r), "the run");
    expect(runs[0], JSON.stringify(await db().select().from(automationRunSteps).where(eq(automationRunSteps.runId, out!.runId!)))).toMatchObject({ status: "succeeded" });
    const after = await api(`/api/opportunities/${deal.id}`, { token: ws.admin.token });
    expect(after.body).toMatchObject({ stageId: stage(2).id, probability: 40, nextStep: "Escalated by {{rule.name}}" });
    const [move] = await db().select().from(activities).where(and(eq(activities.opportunityId, deal.id), eq(activities.type, "stage_change")));
    expect(move?.body).toBe("Escalated automatically");
    const notes = await db().select().from(notifications).where(eq(notifications.entityId, deal.id));
    expect(notes).toEqual([expect.objectContaining({ userId: ws.user.id, kind: "automation", title: `${deal.name} was escalated`, link: `/opportunities/${deal.id}` })]);
    const hooks = await received("automation-escalate");
    expect(hooks).toHaveLength(1);
    expect(hooks[0]!.headers["idempotency-key"]).toBe(`${out!.runId}:3`);
  });

  it("time triggers: an overdue close date fires once per (rule, record, day)", async () => {
    const rule = await createRule({ name: "Close date passed", trigger: { type: "close_date_passed" }, actions: [{ type: "notify", to: ["owner"], title: "Close date passed: {{record.name}}" }] });
    const deal = await createOpportunity(ws.user, { stageId: stage(0).id, ownerId: ws.user.id, closeDate: "2020-01-31" });
    const now = new Date();
    await runTimeTriggers({ db: db(), runner: services.automations, now });
    await runTimeTriggers({ db: db(), runner: services.automations, now });
    const runs = await eventually(() => runsOf(rule.id), (r) => r.some((x) => x.recordId === deal.id && x.status === "succeeded"), "the reminder run");
    expect(runs.filter((r) => r.recordId === deal.id)).toHaveLength(1);
    expect(runs[0]!.triggerKey).toBe(`close_date_passed:${deal.id}:${now.toISOString().slice(0, 10)}`);
  });

  it("an inbound webhook with the rule's token starts a run; a wrong token is a 404", async () => {
    const rule = await createRule({ name: "Hooked", trigger: { type: "webhook", entity: "opportunity" }, actions: [{ type: "create_task", title: "From the hook: {{record.name}}" }] });
    expect(rule.webhookToken).toMatch(/^ahk_/);
    const [row] = await db().select().from(automations).where(eq(automations.id, rule.id));
    expect(row!.webhookTokenHash).not.toContain(rule.webhookToken!);
    const deal = await createOpportunity(ws.user, { stageId: stage(0).id });
    const wrong = await api(`/api/automations/${rule.id}/webhook`, { method: "POST", headers: { "X-Bespoke-Token": "ahk_wrong" }, body: { recordId: deal.id } });
    expect(wrong.status).toBe(404);
    const call = () => api(`/api/automations/${rule.id}/webhook`, { method: "POST", headers: { "X-Bespoke-Token": rule.webhookToken!, "Idempotency-Key": "call-1" }, body: { recordId: deal.id } });
    const ok = await call();
    expect(ok.status).toBe(202);
    expect(ok.body).toMatchObject({ status: "started" });
    expect((await call()).body).toMatchObject({ status: "duplicate", runId: ok.body.runId });
    await eventually(() => tasksOf(deal.id), (t) => t.length === 1, "the hook's task");
  });
});

describe("through the real event chain (outbox → relay → EVENTS queue → consumer → Workflows)", () => {
  let w: TestWorkspace;
  beforeAll(async () => {
    w = await createWorkspace();
  });

  it("a PATCH that moves a deal into the stage creates the follow-up task once", async () => {
    const rule = await createRule(followUpRule(w.stages[2]!.id, { name: "Chain follow-up" }), w.admin);
    const deal = await createOpportunity(w.user, { stageId: w.stages[0]!.id, ownerId: w.user.id });
    const moved = await api(`/api/opportunities/${deal.id}`, { method: "PATCH", token: w.user.token, body: { stageId: w.stages[2]!.id, stageChangeReason: "Proposal sent", version: deal.version } });
    expect(moved.status).toBe(200);
    const [task] = await eventually(() => tasksOf(deal.id), (t) => t.length === 1, "the follow-up task");
    expect(task).toMatchObject({ subject: `Send the proposal for ${deal.name}`, ownerId: w.user.id });
    const runs = await eventually(() => runsOf(rule.id), (r) => finished(r), "the run");
    expect(runs[0]).toMatchObject({ status: "succeeded", recordId: deal.id, triggerEvent: expect.objectContaining({ type: "opportunity.stage_changed" }) });
  });

  it("a rule whose action changes the field it watches runs once: its own change does not re-trigger it", async () => {
    const rule = await createRule(
      { name: "Round up", trigger: { type: "field_changed", entity: "opportunity", fields: ["amount"] }, actions: [{ type: "update_fields", fields: { amount: 999_900 } }] },
      w.admin,
    );
    const deal = await createOpportunity(w.user, { stageId: w.stages[0]!.id, amount: 100 });
    await api(`/api/opportunities/${deal.id}`, { method: "PATCH", token: w.user.token, body: { amount: 200, version: deal.version } });
    await eventually(async () => (await api(`/api/opportunities/${deal.id}`, { token: w.user.token })).body.amount, (a) => a === 999_900, "the rule's update");
    // The rule's update is an opportunity.updated event of its own, caused by the rule: give it time to arrive.
    await new Promise((r) => setTimeout(r, 3000));
    const runs = await runsOf(rule.id);
    expect(runs).toHaveLength(1);
    expect(runs[0]!.status).toBe("succeeded");
  });
});
