import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { activities, auditLog } from "../../db/schema";
import { parseCsv } from "../../worker/lib/csv";
import { importCsv } from "../helpers/import";
import { api, createWorkspace, testDb, type TestWorkspace } from "../helpers/worker";

type Res = { status: number; headers: Headers; body: any };
const expectProblem = (res: Res, status: number, fields: string[] = []) => {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  const paths = (res.body.errors ?? []).map((e: any) => e.path);
  for (const f of fields) expect(paths).toContain(f);
};

const list = async (w: TestWorkspace, token = w.viewer.token) => {
  const res = await api("/api/pipelines", { token });
  expect(res.status).toBe(200);
  return res.body.pipelines as any[];
};
const create = (w: TestWorkspace, body: unknown, token = w.admin.token) => api("/api/pipelines", { method: "POST", token, body });
const patch = (w: TestWorkspace, id: string, body: unknown, token = w.admin.token) => api(`/api/pipelines/${id}`, { method: "PATCH", token, body });
const del = (w: TestWorkspace, id: string, moveTo?: string) => api(`/api/pipelines/${id}${moveTo ? `?moveTo=${moveTo}` : ""}`, { method: "DELETE", token: w.admin.token });
const deal = (w: TestWorkspace, body: Record<string, unknown>) => api("/api/opportunities", { method: "POST", token: w.user.token, body: { amount: 1000_00, currency: "USD", ...body } });

/** A workspace with a second pipeline "Renewals" (custom stages). */
async function withRenewals() {
  const w = await createWorkspace();
  const res = await create(w, {
    name: "Renewals",
    stages: [
      { name: "Upcoming", probability: 60, kind: "open", agingDays: 30 },
      { name: "Negotiating", probability: 80, kind: "open" },
      { name: "Renewed", probability: 100, kind: "won" },
      { name: "Churned", probability: 0, kind: "lost" },
    ],
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { w, renewals: res.body };
}

describe("pipelines CRUD", () => {
  it("lists the default pipeline with its stages, creates one with a slug key and default stages, keeps exactly one default", async () => {
    const w = await createWorkspace();
    const [sales] = await list(w);
    expect(sales).toMatchObject({ key: "sales", name: "Sales", isDefault: true, position: 0 });
    expect(sales.stages.map((s: any) => s.name)).toEqual(w.stages.map((s) => s.name));
    expect(sales.stages[0]).toMatchObject({ id: w.stages[0]!.id, probability: 10, kind: "open", agingDays: null, position: 0, opportunityCount: 0 });

    const made = await create(w, { name: "New Business!" });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ key: "new-business", name: "New Business!", isDefault: false, position: 1, source: "ui" });
    expect(made.body.stages).toHaveLength(6);
    // Same name again: 409 naming the field; an explicit taken key too.
    expectProblem(await create(w, { name: "new business!" }), 409, ["name"]);
    expectProblem(await create(w, { name: "Other", key: "sales" }), 409, ["key"]);
    expectProblem(await create(w, { name: "", stages: [{ name: "Won", probability: 100, kind: "won" }] }), 422, ["name"]);
    expectProblem(await create(w, { name: "No open", stages: [{ name: "Won", probability: 100, kind: "won" }] }), 422, ["stages"]);
    expectProblem(await create(w, { name: "Aging", stages: [{ name: "A", probability: 10, kind: "open", agingDays: 0 }] }), 422, ["stages.0.agingDays"]);

    // Make the new one the default: the old one stops being it.
    const p = await patch(w, made.body.id, { isDefault: true, name: "New business", position: 0 });
    expect(p.status).toBe(200);
    expect(p.body).toMatchObject({ isDefault: true, name: "New business", position: 0 });
    const after = await list(w);
    expect(after.map((x) => [x.name, x.isDefault, x.position])).toEqual([["New business", true, 0], ["Sales", false, 1]]);
    // Unsetting the only default is refused.
    expectProblem(await patch(w, made.body.id, { isDefault: false }), 422, ["isDefault"]);
    expectProblem(await patch(w, made.body.id, { name: "Sales" }), 409, ["name"]);
    expectProblem(await patch(w, "00000000-0000-4000-8000-000000000000", { name: "x" }), 404);
    // The audit trail has the default change.
    const audit = await testDb().http.select().from(auditLog).where(and(eq(auditLog.workspaceId, w.id), eq(auditLog.action, "pipeline.update")));
    expect(audit[0]!.changes).toMatchObject({ isDefault: { to: made.body.id } });
  });

  it("replaces one pipeline's stages with aging days without touching the other's; the old routes keep serving the default", async () => {
    const { w, renewals } = await withRenewals();
    const stages = renewals.stages.map(({ id, name, probability, kind }: any) => ({ id, name, probability, kind }));
    stages[1].agingDays = 14;
    const res = await api(`/api/pipelines/${renewals.id}/stages`, { method: "PUT", token: w.admin.token, body: { stages: [...stages, { name: "Paused", probability: 5, kind: "open", agingDays: null }] } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.stages.map((s: any) => [s.name, s.agingDays, s.pipelineId])).toEqual([
      ["Upcoming", 30, renewals.id], // omitted agingDays: kept
      ["Negotiating", 14, renewals.id],
      ["Renewed", null, renewals.id],
      ["Churned", null, renewals.id],
      ["Paused", null, renewals.id],
    ]);
    // A stage id of another pipeline is not this pipeline's.
    const foreign = await api(`/api/pipelines/${renewals.id}/stages`, { method: "PUT", token: w.admin.token, body: { stages: [{ id: w.stages[0]!.id, name: "X", probability: 1, kind: "open" }] } });
    expectProblem(foreign, 422, ["stages.0.id"]);
    expectProblem(await api(`/api/pipelines/${renewals.id}/stages`, { method: "PUT", token: w.admin.token, body: { stages: [{ name: "X", probability: 1, kind: "open", agingDays: 1.5 }] } }), 422, ["stages.0.agingDays"]);
    // Compatibility: /api/pipeline/stages is the default pipeline's list.
    const old = await api("/api/pipeline/stages", { token: w.viewer.token });
    expect(old.body.stages.map((s: any) => s.id)).toEqual(w.stages.map((s) => s.id));
  });

  it("deletes a pipeline only when empty or with moveTo; never the default or the last one", async () => {
    const { w, renewals } = await withRenewals();
    const sales = (await list(w)).find((p) => p.isDefault);
    expectProblem(await del(w, sales.id), 409);
    const d1 = await deal(w, { name: "Renewal ACME", pipelineId: renewals.id });
    expect(d1.status).toBe(201);
    const blocked = await del(w, renewals.id);
    expectProblem(blocked, 409, ["moveTo"]);
    // moveTo must be a stage of another pipeline.
    expectProblem(await del(w, renewals.id, renewals.stages[1].id), 422, ["moveTo"]);
    const ok = await del(w, renewals.id, w.stages[2]!.id);
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body).toEqual({ id: renewals.id, movedOpportunities: 1 });
    const moved = await api(`/api/opportunities/${d1.body.id}`, { token: w.viewer.token });
    expect(moved.body).toMatchObject({ stageId: w.stages[2]!.id, pipelineId: sales.id });
    const [act] = await testDb().http.select().from(activities).where(and(eq(activities.opportunityId, d1.body.id), eq(activities.type, "stage_change")));
    expect(act!.properties).toMatchObject({ fromPipeline: "Renewals", toPipeline: "Sales", toStageId: w.stages[2]!.id });
    expect((await list(w)).map((p) => p.name)).toEqual(["Sales"]);
    expectProblem(await del(w, sales.id), 409);
    expectProblem(await del(w, renewals.id), 404);
  });
});

describe("deals in pipelines", () => {
  it("creates a deal in a pipeline's first open stage; a stage of another pipeline is 422 naming stageId", async () => {
    const { w, renewals } = await withRenewals();
    const a = await deal(w, { name: "In renewals", pipelineId: renewals.id });
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({ stageId: renewals.stages[0].id, pipelineId: renewals.id });
    const b = await deal(w, { name: "Default" });
    expect(b.body).toMatchObject({ stageId: w.stages[0]!.id });
    expect(b.body.pipelineId).toBe((await list(w)).find((p) => p.isDefault).id);
    expectProblem(await deal(w, { name: "Mismatch", pipelineId: renewals.id, stageId: w.stages[1]!.id }), 422, ["stageId"]);
    expectProblem(await deal(w, { name: "Unknown", pipelineId: "00000000-0000-4000-8000-000000000000" }), 422, ["pipelineId"]);
    // The list filter and every payload carry the pipeline.
    const only = await api(`/api/opportunities?pipelineId=${renewals.id}`, { token: w.viewer.token });
    expect(only.body.data.map((d: any) => [d.name, d.pipelineId])).toEqual([["In renewals", renewals.id]]);
  });

  it("shows a deal on its own pipeline's board only; totals and cards follow the pipeline", async () => {
    const { w, renewals } = await withRenewals();
    await deal(w, { name: "R1", pipelineId: renewals.id, amount: 500_00 });
    await deal(w, { name: "S1", amount: 200_00 });
    const def = await api("/api/opportunities/pipeline", { token: w.viewer.token });
    expect(def.status).toBe(200);
    expect(def.body.pipeline).toMatchObject({ name: "Sales", isDefault: true });
    expect(def.body.stages.flatMap((s: any) => s.cards.map((c: any) => c.name))).toEqual(["S1"]);
    expect(def.body.totals).toEqual([{ currency: "USD", amount: 200_00, weighted: 20_00, count: 1 }]);
    const ren = await api(`/api/opportunities/pipeline?pipelineId=${renewals.id}`, { token: w.viewer.token });
    expect(ren.body.pipeline).toMatchObject({ id: renewals.id, name: "Renewals" });
    expect(ren.body.stages.map((s: any) => [s.name, s.agingDays])).toEqual([["Upcoming", 30], ["Negotiating", null], ["Renewed", null], ["Churned", null]]);
    expect(ren.body.stages.flatMap((s: any) => s.cards.map((c: any) => c.name))).toEqual(["R1"]);
    expect(ren.body.totals).toEqual([{ currency: "USD", amount: 500_00, weighted: 300_00, count: 1 }]);
    const totals = await api(`/api/opportunities/pipeline/totals?pipelineId=${renewals.id}`, { token: w.viewer.token });
    expect(totals.body).toMatchObject({ pipelineId: renewals.id, totals: [{ amount: 500_00, count: 1 }] });
    expectProblem(await api("/api/opportunities/pipeline?pipelineId=00000000-0000-4000-8000-000000000000", { token: w.viewer.token }), 404);
  });

  it("moves a deal to another pipeline by a stage change: reason required, activity and audit name both pipelines", async () => {
    const { w, renewals } = await withRenewals();
    const d = (await deal(w, { name: "Crossing" })).body;
    const to = renewals.stages[1];
    expectProblem(await api(`/api/opportunities/${d.id}`, { method: "PATCH", token: w.user.token, body: { stageId: to.id } }), 422, ["stageChangeReason"]);
    const res = await api(`/api/opportunities/${d.id}`, { method: "PATCH", token: w.user.token, body: { stageId: to.id, stageChangeReason: { text: "Existing customer, renewal", code: "reassessed" } } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ stageId: to.id, pipelineId: renewals.id });
    const [act] = await testDb().http.select().from(activities).where(and(eq(activities.opportunityId, d.id), eq(activities.type, "stage_change")));
    expect(act!.subject).toBe("Sales: Prospecting → Renewals: Negotiating");
    expect(act!.properties).toMatchObject({ fromPipeline: "Sales", toPipeline: "Renewals", toPipelineId: renewals.id, reasonCode: "reassessed" });
    const [audit] = await testDb().http.select().from(auditLog).where(and(eq(auditLog.entityId, d.id), eq(auditLog.action, "stage_change")));
    expect(audit!.changes).toMatchObject({ pipeline: { from: "Sales", to: "Renewals" }, stage: { from: "Prospecting", to: "Negotiating" } });
    // It left the default board and joined the Renewals board.
    const def = await api("/api/opportunities/pipeline", { token: w.viewer.token });
    expect(def.body.stages.flatMap((s: any) => s.cards)).toHaveLength(0);
    const ren = await api(`/api/opportunities/pipeline?pipelineId=${renewals.id}`, { token: w.viewer.token });
    expect(ren.body.stages[1].cards.map((c: any) => c.id)).toEqual([d.id]);
  });
});

describe("import and export with a pipeline column", () => {
  it("resolves a stage name within the row's pipeline (by name or key; default without one), names an unknown pipeline, exports the column", async () => {
    const { w, renewals } = await withRenewals();
    const csv = [
      "externalId,name,pipeline,stageName",
      "p-1,By name,Renewals,Negotiating",
      "p-2,By key,renewals,Upcoming",
      "p-3,Default pipeline,,Proposal",
      "p-4,Pipeline only,Renewals,",
      "p-5,Wrong pipeline,Partnerships,Proposal",
      "p-6,Stage of another pipeline,Renewals,Proposal",
    ].join("\n");
    const res = await importCsv(w.user, "opportunities", csv);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.created).toBe(4);
    expect(res.body.errors).toEqual([
      { row: 6, column: "pipeline", message: 'no pipeline named "Partnerships" (pipelines: Sales, Renewals)' },
      { row: 7, column: "stageName", message: expect.stringMatching(/no stage named "Proposal" \(stages: Upcoming, Negotiating, Renewed, Churned\)/) },
    ]);
    const list = await api(`/api/opportunities?limit=50&sort=name`, { token: w.viewer.token });
    const byName = new Map(list.body.data.map((d: any) => [d.name, d]));
    expect(byName.get("By name")).toMatchObject({ pipelineId: renewals.id, stageId: renewals.stages[1].id });
    expect(byName.get("By key")).toMatchObject({ pipelineId: renewals.id, stageId: renewals.stages[0].id });
    expect(byName.get("Pipeline only")).toMatchObject({ pipelineId: renewals.id, stageId: renewals.stages[0].id });
    expect(byName.get("Default pipeline")).toMatchObject({ stageId: w.stages[2]!.id });

    const exported = await api("/api/export/opportunities.csv?sort=name", { token: w.user.token });
    const [head, ...rows] = parseCsv(exported.body as string);
    const col = (name: string) => rows.map((r) => r[head!.indexOf(name)]);
    expect(head).toContain("pipeline");
    expect(col("name")).toEqual(["By key", "By name", "Default pipeline", "Pipeline only"]);
    expect(col("pipeline")).toEqual(["Renewals", "Renewals", "Sales", "Renewals"]);
    // Re-importing the export changes nothing (same pipeline and stage by name).
    const again = await importCsv(w.user, "opportunities", exported.body as string);
    expect(again.body).toMatchObject({ created: 0, errors: [] });
  });
});

describe("reason codes", () => {
  it("are seeded, readable by every role, replaced per kind by ADMIN, and enforced on stage changes", async () => {
    const w = await createWorkspace();
    const got = await api("/api/reason-codes", { token: w.viewer.token });
    expect(got.status).toBe(200);
    expect(got.body.lost.map((c: any) => c.value)).toContain("competitor");
    expect(got.body.won.length).toBeGreaterThan(0);
    expectProblem(await api("/api/reason-codes", { method: "PUT", token: w.user.token, body: { lost: [] } }), 403);
    expectProblem(await api("/api/reason-codes", { method: "PUT", token: w.admin.token, body: { lost: [{ value: "Bad Value", label: "x" }] } }), 422, ["lost.0.value"]);
    expectProblem(await api("/api/reason-codes", { method: "PUT", token: w.admin.token, body: { lost: [{ value: "a", label: "A" }, { value: "a", label: "B" }] } }), 422, ["lost.1.value"]);
    const put = await api("/api/reason-codes", { method: "PUT", token: w.admin.token, body: { lost: [{ value: "ghosted", label: "Ghosted" }, { value: "competitor", label: "Competitor" }] } });
    expect(put.status).toBe(200);
    expect(put.body.lost).toEqual([{ value: "ghosted", label: "Ghosted" }, { value: "competitor", label: "Competitor" }]);
    expect(put.body.won).toEqual(got.body.won);

    const d = (await deal(w, { name: "Lost one" })).body;
    const lost = w.stages.find((s) => s.kind === "lost")!;
    const bad = await api(`/api/opportunities/${d.id}`, { method: "PATCH", token: w.user.token, body: { stageId: lost.id, stageChangeReason: { text: "No budget", code: "no_budget" } } });
    expectProblem(bad, 422, ["stageChangeReason.code"]);
    const ok = await api(`/api/opportunities/${d.id}`, { method: "PATCH", token: w.user.token, body: { stageId: lost.id, stageChangeReason: { text: "They stopped answering", code: "ghosted" } } });
    expect(ok.status).toBe(200);
  });
});
