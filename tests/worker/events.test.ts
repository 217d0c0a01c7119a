import { env } from "cloudflare:workers";
import { createExecutionContext, createMessageBatch, createScheduledController, getQueueResult, waitOnExecutionContext } from "cloudflare:test";
import { and, eq, inArray, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { notifications, opportunities, outboxEvents, webhookDeliveries, webhookEndpoints } from "../../db/schema";
import worker from "../../worker/index";
import { toMessage } from "../../worker/events/outbox";
import { EVENTS_QUEUE } from "../../worker/queues/events";
import { updateRecord } from "../../worker/services/records/update";
import { entities } from "../../worker/services/records/entities";
import { importCsv } from "../helpers/import";
import { createAccount, createOpportunity, expectProblem } from "../helpers/records";
import { hookUrl, received } from "../helpers/webhooks";
import { api, eventually, BASE, createWorkspace, testDb, unique, type TestWorkspace } from "../helpers/worker";

const db = () => testDb().http;
const outboxOf = (entityId: string) => db().select().from(outboxEvents).where(eq(outboxEvents.entityId, entityId)).orderBy(outboxEvents.id);

let ws: TestWorkspace;
beforeAll(async () => {
  ws = await createWorkspace();
});

/** The Worker's fetch with another environment (a queue that refuses messages), finishing its waitUntil work. */
async function fetchWith(workerEnv: Env, path: string, init: { method: string; token: string; body: unknown }) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`${BASE}${path}`, { method: init.method, headers: { Authorization: `Bearer ${init.token}`, "Content-Type": "application/json" }, body: JSON.stringify(init.body) }),
    workerEnv,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return { status: res.status, body: (await res.json()) as any };
}

/** One message on the events consumer, as the queue would deliver it. */
async function consume(body: unknown, msgId = unique("msg")) {
  const batch = createMessageBatch(EVENTS_QUEUE, [{ id: msgId, timestamp: new Date(), attempts: 1, body }]);
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  return getQueueResult(batch, ctx);
}

describe("the transactional outbox", () => {
  it("a committed change writes its events in its transaction, and the relay dispatches them once", async () => {
    const deal = await createOpportunity(ws.user, {});
    const target = ws.stages.find((s) => s.name === "Negotiation")!;
    const moved = await api(`/api/opportunities/${deal.id}`, { method: "PATCH", token: ws.user.token, body: { stageId: target.id, stageChangeReason: "Verbal yes", amount: 5000, version: deal.version } });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body.version).toBe(deal.version + 1);
    const rows = await eventually(() => outboxOf(deal.id), (r) => r.length === 3 && r.every((x) => x.dispatchedAt !== null), "dispatched outbox rows");
    expect(rows.map((r) => r.type)).toEqual(["opportunity.created", "opportunity.stage_changed", "opportunity.updated"]);
    expect(rows.every((r) => r.attempts === 1 && r.actorId === ws.user.id && r.workspaceId === ws.id)).toBe(true);
    const changed = rows[1]!.data as any;
    expect(changed).toMatchObject({
      fromStage: { id: deal.stageId, kind: "open" },
      toStage: { id: target.id, name: "Negotiation", kind: "open" },
      fromPipelineId: deal.pipelineId,
      toPipelineId: deal.pipelineId,
      reason: "Verbal yes",
      reasonCode: null,
      source: "edit",
      opportunity: { id: deal.id, stageId: target.id, amount: 5000, version: deal.version + 1 },
    });
    expect((rows[2]!.data as any).changes).toMatchObject({ amount: { to: 5000 }, stageId: { from: deal.stageId, to: target.id } });
  }, 90_000);

  it("a refused request writes no event", async () => {
    const deal = await createOpportunity(ws.user, {});
    expectProblem(await api(`/api/opportunities/${deal.id}`, { method: "PATCH", token: ws.user.token, body: { stageId: ws.stages[2]!.id } }), 422, ["stageChangeReason"]);
    expect((await outboxOf(deal.id)).map((r) => r.type)).toEqual(["opportunity.created"]);
  });

  it("an event whose enqueue fails after the commit is not lost: the cron sweep sends it, and it is delivered once", async () => {
    const hook = unique("sweep");
    const endpoint = await api("/api/webhooks", { method: "POST", token: ws.admin.token, body: { url: hookUrl(hook), events: ["account.updated"] } });
    expect(endpoint.status).toBe(201);
    const account = await createAccount(ws.user, {});
    const failing = { ...env, EVENTS_QUEUE: { send: () => Promise.reject(new Error("queue down")), sendBatch: () => Promise.reject(new Error("queue down")) } as unknown as Queue };
    const res = await fetchWith(failing, `/api/accounts/${account.id}`, { method: "PATCH", token: ws.user.token, body: { industry: "Robotics" } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);

    // Committed, tried once, not dispatched; nothing reached the receiver.
    const [row] = (await outboxOf(account.id)).filter((r) => r.type === "account.updated");
    expect(row).toMatchObject({ dispatchedAt: null, attempts: 1 });
    await new Promise((r) => setTimeout(r, 1500));
    expect(await received(hook)).toHaveLength(0);

    // Younger than 30 s: the sweep leaves it to its request; older: the sweep sends it.
    const sweep = async () => {
      const ctx = createExecutionContext();
      await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: "* * * * *" }), env, ctx);
      await waitOnExecutionContext(ctx);
    };
    await sweep();
    expect((await db().select().from(outboxEvents).where(eq(outboxEvents.id, row!.id)))[0]!.dispatchedAt).toBeNull();
    // Aged 45 s (the endpoint, which existed before the change, with it: an endpoint gets only what happened after it).
    await db().update(outboxEvents).set({ occurredAt: sql`now() - interval '45 seconds'` }).where(eq(outboxEvents.id, row!.id));
    await db().update(webhookEndpoints).set({ createdAt: sql`now() - interval '1 hour'` }).where(eq(webhookEndpoints.id, endpoint.body.id));
    await sweep();
    const [after] = await db().select().from(outboxEvents).where(eq(outboxEvents.id, row!.id));
    expect(after).toMatchObject({ attempts: 2 });
    expect(after!.dispatchedAt).not.toBeNull();

    // Through the events queue, the fan-out and the webhook queue: behind whatever else the suite has queued, so allow a minute.
    const hooks = await eventually(() => received(hook), (r) => r.length >= 1, "the swept event at the receiver", 60_000);
    const body = JSON.parse(hooks[0]!.body);
    expect(body).toMatchObject({ id: row!.eventId, type: "account.updated", data: { id: account.id, industry: "Robotics", changes: { industry: { to: "Robotics" } } } });
    // A second sweep finds nothing to send.
    await sweep();
    await new Promise((r) => setTimeout(r, 1500));
    expect(await received(hook)).toHaveLength(1);
  }, 120_000);

  it("a webhook endpoint added while an event still waits in the queue does not receive that earlier event", async () => {
    const account = await createAccount(ws.user, {});
    const caught: unknown[] = [];
    const catching = { ...env, EVENTS_QUEUE: { send: async (b: unknown) => void caught.push(b), sendBatch: async (m: { body: unknown }[]) => void caught.push(...m.map((x) => x.body)) } as unknown as Queue };
    expect((await fetchWith(catching, `/api/accounts/${account.id}`, { method: "PATCH", token: ws.user.token, body: { industry: "Before the hook" } })).status).toBe(200);
    expect(caught).toHaveLength(1);

    const hook = unique("late");
    const ep = await api("/api/webhooks", { method: "POST", token: ws.admin.token, body: { url: hookUrl(hook), events: ["account.updated"] } });
    expect(ep.status).toBe(201);
    const deliveries = () => db().select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, ep.body.id));
    // The queue hands the earlier event over only now: the new endpoint is not sent it.
    expect((await consume(caught[0])).explicitAcks).toHaveLength(1);
    expect(await deliveries()).toHaveLength(0);

    // What happens after it was added reaches it.
    expect((await api(`/api/accounts/${account.id}`, { method: "PATCH", token: ws.user.token, body: { industry: "After the hook" } })).status).toBe(200);
    const [d] = await eventually(deliveries, (r) => r.length === 1, "the later event's delivery", 60_000);
    expect((d!.payload as any).data).toMatchObject({ id: account.id, industry: "After the hook" });
  }, 90_000);

  it("a redelivered event produces no second effect (webhook delivery, notification)", async () => {
    const hook = unique("redeliver");
    const ep = await api("/api/webhooks", { method: "POST", token: ws.admin.token, body: { url: hookUrl(hook), events: ["opportunity.updated"] } });
    const deal = await createOpportunity(ws.user, {});
    // Reassigned by the USER to the ADMIN: the ADMIN is told, once.
    const res = await api(`/api/opportunities/${deal.id}`, { method: "PATCH", token: ws.user.token, body: { ownerId: ws.admin.id } });
    expect(res.status).toBe(200);
    const [row] = await eventually(async () => (await outboxOf(deal.id)).filter((r) => r.type === "opportunity.updated" && r.dispatchedAt), (r) => r.length === 1, "dispatched update");
    const deliveries = () => db().select().from(webhookDeliveries).where(and(eq(webhookDeliveries.endpointId, ep.body.id), eq(webhookDeliveries.eventId, row!.eventId)));
    const bell = () => db().select().from(notifications).where(and(eq(notifications.userId, ws.admin.id), eq(notifications.entityId, deal.id)));
    await eventually(deliveries, (d) => d.length === 1, "the delivery");
    await eventually(bell, (n) => n.length === 1, "the notification");

    // The queue delivers the same event again (at-least-once): acked, and nothing new.
    const again = await consume(toMessage(row!));
    expect(again.explicitAcks).toHaveLength(1);
    expect(await deliveries()).toHaveLength(1);
    const [n] = await bell();
    expect(n).toMatchObject({ kind: "assignment", link: `/opportunities/${deal.id}`, actorId: ws.user.id });
    expect(await bell()).toHaveLength(1);
    await eventually(() => received(hook), (r) => r.length === 1, "one webhook");
    await new Promise((r) => setTimeout(r, 1500));
    expect(await received(hook)).toHaveLength(1);
  });

  it("an automation's change carries its rule id on the outbox row (loop guard)", async () => {
    const account = await createAccount(ws.user, {});
    const ruleId = crypto.randomUUID();
    const services = testDb();
    try {
      await updateRecord({ db: services, actor: { userId: ws.admin.id, workspaceId: ws.id, causedByRuleId: ruleId, outbox: [] }, def: entities.account, id: account.id, body: { industry: "Automated" } });
    } finally {
      await services.close();
    }
    const [row] = (await outboxOf(account.id)).filter((r) => r.type === "account.updated");
    expect(row).toMatchObject({ causedByRuleId: ruleId, actorId: ws.admin.id });
    expect(toMessage(row!)).toMatchObject({ causedByRuleId: ruleId, event: { type: "account.updated", entityId: account.id } });
  });
});

describe("one stage-move verb at import scale", () => {
  it("1,000 deals moved into a stage by one import: 1,000 stage_changed rows, all dispatched once", async () => {
    const w = await createWorkspace();
    const n = 1000;
    const ext = unique("bulk");
    const lines = Array.from({ length: n }, (_, i) => `${ext}-${i},Bulk deal ${i}`);
    const created = await importCsv(w.user, "opportunities", `externalId,name\n${lines.join("\n")}\n`);
    expect(created.body).toMatchObject({ created: n, errors: [] });
    const target = w.stages.find((s) => s.name === "Negotiation")!;
    const started = Date.now();
    const moved = await importCsv(w.user, "opportunities", `externalId,name,stageName\n${lines.map((l) => `${l},Negotiation`).join("\n")}\n`);
    const importMs = Date.now() - started;
    expect(moved.body).toMatchObject({ updated: n, errors: [] });
    const changed = () => db().select().from(outboxEvents).where(and(eq(outboxEvents.workspaceId, w.id), eq(outboxEvents.type, "opportunity.stage_changed")));
    const rows = await eventually(changed, (r) => r.length === n && r.every((x) => x.dispatchedAt !== null), "1,000 dispatched stage changes", 60_000);
    const dispatchMs = Date.now() - started;
    expect(rows.every((r) => r.attempts === 1)).toBe(true);
    expect(new Set(rows.map((r) => r.entityId)).size).toBe(n);
    expect(rows.every((r) => (r.data as any).source === "import" && (r.data as any).toStage.id === target.id)).toBe(true);
    const deals = await db().select({ id: opportunities.id, version: opportunities.version }).from(opportunities).where(inArray(opportunities.id, rows.map((r) => r.entityId!)));
    expect(deals.every((d) => d.version === 2)).toBe(true);
    const audits = await db().execute(sql`select count(*)::int as n from audit_log where workspace_id = ${w.id} and action = 'stage_change'`);
    expect((audits as any).rows[0].n).toBe(n);
    console.log(JSON.stringify({ figure: "1000 deals moved by one import", importMs, allDispatchedMs: dispatchMs }));
  }, 180_000);
});
