import { and, eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { activities, auditLog, opportunities, pipelineStages } from "../../db/schema";
import { api, createWorkspace, testDb, type TestWorkspace } from "../helpers/worker";

type Res = { status: number; headers: Headers; body: any };
const expectProblem = (res: Res, status: number) => {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  expect(res.body).toMatchObject({ status, title: expect.any(String), detail: expect.any(String) });
};
const paths = (res: Res) => (res.body.errors ?? []).map((e: any) => e.path);

/** The current stages as a PUT body would list them. */
async function current(w: TestWorkspace) {
  const res = await api("/api/pipeline/stages", { token: w.viewer.token });
  expect(res.status).toBe(200);
  return res.body.stages.map(({ id, name, probability, kind }: any) => ({ id, name, probability, kind })) as { id: string; name: string; probability: number; kind: string }[];
}
const put = (w: TestWorkspace, body: unknown, token = w.admin.token) => api("/api/pipeline/stages", { method: "PUT", token, body });

async function addDeals(w: TestWorkspace, stageId: string, n: number, extra: Partial<typeof opportunities.$inferInsert> = {}) {
  const rows = Array.from({ length: n }, (_, i) => ({ workspaceId: w.id, name: `Deal ${stageId.slice(0, 4)} ${i}`, stageId, amount: 100_00 * (i + 1), currency: "USD", position: 1024 * (i + 1), ...extra }));
  return testDb().http.insert(opportunities).values(rows).returning();
}

describe("GET /api/pipeline/stages", () => {
  it("lists the workspace's stages in order with live deal counts, for every role", async () => {
    const [w, other] = await Promise.all([createWorkspace(), createWorkspace()]);
    await addDeals(w, w.stages[1]!.id, 2);
    await addDeals(w, w.stages[1]!.id, 1, { deletedAt: new Date() });
    await addDeals(other, other.stages[1]!.id, 5);
    for (const who of [w.viewer, w.user, w.admin]) {
      const res = await api("/api/pipeline/stages", { token: who.token });
      expect(res.status).toBe(200);
      expect(res.body.stages).toEqual(
        w.stages.map((s, i) => ({ id: s.id, pipelineId: s.pipelineId, key: null, name: s.name, position: i, probability: s.probability, kind: s.kind, agingDays: null, opportunityCount: i === 1 ? 2 : 0 })),
      );
    }
    expectProblem(await api("/api/pipeline/stages"), 401);
  });
});

describe("PUT /api/pipeline/stages — security", () => {
  it("is for ADMIN only and never touches another workspace's stages", async () => {
    const [w, other] = await Promise.all([createWorkspace(), createWorkspace()]);
    const body = { stages: (await current(w)).map((s) => ({ ...s, name: `${s.name}!` })) };
    expectProblem(await api("/api/pipeline/stages", { method: "PUT", body }), 401);
    expectProblem(await put(w, body, w.user.token), 403);
    expectProblem(await put(w, body, w.viewer.token), 403);
    // Another workspace's admin naming this workspace's stage ids: they are not theirs.
    const foreign = await put(other, body);
    expectProblem(foreign, 422);
    expect(paths(foreign)).toContain("stages.0.id");
    expect((await current(w)).map((s) => s.name)).toEqual(w.stages.map((s) => s.name));
    expect((await current(other)).map((s) => s.name)).toEqual(other.stages.map((s) => s.name));
  });
});

describe("PUT /api/pipeline/stages", () => {
  it("reorders, renames, re-weights and adds stages; writes settings.stages with before → after", async () => {
    const w = await createWorkspace();
    const [p, q, prop, neg, won, lost] = await current(w);
    const res = await put(w, {
      stages: [
        { ...q!, name: "Discovery" },
        { ...p!, probability: 5 },
        { name: "Demo", probability: 40, kind: "open" },
        prop,
        neg,
        won,
        lost,
      ],
    });
    expect(res.status).toBe(200);
    const names = res.body.stages.map((s: any) => s.name);
    expect(names).toEqual(["Discovery", "Prospecting", "Demo", "Proposal", "Negotiation", "Closed Won", "Closed Lost"]);
    expect(res.body.stages.map((s: any) => s.position)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(res.body.stages[0]).toMatchObject({ id: q!.id, probability: 25 });
    expect(res.body.stages[1]).toMatchObject({ id: p!.id, probability: 5 });
    expect(res.body.stages[2]).toMatchObject({ id: expect.any(String), probability: 40, kind: "open", opportunityCount: 0 });
    expect(await current(w)).toEqual(res.body.stages.map(({ id, name, probability, kind }: any) => ({ id, name, probability, kind })));

    const audit = await api("/api/audit?action=settings.stages", { token: w.admin.token });
    expect(audit.body.data).toHaveLength(1);
    const entry = audit.body.data[0];
    expect(entry).toMatchObject({ entityType: "settings", actor: { id: w.admin.id } });
    expect(entry.changes.stages.from.map((s: any) => s.name)).toEqual(w.stages.map((s) => s.name));
    expect(entry.changes.stages.to.map((s: any) => s.name)).toEqual(names);
    expect(entry.changes.stages.to[1]).toMatchObject({ id: p!.id, probability: 5, position: 1 });

    // The same list again changes nothing and writes no entry.
    expect((await put(w, { stages: await current(w) })).status).toBe(200);
    expect((await api("/api/audit?action=settings.stages", { token: w.admin.token })).body.data).toHaveLength(1);
  });

  it("removes an empty stage (it leaves the board and new deals cannot pick it)", async () => {
    const w = await createWorkspace();
    const list = await current(w);
    const removed = list.splice(2, 1)[0]!;
    const res = await put(w, { stages: list });
    expect(res.status).toBe(200);
    expect(res.body.stages.map((s: any) => s.id)).not.toContain(removed.id);
    const board = await api("/api/opportunities/pipeline", { token: w.user.token });
    expect(board.body.stages.map((s: any) => s.id)).not.toContain(removed.id);
    const [row] = await testDb().http.select().from(pipelineStages).where(eq(pipelineStages.id, removed.id));
    expect(row!.deletedAt).not.toBeNull();
    const deal = await api("/api/opportunities", { method: "POST", token: w.user.token, body: { name: "Into a removed stage", stageId: removed.id } });
    expect(deal.status).toBe(422);
  });

  it("refuses to remove stages holding deals (409 listing them) and changes nothing", async () => {
    const w = await createWorkspace();
    const [p, q, prop, neg, won, lost] = await current(w);
    await addDeals(w, prop!.id, 3);
    await addDeals(w, neg!.id, 1);
    const res = await put(w, { stages: [{ ...p!, name: "Renamed meanwhile" }, q, won, lost] });
    expectProblem(res, 409);
    expect(res.body.stages).toEqual(
      expect.arrayContaining([
        { id: prop!.id, name: "Proposal", opportunityCount: 3 },
        { id: neg!.id, name: "Negotiation", opportunityCount: 1 },
      ]),
    );
    expect(paths(res).sort()).toEqual([`moveTo.${neg!.id}`, `moveTo.${prop!.id}`].sort());
    expect(res.body.detail).toContain("Proposal");
    // All or nothing: not even the rename happened.
    expect((await current(w)).map((s) => s.name)).toEqual(w.stages.map((s) => s.name));
  });

  it("moves the deals of removed stages where moveTo says, like a manual stage change", async () => {
    const w = await createWorkspace();
    const [p, q, prop, neg, won, lost] = await current(w);
    const db = testDb();
    const inProposal = await addDeals(w, prop!.id, 3, { stageEnteredAt: new Date("2024-01-01T00:00:00Z") });
    const inNegotiation = await addDeals(w, neg!.id, 2);
    const trashed = await addDeals(w, prop!.id, 1, { deletedAt: new Date() });
    await addDeals(w, won!.id, 1, { position: 5000, closedAt: new Date("2025-01-01T00:00:00Z") });

    const res = await put(w, {
      stages: [p, q, { name: "Late stage", probability: 60, kind: "open" }, won, lost],
      moveTo: { [prop!.id]: 2, [neg!.id]: won!.id },
    });
    expect(res.status).toBe(200);
    const late = res.body.stages[2];
    expect(late).toMatchObject({ name: "Late stage", opportunityCount: 3 });
    expect(res.body.stages[3]).toMatchObject({ id: won!.id, opportunityCount: 3 });

    const moved = await db.http.select().from(opportunities).where(inArray(opportunities.id, inProposal.map((d) => d.id)));
    for (const d of moved) {
      expect(d).toMatchObject({ stageId: late.id, version: 2, closedAt: null });
      expect(d.stageEnteredAt.getTime()).toBeGreaterThan(new Date("2024-01-02").getTime());
    }
    // Order within the column is kept.
    expect(moved.sort((a, b) => a.position - b.position).map((d) => d.id)).toEqual(inProposal.map((d) => d.id));
    const closed = await db.http.select().from(opportunities).where(inArray(opportunities.id, inNegotiation.map((d) => d.id)));
    for (const d of closed) expect(d).toMatchObject({ stageId: won!.id, version: 2, closedAt: expect.any(Date) });
    // Below the deals already in the target column.
    expect(Math.min(...closed.map((d) => d.position))).toBeGreaterThan(5000);
    // The trashed deal follows, so restoring it later brings it back onto the board.
    const [t] = await db.http.select().from(opportunities).where(eq(opportunities.id, trashed[0]!.id));
    expect(t!.stageId).toBe(late.id);

    const acts = await db.http.select().from(activities).where(and(eq(activities.workspaceId, w.id), eq(activities.type, "stage_change")));
    expect(acts).toHaveLength(5);
    const forProposal = acts.filter((a) => inProposal.some((d) => d.id === a.opportunityId));
    expect(forProposal).toHaveLength(3);
    expect(forProposal[0]).toMatchObject({
      subject: "Proposal → Late stage",
      body: "Stage Proposal removed",
      actorId: w.admin.id,
      properties: { fromStageId: prop!.id, fromStage: "Proposal", toStageId: late.id, toStage: "Late stage", reason: "Stage Proposal removed" },
    });
    const timeline = await api(`/api/opportunities/${inNegotiation[0]!.id}/timeline`, { token: w.viewer.token });
    expect(timeline.body.data[0]).toMatchObject({ type: "stage_change", body: "Stage Negotiation removed", actor: { id: w.admin.id } });

    const trail = await db.http.select().from(auditLog).where(and(eq(auditLog.workspaceId, w.id), eq(auditLog.action, "stage_change")));
    expect(trail).toHaveLength(5);
    const settings = await api("/api/audit?action=settings.stages", { token: w.admin.token });
    expect(settings.body.data[0].changes.movedOpportunities.to).toEqual(
      expect.arrayContaining([
        { fromStageId: prop!.id, fromStage: "Proposal", toStageId: late.id, toStage: "Late stage", count: 3 },
        { fromStageId: neg!.id, fromStage: "Negotiation", toStageId: won!.id, toStage: "Closed Won", count: 2 },
      ]),
    );
    // The board agrees.
    const board = await api("/api/opportunities/pipeline", { token: w.user.token });
    expect(board.body.stages.map((s: any) => s.name)).toEqual(["Prospecting", "Qualification", "Late stage", "Closed Won", "Closed Lost"]);
    expect(board.body.stages[2].cards.map((c: any) => c.id)).toEqual(inProposal.map((d) => d.id));
  });

  it("closes or reopens the deals of a stage whose kind changes", async () => {
    const w = await createWorkspace();
    const list = await current(w);
    const [deal] = await addDeals(w, list[3]!.id, 1);
    list[3]!.kind = "won";
    expect((await put(w, { stages: list })).status).toBe(200);
    const [after] = await testDb().http.select().from(opportunities).where(eq(opportunities.id, deal!.id));
    expect(after!.closedAt).toBeInstanceOf(Date);
    list[3]!.kind = "open";
    expect((await put(w, { stages: list })).status).toBe(200);
    const [reopened] = await testDb().http.select().from(opportunities).where(eq(opportunities.id, deal!.id));
    expect(reopened!.closedAt).toBeNull();
    expect(reopened!.version).toBe(3);
  });

  it("feeds a probability edit into the weighted forecast at once", async () => {
    const w = await createWorkspace();
    const list = await current(w);
    await addDeals(w, list[2]!.id, 1, { amount: 1_000_00 });
    const before = await api("/api/opportunities/pipeline", { token: w.user.token });
    expect(before.body.totals).toEqual([{ currency: "USD", amount: 1_000_00, weighted: 500_00, count: 1 }]);
    list[2]!.probability = 80;
    expect((await put(w, { stages: list })).status).toBe(200);
    const after = await api("/api/opportunities/pipeline", { token: w.user.token });
    expect(after.body.totals).toEqual([{ currency: "USD", amount: 1_000_00, weighted: 800_00, count: 1 }]);
    expect(after.body.stages[2].cards[0].probability).toBe(80);
  });

  it("validates the list: names, kinds, probabilities, size, ids and moveTo", async () => {
    const w = await createWorkspace();
    const list = await current(w);
    const cases: [unknown, string[]][] = [
      [{ stages: list.map((s) => ({ ...s, kind: s.kind === "open" ? "won" : s.kind })) }, ["stages"]],
      [{ stages: [list[0], { ...list[1]!, name: ` ${list[0]!.name.toUpperCase()} ` }] }, ["stages.1.name"]],
      [{ stages: [list[0], { ...list[1]!, probability: 101 }, { ...list[2]!, probability: 2.5 }, { ...list[3]!, kind: "paused" }] }, ["stages.1.probability", "stages.2.probability", "stages.3.kind"]],
      [{ stages: [] }, ["stages"]],
      [{ stages: Array.from({ length: 31 }, (_, i) => ({ name: `S${i}`, probability: 10, kind: "open" })) }, ["stages"]],
      [{ stages: [list[0], list[0]] }, ["stages.1.id", "stages.1.name"]],
      [{ stages: [{ ...list[0]!, id: crypto.randomUUID() }] }, ["stages.0.id"]],
      [{ stages: list, moveTo: { [list[0]!.id!]: list[1]!.id } }, [`moveTo.${list[0]!.id}`]],
      [{ stages: list.slice(1), moveTo: { [list[0]!.id!]: list[0]!.id } }, [`moveTo.${list[0]!.id}`]],
      [{ stages: list.slice(1), moveTo: { [list[0]!.id!]: 99 } }, [`moveTo.${list[0]!.id}`]],
      [{ stages: list, extra: true }, ["extra"]],
    ];
    for (const [body, fields] of cases) {
      const res = await put(w, body);
      expect(res.status, JSON.stringify(body).slice(0, 120)).toBe(422);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(paths(res).sort()).toEqual(fields);
    }
    expect(await current(w)).toEqual(list);
  });
});
