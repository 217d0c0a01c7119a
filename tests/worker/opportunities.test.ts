import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { activities, auditLog, opportunities } from "../../db/schema";
import { createAccount, createContact, createOpportunity, expectProblem } from "../helpers/records";
import { api, createWorkspace, testDb, unique, type TestWorkspace } from "../helpers/worker";

let ws: TestWorkspace;
let other: TestWorkspace;
beforeAll(async () => {
  [ws, other] = await Promise.all([createWorkspace(), createWorkspace()]);
});

const patch = (id: string, body: unknown, opts: { token?: string; headers?: Record<string, string> } = {}) =>
  api(`/api/opportunities/${id}`, { method: "PATCH", token: opts.token ?? ws.user.token, body, headers: opts.headers });
const stage = (kind: "open" | "won" | "lost", nth = 0) => ws.stages.filter((s) => s.kind === kind)[nth]!;
const stageChanges = (id: string) =>
  testDb().http.select().from(activities).where(and(eq(activities.opportunityId, id), eq(activities.type, "stage_change"))).orderBy(activities.happenedAt);
const row = async (id: string) => (await testDb().http.select().from(opportunities).where(eq(opportunities.id, id)))[0]!;

describe("PATCH /api/opportunities/{id} — inline edits", () => {
  it("edits fields in place, bumps the version and returns it as the ETag", async () => {
    const opp = await createOpportunity(ws.user, { amount: 1000 });
    const res = await patch(opp.id, { name: "Renamed", amount: 2_500_00, currency: "chf", closeDate: "2027-09-30", probability: 35, nextStep: "Demo on Friday" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: "Renamed", amount: 2_500_00, currency: "CHF", closeDate: "2027-09-30", probability: 35, nextStep: "Demo on Friday", version: 2, stageId: opp.stageId });
    expect(res.headers.get("etag")).toBe('"2"');
    const detail = await api(`/api/opportunities/${opp.id}`, { token: ws.viewer.token });
    expect(detail.body).toMatchObject({ name: "Renamed", version: 2 });
    expect(detail.headers.get("etag")).toBe('"2"');
  });

  it("clears nullable fields and replaces the buying committee", async () => {
    const acc = await createAccount(ws.user);
    const [a, b, c] = await Promise.all([createContact(ws.user, { accountId: acc.id }), createContact(ws.user, { accountId: acc.id }), createContact(ws.user, { accountId: acc.id })]);
    const opp = await createOpportunity(ws.user, { accountId: acc.id, amount: 5, closeDate: "2027-01-01", contactIds: [a.id, b.id] });
    const res = await patch(opp.id, { amount: null, closeDate: null, contactIds: [c.id] });
    expect(res.body).toMatchObject({ amount: null, closeDate: null });
    const detail = await api(`/api/opportunities/${opp.id}`, { token: ws.viewer.token });
    expect(detail.body.related.contacts.map((x: any) => x.id)).toEqual([c.id]);
  });

  it("a PATCH that changes nothing keeps the version", async () => {
    const opp = await createOpportunity(ws.user, { amount: 7 });
    const res = await patch(opp.id, { amount: 7 });
    expect(res.status).toBe(200);
    expect(res.body.version).toBe(1);
  });

  it("validates fields (422 naming them) and scopes to the workspace (404)", async () => {
    const opp = await createOpportunity(ws.user);
    expectProblem(await patch(opp.id, { amount: 12.34 }), 422, ["amount"]);
    expectProblem(await patch(opp.id, { currency: "US" }), 422, ["currency"]);
    expectProblem(await patch(opp.id, { version: 0 }), 422, ["version"]);
    expectProblem(await patch(opp.id, { ownerId: other.user.id }), 422, ["ownerId"]);
    expectProblem(await patch(opp.id, { name: "Mine" }, { token: other.admin.token }), 404);
    expectProblem(await patch(opp.id, { name: "Viewer edit" }, { token: ws.viewer.token }), 403);
    expect((await row(opp.id)).version).toBe(1);
  });
});

describe("stage changes", () => {
  it("require a reason: 422 without one, and nothing changes", async () => {
    const opp = await createOpportunity(ws.user);
    const res = await patch(opp.id, { stageId: stage("open", 1).id });
    expectProblem(res, 422, ["stageChangeReason"]);
    const after = await row(opp.id);
    expect(after.stageId).toBe(opp.stageId);
    expect(after.version).toBe(1);
    expect(await stageChanges(opp.id)).toHaveLength(0);
    expectProblem(await patch(opp.id, { stageId: stage("open", 1).id, stageChangeReason: "" }), 422, ["stageChangeReason"]);
  });

  it("write a stage_change activity with from, to and reason, an audit entry, and land at the bottom of the new column", async () => {
    const target = stage("open", 1);
    const already = await createOpportunity(ws.user, { stageId: target.id });
    const opp = await createOpportunity(ws.user);
    const res = await patch(opp.id, { stageId: target.id, stageChangeReason: "Budget confirmed on call" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ stageId: target.id, version: 2, closedAt: null });
    expect(Date.parse(res.body.stageEnteredAt)).toBeGreaterThan(Date.parse(opp.stageEnteredAt));
    expect(res.body.position).toBeGreaterThan(already.position);

    const [act] = await stageChanges(opp.id);
    expect(act).toMatchObject({
      subject: `${stage("open", 0).name} → ${target.name}`,
      body: "Budget confirmed on call",
      actorId: ws.user.id,
      properties: { fromStageId: opp.stageId, fromStage: stage("open", 0).name, toStageId: target.id, toStage: target.name, reason: "Budget confirmed on call" },
    });
    expect(act!.properties).not.toHaveProperty("reasonCode");
    const timeline = await api(`/api/opportunities/${opp.id}/timeline`, { token: ws.viewer.token });
    expect(timeline.body.data[0]).toMatchObject({ type: "stage_change", actor: { id: ws.user.id }, target: { type: "opportunity", id: opp.id } });

    const audits = await testDb().http.select().from(auditLog).where(and(eq(auditLog.entityId, opp.id), eq(auditLog.action, "stage_change")));
    expect(audits).toHaveLength(1);
    expect(audits[0]!.changes).toMatchObject({ stage: { from: stage("open", 0).name, to: target.name } });
  });

  it("carry an optional reason code", async () => {
    const opp = await createOpportunity(ws.user);
    const res = await patch(opp.id, { stageId: stage("lost").id, stageChangeReason: { text: "Went with a competitor", code: "competitor" } });
    expect(res.status).toBe(200);
    const [act] = await stageChanges(opp.id);
    expect(act!.properties).toMatchObject({ reason: "Went with a competitor", reasonCode: "competitor", toStage: stage("lost").name });
    expectProblem(await patch(opp.id, { stageId: stage("open").id, stageChangeReason: { code: "x" } }), 422);
  });

  it("set closedAt when won or lost, keep it between closed stages, clear it when reopened", async () => {
    const opp = await createOpportunity(ws.user);
    const won = await patch(opp.id, { stageId: stage("won").id, stageChangeReason: "Signed" });
    expect(won.body.closedAt).toEqual(expect.any(String));
    const lost = await patch(opp.id, { stageId: stage("lost").id, stageChangeReason: "Customer backed out", version: won.body.version });
    expect(lost.body.closedAt).toBe(won.body.closedAt);
    const reopened = await patch(opp.id, { stageId: stage("open", 2).id, stageChangeReason: "Back on the table" });
    expect(reopened.body.closedAt).toBeNull();
    expect((await stageChanges(opp.id)).map((a) => (a.properties as any).toStage)).toEqual([stage("won").name, stage("lost").name, stage("open", 2).name]);
  });

  it("refuse another workspace's stage", async () => {
    const opp = await createOpportunity(ws.user);
    expectProblem(await patch(opp.id, { stageId: other.stages[1]!.id, stageChangeReason: "sneaky" }), 422, ["stageId"]);
    expect((await row(opp.id)).stageId).toBe(opp.stageId);
  });
});

describe("optimistic concurrency", () => {
  it("a stale version in the body → 409 problem+json carrying the current record", async () => {
    const opp = await createOpportunity(ws.user, { amount: 100 });
    expect((await patch(opp.id, { amount: 200, version: 1 })).status).toBe(200);
    const stale = await patch(opp.id, { amount: 300, version: 1 });
    expectProblem(stale, 409);
    expect(stale.body.current).toMatchObject({ id: opp.id, amount: 200, version: 2 });
    expect(stale.body.current).not.toHaveProperty("workspaceId");
    expect((await row(opp.id)).amount).toBe(200);
  });

  it("the same with If-Match (strong or weak ETag), which wins over the body", async () => {
    const opp = await createOpportunity(ws.user, { amount: 100 });
    const ok = await patch(opp.id, { amount: 150 }, { headers: { "If-Match": '"1"' } });
    expect(ok.status).toBe(200);
    const etag = ok.headers.get("etag")!;
    expect(etag).toBe('"2"');
    const stale = await patch(opp.id, { amount: 175, version: 2 }, { headers: { "If-Match": 'W/"1"' } });
    expectProblem(stale, 409);
    expect(stale.body.current).toMatchObject({ amount: 150, version: 2 });
    expect((await patch(opp.id, { amount: 175 }, { headers: { "If-Match": etag } })).status).toBe(200);
    expect((await patch(opp.id, { amount: 180 }, { headers: { "If-Match": "*" } })).body.version).toBe(4);
    expectProblem(await patch(opp.id, { amount: 1 }, { headers: { "If-Match": "yesterday" } }), 400, ["If-Match"]);
    expect((await row(opp.id)).amount).toBe(180);
  });

  it("two concurrent PATCHes of the same version: exactly one wins, the other gets 409 — no silent overwrite", async () => {
    for (let round = 0; round < 3; round++) {
      const opp = await createOpportunity(ws.user, { amount: 1 });
      const [a, b] = await Promise.all([
        patch(opp.id, { amount: 1111, nextStep: "from A", version: 1 }),
        patch(opp.id, { amount: 2222, nextStep: "from B", version: 1 }, { token: ws.admin.token }),
      ]);
      expect([a.status, b.status].sort()).toEqual([200, 409]);
      const winner = a.status === 200 ? a : b;
      const loser = a.status === 200 ? b : a;
      expect(loser.body.current).toMatchObject({ version: 2, amount: winner.body.amount, nextStep: winner.body.nextStep });
      const final = await row(opp.id);
      expect(final).toMatchObject({ version: 2, amount: winner.body.amount, nextStep: winner.body.nextStep });
    }
  });

  it("two concurrent stage moves with the same version write one stage_change, not two", async () => {
    const opp = await createOpportunity(ws.user);
    const results = await Promise.all([
      patch(opp.id, { stageId: stage("won").id, stageChangeReason: "Signed", version: 1 }),
      patch(opp.id, { stageId: stage("lost").id, stageChangeReason: "Lost", version: 1 }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(await stageChanges(opp.id)).toHaveLength(1);
  });
});

describe("create → edit round trip for a deal with a unique externalId", () => {
  it("keeps externalId unique per workspace on edit too", async () => {
    const ext = unique("ext");
    await createOpportunity(ws.user, { externalId: ext });
    const opp = await createOpportunity(ws.user);
    expectProblem(await patch(opp.id, { externalId: ext }), 409);
    expect((await row(opp.id)).externalId).toBeNull();
  });
});
