import { env } from "cloudflare:workers";
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { auditLog, webhookDeliveries } from "../../db/schema";
import worker from "../../worker/index";
import { isPrivateHost, resolvedHostProblem, urlSafetyProblem } from "../../worker/lib/url-safety";
import { verifySignature } from "../../worker/lib/webhook-signature";
import { WEBHOOK_DLQ, WEBHOOK_QUEUE } from "../../worker/queues/webhooks";
import { deliverOnce } from "../../worker/services/webhooks/deliver";
import { callWith, PRODUCTION } from "../helpers/production";
import { expectProblem } from "../helpers/records";
import { failNext, hookUrl, received } from "../helpers/webhooks";
import { api, eventually, createWorkspace, testDb, unique, type TestUser, type TestWorkspace } from "../helpers/worker";

/** Independent of the Worker's code: what a receiver computes from the secret and the raw body. */
async function hmacHex(secret: string, message: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return [...new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(message)))].map((b) => b.toString(16).padStart(2, "0")).join("");
}

let ws: TestWorkspace;
let other: TestWorkspace;
beforeAll(async () => {
  [ws, other] = await Promise.all([createWorkspace(), createWorkspace()]);
});

const db = () => testDb().http;
const register = async (body: Record<string, unknown>, who: TestUser = ws.admin) => {
  const res = await api("/api/webhooks", { method: "POST", token: who.token, body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; secret: string; url: string; events: string[] };
};
const deliveriesOf = (endpointId: string) => db().select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpointId));

/** A delivery row as the fan-out writes it, without sending its queue message: the test drives the consumer. */
async function pendingDelivery(endpointId: string, workspaceId = ws.id, attempts = 0) {
  const eventId = crypto.randomUUID();
  const [row] = await db()
    .insert(webhookDeliveries)
    .values({
      workspaceId,
      endpointId,
      eventId,
      eventType: "account.updated",
      attempts,
      payload: { id: eventId, type: "account.updated", createdAt: new Date().toISOString(), workspaceId, data: { id: crypto.randomUUID(), name: "Zoë & Co" } },
    })
    .returning();
  return row!;
}

/**
 * Runs the Worker's queue handler on one message, as the queue would. getQueueResult reports which messages were
 * retried but (plugin 1.5) not their delay, so each message's retry() is also observed here.
 */
async function runConsumer(queue: string, deliveryId: string, msgId = `m-${unique()}`) {
  const batch = createMessageBatch(queue, [{ id: msgId, timestamp: new Date(), attempts: 1, body: { type: "webhook.deliver", deliveryId } }]);
  const retries: { msgId: string; delaySeconds?: number }[] = [];
  for (const m of batch.messages) {
    const retry = m.retry.bind(m);
    Object.defineProperty(m, "retry", { value: (o?: QueueRetryOptions) => (retries.push({ msgId: m.id, delaySeconds: o?.delaySeconds }), retry(o)) });
  }
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  const result = await getQueueResult(batch, ctx);
  expect(result.retryMessages.map((r) => r.msgId)).toEqual(retries.map((r) => r.msgId));
  return { msgId, result: { ...result, retryMessages: retries } };
}
const deliveryRow = async (id: string) => (await db().select().from(webhookDeliveries).where(eq(webhookDeliveries.id, id)))[0]!;

// ---------------------------------------------------------------------------------------------------------------
describe("managing endpoints", () => {
  it("an ADMIN registers an endpoint and sees its secret exactly once", async () => {
    const created = await register({ url: hookUrl(unique("mgmt")), events: ["account.created", "account.created", "opportunity.stage_changed"], description: "Data warehouse" });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9_-]{40,}$/);
    expect(created).toMatchObject({ events: ["account.created", "opportunity.stage_changed"], active: true, description: "Data warehouse" });

    const list = await api("/api/webhooks", { token: ws.admin.token });
    expect(list.status).toBe(200);
    const listed = list.body.data.find((e: { id: string }) => e.id === created.id);
    expect(listed).toMatchObject({ url: created.url, events: created.events });
    const one = await api(`/api/webhooks/${created.id}`, { token: ws.admin.token });
    expect(one.status).toBe(200);
    for (const body of [listed, one.body]) expect(JSON.stringify(body)).not.toContain(created.secret);
    const audits = await db().select().from(auditLog).where(and(eq(auditLog.entityId, created.id)));
    expect(audits.map((a) => a.action)).toEqual(["create"]);
    expect(JSON.stringify(audits)).not.toContain(created.secret);
  });

  it("edits url, events and active, and deletes", async () => {
    const created = await register({ url: hookUrl(unique("edit")), events: ["lead.created"] });
    const patched = await api(`/api/webhooks/${created.id}`, { method: "PATCH", token: ws.admin.token, body: { events: ["lead.converted", "lead.updated"], active: false, description: "paused" } });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body).toMatchObject({ events: ["lead.converted", "lead.updated"], active: false, description: "paused", url: created.url });
    expect(patched.body).not.toHaveProperty("secret");
    expectProblem(await api(`/api/webhooks/${created.id}`, { method: "PATCH", token: ws.admin.token, body: { url: "ftp://files.example/in" } }), 422, ["url"]);

    const del = await api(`/api/webhooks/${created.id}`, { method: "DELETE", token: ws.admin.token });
    expect(del.status).toBe(204);
    expectProblem(await api(`/api/webhooks/${created.id}`, { token: ws.admin.token }), 404);
    const list = await api("/api/webhooks", { token: ws.admin.token });
    expect(list.body.data.map((e: { id: string }) => e.id)).not.toContain(created.id);
  });

  it("refuses bad URLs and unknown events, naming the field", async () => {
    const post = (body: unknown) => api("/api/webhooks", { method: "POST", token: ws.admin.token, body });
    expectProblem(await post({ url: "ftp://files.example/in", events: ["account.created"] }), 422, ["url"]);
    expectProblem(await post({ url: "not a url", events: ["account.created"] }), 422, ["url"]);
    expectProblem(await post({ url: "https://user:pw@hooks.example/in", events: ["account.created"] }), 422, ["url"]);
    expectProblem(await post({ url: "https://hooks.example/in", events: ["account.exploded"] }), 422, ["events.0"]);
    expectProblem(await post({ url: "https://hooks.example/in", events: [] }), 422, ["events"]);
    expectProblem(await post({ url: "https://hooks.example/in", events: ["account.created"], secret: "mine" }), 422);
  });

  it("only ADMINs manage webhooks; other workspaces' endpoints and deliveries are 404", async () => {
    const created = await register({ url: hookUrl(unique("sec")), events: ["account.created"] });
    const delivery = await pendingDelivery(created.id);
    for (const who of [ws.user, ws.viewer]) {
      expectProblem(await api("/api/webhooks", { token: who.token }), 403);
      expectProblem(await api("/api/webhooks", { method: "POST", token: who.token, body: { url: hookUrl("x"), events: ["account.created"] } }), 403);
      expectProblem(await api(`/api/webhooks/${created.id}`, { method: "PATCH", token: who.token, body: { active: false } }), 403);
      expectProblem(await api(`/api/webhooks/${created.id}`, { method: "DELETE", token: who.token }), 403);
      expectProblem(await api(`/api/webhooks/${created.id}/deliveries`, { token: who.token }), 403);
      expectProblem(await api(`/api/webhooks/deliveries/${delivery.id}/redeliver`, { method: "POST", token: who.token }), 403);
    }
    expectProblem(await api("/api/webhooks"), 401);
    const stranger = other.admin.token;
    expectProblem(await api(`/api/webhooks/${created.id}`, { token: stranger }), 404);
    expectProblem(await api(`/api/webhooks/${created.id}`, { method: "PATCH", token: stranger, body: { active: false } }), 404);
    expectProblem(await api(`/api/webhooks/${created.id}`, { method: "DELETE", token: stranger }), 404);
    expectProblem(await api(`/api/webhooks/${created.id}/deliveries`, { token: stranger }), 404);
    expectProblem(await api(`/api/webhooks/deliveries/${delivery.id}/redeliver`, { method: "POST", token: stranger }), 404);
    expect((await api("/api/webhooks", { token: stranger })).body.data).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
describe("events to deliveries", () => {
  it("delivers a mutation's event to subscribed endpoints, signed, through the real queue", async () => {
    const name = unique("e2e");
    const accountsHook = await register({ url: hookUrl(name), events: ["account.created", "account.updated"] });
    const contactsHook = await register({ url: hookUrl(`${name}-contacts`), events: ["contact.created"] });
    const paused = await register({ url: hookUrl(`${name}-paused`), events: ["account.created"] });
    await api(`/api/webhooks/${paused.id}`, { method: "PATCH", token: ws.admin.token, body: { active: false } });

    const acc = await api("/api/accounts", { method: "POST", token: ws.user.token, body: { name: "Hooked Inc", domain: "hooked.example" } });
    expect(acc.status).toBe(201);
    const [req] = await eventually(() => received(name), (r) => r.length >= 1, "the account.created delivery");
    expect(req!.headers["content-type"]).toBe("application/json");
    expect(req!.headers["bespoke-event-type"]).toBe("account.created");
    const body = JSON.parse(req!.body);
    expect(body).toMatchObject({ type: "account.created", workspaceId: ws.id, data: { id: acc.body.id, name: "Hooked Inc", domain: "hooked.example" } });
    expect(req!.headers["bespoke-event-id"]).toBe(body.id);
    expect(Date.parse(body.createdAt)).not.toBeNaN();

    const sig = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(req!.headers["bespoke-signature"]!);
    expect(sig).not.toBeNull();
    expect(Math.abs(Number(sig![1]) - Date.now() / 1000)).toBeLessThan(120);
    expect(sig![2]).toBe(await hmacHex(accountsHook.secret, `${sig![1]}.${req!.body}`));
    expect(sig![2]).not.toBe(await hmacHex(contactsHook.secret, `${sig![1]}.${req!.body}`));
    expect(await verifySignature(accountsHook.secret, req!.headers["bespoke-signature"]!, req!.body)).toBe(true);
    expect(await verifySignature(accountsHook.secret, req!.headers["bespoke-signature"]!, req!.body.replace("Hooked", "Hacked"))).toBe(false);

    const log = await eventually(
      () => api(`/api/webhooks/${accountsHook.id}/deliveries`, { token: ws.admin.token }),
      (r) => r.body.data?.[0]?.status === "succeeded",
      "the delivery to be logged as succeeded",
    );
    expect(log.body.data).toHaveLength(1);
    expect(log.body.data[0]).toMatchObject({ eventType: "account.created", eventId: body.id, attempts: 1, lastStatusCode: 200, lastError: null, deliveredAt: expect.any(String) });

    // Subscribed only to contact.created, paused, or not subscribed at all: nothing was queued for them.
    expect(await deliveriesOf(contactsHook.id)).toHaveLength(0);
    expect(await deliveriesOf(paused.id)).toHaveLength(0);
    const contact = await api("/api/contacts", { method: "POST", token: ws.user.token, body: { name: "Hooked Person" } });
    expect(contact.status).toBe(201);
    const [contactReq] = await eventually(() => received(`${name}-contacts`), (r) => r.length >= 1, "the contact.created delivery");
    expect(JSON.parse(contactReq!.body)).toMatchObject({ type: "contact.created", data: { id: contact.body.id } });
    expect((await deliveriesOf(accountsHook.id)).map((d) => d.eventType)).toEqual(["account.created"]);
    expect(await received(`${name}-paused`)).toEqual([]);
  });

  it("a failed request (4xx) emits nothing; a successful edit emits the update with its changes", async () => {
    const hook = await register({ url: hookUrl(unique("fail")), events: ["account.created", "account.updated", "account.deleted"] });
    expectProblem(await api("/api/accounts", { method: "POST", token: ws.user.token, body: { name: "" } }), 422);
    expectProblem(await api(`/api/accounts/${crypto.randomUUID()}`, { method: "PATCH", token: ws.user.token, body: { name: "Ghost" } }), 404);
    expectProblem(await api("/api/accounts", { method: "POST", token: ws.viewer.token, body: { name: "Viewer's" } }), 403);
    const acc = await api("/api/accounts", { method: "POST", token: ws.user.token, body: { name: "Before" } });
    const edit = await api(`/api/accounts/${acc.body.id}`, { method: "PATCH", token: ws.user.token, body: { name: "After" } });
    expect(edit.status).toBe(200);
    const rows = await eventually(() => deliveriesOf(hook.id), (r) => r.length >= 2, "two deliveries");
    await new Promise((r) => setTimeout(r, 300));
    const all = await deliveriesOf(hook.id);
    expect(all.map((d) => d.eventType).sort()).toEqual(["account.created", "account.updated"]);
    expect(rows.every((d) => (d.payload as { data: { id: string } }).data.id === acc.body.id)).toBe(true);
    const update = all.find((d) => d.eventType === "account.updated")!;
    expect((update.payload as { data: { changes: unknown } }).data.changes).toMatchObject({ name: { from: "Before", to: "After" } });
  });

  it("an import raises one event per created record", async () => {
    const hook = await register({ url: hookUrl(unique("import")), events: ["lead.created"] });
    const form = new FormData();
    form.append("file", new File(["email\none@import.example\ntwo@import.example\nnot-an-email\n"], "leads.csv"));
    const res = await api("/api/import/leads", { method: "POST", token: ws.user.token, body: form });
    expect(res.body).toMatchObject({ created: 2, skipped: 1 });
    const rows = await eventually(() => deliveriesOf(hook.id), (r) => r.length >= 2, "two lead.created deliveries");
    expect(rows.map((d) => (d.payload as { data: { email: string } }).data.email).sort()).toEqual(["one@import.example", "two@import.example"]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
describe("delivery, retries and dead letters", () => {
  it("retries a failing receiver with growing delays, then succeeds with the same event", async () => {
    const name = unique("retry");
    const hook = await register({ url: hookUrl(name), events: ["account.updated"] });
    const d = await pendingDelivery(hook.id);
    await failNext(name, 2, 503);

    const first = await runConsumer(WEBHOOK_QUEUE, d.id);
    expect(first.result.retryMessages).toEqual([{ msgId: first.msgId, delaySeconds: 10 }]);
    expect(await deliveryRow(d.id)).toMatchObject({ status: "failed", attempts: 1, lastStatusCode: 503, lastError: "HTTP 503", deliveredAt: null });

    const second = await runConsumer(WEBHOOK_QUEUE, d.id);
    expect(second.result.retryMessages).toEqual([{ msgId: second.msgId, delaySeconds: 20 }]);
    expect(await deliveryRow(d.id)).toMatchObject({ status: "failed", attempts: 2 });

    const third = await runConsumer(WEBHOOK_QUEUE, d.id);
    expect(third.result.retryMessages).toEqual([]);
    expect(third.result.explicitAcks).toEqual([third.msgId]);
    const done = await deliveryRow(d.id);
    expect(done).toMatchObject({ status: "succeeded", attempts: 3, lastStatusCode: 200, lastError: null });
    expect(done.deliveredAt).not.toBeNull();

    const reqs = await received(name);
    expect(reqs).toHaveLength(3);
    expect(new Set(reqs.map((r) => r.headers["bespoke-event-id"]))).toEqual(new Set([d.eventId]));
    expect(new Set(reqs.map((r) => r.body)).size).toBe(1);
    expect(JSON.parse(reqs[0]!.body)).toEqual(d.payload);

    // A stale retry of a delivery that got through is acknowledged without sending again.
    const stale = await runConsumer(WEBHOOK_QUEUE, d.id);
    expect(stale.result.explicitAcks).toEqual([stale.msgId]);
    expect(await received(name)).toHaveLength(3);
  });

  it("caps the delay at an hour and records network errors", async () => {
    const name = unique("cap");
    const hook = await register({ url: hookUrl(name), events: ["account.updated"] });
    const d = await pendingDelivery(hook.id, ws.id, 11);
    await failNext(name, 1, 400);
    const run = await runConsumer(WEBHOOK_QUEUE, d.id);
    expect(run.result.retryMessages).toEqual([{ msgId: run.msgId, delaySeconds: 3600 }]);
    expect(await deliveryRow(d.id)).toMatchObject({ status: "failed", attempts: 12, lastStatusCode: 400 });

    const closed = await register({ url: "http://127.0.0.1:9/nothing-listens-here", events: ["account.updated"] });
    const nd = await pendingDelivery(closed.id);
    const netRun = await runConsumer(WEBHOOK_QUEUE, nd.id);
    expect(netRun.result.retryMessages).toEqual([{ msgId: netRun.msgId, delaySeconds: 10 }]);
    expect(await deliveryRow(nd.id)).toMatchObject({ status: "failed", attempts: 1, lastStatusCode: null, lastError: expect.stringMatching(/^Network error/) });
  });

  it("a dead letter marks the delivery dead in the log, and an ADMIN redelivers it", async () => {
    const name = unique("dead");
    const hook = await register({ url: hookUrl(name), events: ["account.updated"] });
    const d = await pendingDelivery(hook.id);
    await failNext(name, 1);
    await runConsumer(WEBHOOK_QUEUE, d.id);

    const dlq = await runConsumer(WEBHOOK_DLQ, d.id);
    expect(dlq.result.explicitAcks).toEqual([dlq.msgId]);
    const log = await api(`/api/webhooks/${hook.id}/deliveries?status=dead`, { token: ws.admin.token });
    expect(log.status).toBe(200);
    expect(log.body.data).toEqual([expect.objectContaining({ id: d.id, status: "dead", attempts: 1, lastStatusCode: 500, lastError: "HTTP 500" })]);

    const again = await api(`/api/webhooks/deliveries/${d.id}/redeliver`, { method: "POST", token: ws.admin.token });
    expect(again.status, JSON.stringify(again.body)).toBe(202);
    expect(again.body).toMatchObject({ id: d.id, status: "pending", attempts: 1 });
    // A second click while it is queued does not send it twice.
    expectProblem(await api(`/api/webhooks/deliveries/${d.id}/redeliver`, { method: "POST", token: ws.admin.token }), 409);

    const delivered = await eventually(() => deliveryRow(d.id), (r) => r.status === "succeeded", "the redelivery");
    expect(delivered).toMatchObject({ attempts: 2, lastStatusCode: 200, lastError: null });
    expect(await received(name)).toHaveLength(2);
    const audit = await db().select().from(auditLog).where(and(eq(auditLog.entityId, d.id), eq(auditLog.action, "redeliver")));
    expect(audit).toHaveLength(1);

    // A delivered event can be sent again on request (the receiver lost it).
    const resend = await api(`/api/webhooks/deliveries/${d.id}/redeliver`, { method: "POST", token: ws.admin.token });
    expect(resend.status).toBe(202);
    await eventually(() => received(name), (r) => r.length === 3, "the second redelivery");
  });

  it("does not send queued deliveries of a deleted or paused endpoint", async () => {
    const name = unique("gone");
    const hook = await register({ url: hookUrl(name), events: ["account.updated"] });
    const d = await pendingDelivery(hook.id);
    await api(`/api/webhooks/${hook.id}`, { method: "DELETE", token: ws.admin.token });
    const run = await runConsumer(WEBHOOK_QUEUE, d.id);
    expect(run.result.explicitAcks).toEqual([run.msgId]);
    expect(await deliveryRow(d.id)).toMatchObject({ status: "dead", lastError: "Not sent: the endpoint was deleted" });
    expect(await received(name)).toEqual([]);
    expectProblem(await api(`/api/webhooks/deliveries/${d.id}/redeliver`, { method: "POST", token: ws.admin.token }), 409);
  });

  it("pages through the delivery log newest first", async () => {
    const hook = await register({ url: hookUrl(unique("page")), events: ["account.updated"] });
    const made = [];
    for (let i = 0; i < 5; i++) made.push(await pendingDelivery(hook.id));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await api(`/api/webhooks/${hook.id}/deliveries?limit=2${cursor ? `&cursor=${cursor}` : ""}`, { token: ws.admin.token });
      expect(res.status).toBe(200);
      seen.push(...res.body.data.map((x: { id: string }) => x.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(made.map((m) => m.id).reverse());
    expectProblem(await api(`/api/webhooks/${hook.id}/deliveries?status=bogus`, { token: ws.admin.token }), 400);
  });
});

// ---------------------------------------------------------------------------------------------------------------
describe("server-side request forgery", () => {
  it("refuses loopback, private and link-local destinations in production, in any spelling", () => {
    for (const url of [
      "http://localhost/x", "http://foo.localhost/x", "http://127.0.0.1/x", "http://2130706433/x", "http://0x7f.1/x", "http://10.1.2.3/x",
      "http://172.20.0.1/x", "http://192.168.1.1/x", "http://169.254.169.254/latest/meta-data", "http://100.64.0.1/x", "http://0.0.0.0/x",
      "http://[::1]/x", "http://[::ffff:127.0.0.1]/x", "http://[fd00::1]/x", "http://[fe80::1]/x", "http://intranet/x", "http://db.internal/x",
    ]) {
      expect(urlSafetyProblem(url, { allowPrivate: false }), url).toMatch(/public address/);
      expect(urlSafetyProblem(url, { allowPrivate: true }), url).toBeNull();
    }
    for (const url of ["https://hooks.example.com/in", "http://93.184.216.34/x", "https://[2606:4700::1111]/x", "http://[::ffff:93.184.216.34]/x"]) {
      expect(urlSafetyProblem(url, { allowPrivate: false }), url).toBeNull();
    }
    expect(isPrivateHost("8.8.8.8")).toBe(false);
    expect(urlSafetyProblem("javascript:alert(1)", { allowPrivate: true })).toMatch(/http/);
  });

  it("a production delivery to a private address is not sent", async () => {
    const name = unique("ssrf");
    const hook = await register({ url: hookUrl(name), events: ["account.updated"] });
    const d = await pendingDelivery(hook.id);
    const outcome = await deliverOnce({ db: testDb(), deliveryId: d.id, config: { ENVIRONMENT: "production", WEBHOOK_DNS_RESOLVER: undefined } });
    expect(outcome).toMatchObject({ kind: "failed", attempts: 1 });
    expect(await deliveryRow(d.id)).toMatchObject({ status: "failed", lastError: expect.stringMatching(/^Not sent: .*public address/) });
    expect(await received(name)).toEqual([]);
  });
});

describe("server-side request forgery: tunnels, loopback names and DNS (audit L9)", () => {
  const resolver = () => `${inject("webhookReceiverUrl")}/dns-query`;

  it("refuses 6to4 and Teredo addresses, names known to point at loopback and names that spell a private address", () => {
    for (const url of [
      "http://[2002:7f00:1::1]/x", "http://[2002:a00:1::]/x", "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/x", "http://[2001:db8::1]/x",
      "http://[64:ff9b:1::a00:1]/x", "http://[fec0::1]/x", "http://localtest.me/x", "http://api.localtest.me/x", "http://lvh.me/x",
      "http://127.0.0.1.nip.io/x", "http://10-0-0-1.sslip.io/x", "http://app.192.168.1.10.nip.io/x",
    ]) {
      expect(urlSafetyProblem(url, { allowPrivate: false }), url).toMatch(/public address/);
    }
    for (const url of ["http://93.184.216.34.nip.io/x", "https://[2001:4860:4860::8888]/x", "https://metime.example.com/x"]) {
      expect(urlSafetyProblem(url, { allowPrivate: false }), url).toBeNull();
    }
  });

  it("resolves names over DNS-over-HTTPS and refuses any that point inside", async () => {
    expect(await resolvedHostProblem("https://public.example.com/in", resolver())).toBeNull();
    expect(await resolvedHostProblem("https://loopback.example.com/in", resolver())).toMatch(/resolves to 127\.0\.0\.1/);
    expect(await resolvedHostProblem("https://mixed.example.com/in", resolver())).toMatch(/resolves to 10\.0\.0\.7/);
    expect(await resolvedHostProblem("https://v6loop.example.com/in", resolver())).toMatch(/resolves to ::1/);
    expect(await resolvedHostProblem("https://sixtofour.example.com/in", resolver())).toMatch(/resolves to 2002:/);
    expect(await resolvedHostProblem("https://nowhere.example.com/in", resolver())).toMatch(/does not resolve/);
    // A resolver that does not answer fails closed.
    expect(await resolvedHostProblem("https://public.example.com/in", `${inject("webhookReceiverUrl")}/nope`)).toMatch(/could not be resolved/);
  });

  it("in production, registration refuses a public name that resolves to loopback (422 naming url)", async () => {
    const prod = { ...PRODUCTION, WEBHOOK_DNS_RESOLVER: resolver() };
    const refused = await callWith(prod, "/api/webhooks", { method: "POST", token: ws.admin.token, body: { url: "https://loopback.example.com/hook", events: ["account.created"] } });
    expectProblem(refused as never, 422, ["url"]);
    expect(refused.body.detail).toMatch(/resolves to 127\.0\.0\.1/);
    const ok = await callWith(prod, "/api/webhooks", { method: "POST", token: ws.admin.token, body: { url: "https://public.example.com/hook", events: ["account.created"] } });
    expect(ok.status).toBe(201);
  });

  it("at delivery, a name that now resolves inside is not called, and the log says why in a few words", async () => {
    const hook = await register({ url: "http://loopback.example.com/hook", events: ["account.updated"] });
    const d = await pendingDelivery(hook.id);
    const outcome = await deliverOnce({ db: testDb(), deliveryId: d.id, config: { ENVIRONMENT: "production", WEBHOOK_DNS_RESOLVER: resolver() } });
    expect(outcome).toMatchObject({ kind: "failed" });
    const row = await deliveryRow(d.id);
    expect(row.lastError).toMatch(/^Not sent: the URL resolves to 127\.0\.0\.1/);
    expect(row.lastError!.length).toBeLessThan(120);
  });

  it("a failing receiver's answer is not kept: the log holds its status only", async () => {
    const name = unique("body");
    const hook = await register({ url: hookUrl(name), events: ["account.updated"] });
    await failNext(name, 1, 500);
    const d = await pendingDelivery(hook.id);
    await deliverOnce({ db: testDb(), deliveryId: d.id, config: { ENVIRONMENT: "test", WEBHOOK_DNS_RESOLVER: undefined } });
    const row = await deliveryRow(d.id);
    expect(row).toMatchObject({ lastStatusCode: 500, lastError: "HTTP 500" });
    expect(JSON.stringify(row)).not.toContain("receiver told to fail");
  });
});
