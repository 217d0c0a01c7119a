import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "../../db/client";
import { activities, auditLog, opportunities, pipelineStages } from "../../db/schema";
import { featureQuery, featureVector } from "../../worker/services/insights/features";
import { generateDealHistory, type GeneratedHistory } from "../helpers/deal-history";
import { api, createWorkspace, testDb, type TestWorkspace } from "../helpers/worker";

const DAY = 86_400_000;
let gen: TestWorkspace;
let history: GeneratedHistory;
let empty: TestWorkspace;
const db = testDb();

/**
 * A workspace with 300 generated deals over 300 days (hidden quality drives speed, buyer engagement, slips and
 * outcomes) and an empty one. The score must beat the stage probability on the first and fall back to it, labelled,
 * on the second.
 */
beforeAll(async () => {
  [gen, empty] = await Promise.all([createWorkspace(), createWorkspace()]);
  let t = Date.now();
  history = await generateDealHistory(db.http, { workspaceId: gen.id, stages: gen.stages, owners: [gen.admin.id, gen.user.id, gen.viewer.id], deals: 300, days: 300, seed: 11 });
  console.log(`generated in ${Date.now() - t} ms`);
  // What autovacuum does after a bulk load: planner statistics for the new rows.
  await db.http.execute(sql`analyze opportunities, activities, audit_log`);
  t = Date.now();
  const refit = await api("/api/insights/refit", { method: "POST", token: gen.admin.token });
  expect(refit.status).toBe(200);
  expect(refit.body.kind).toBe("logistic");
  expect(refit.body.scored).toBeGreaterThan(0);
  console.log(`refit in ${Date.now() - t} ms`);
}, 300_000);

afterAll(() => db.close());

describe("win score", () => {
  it("beats the stage probability in a time-split backtest and is calibrated (GET /api/insights/score-quality)", async () => {
    const res = await api("/api/insights/score-quality", { token: gen.viewer.token });
    expect(res.status).toBe(200);
    const { backtest, model, slip } = res.body;
    console.log("score-quality (generated, 300 deals)", JSON.stringify({ trainDeals: backtest.trainDeals, testDeals: backtest.testDeals, ours: { auc: backtest.ours.auc, brier: backtest.ours.brier, ece: backtest.ours.calibrationError }, baseline: { auc: backtest.baseline.auc, brier: backtest.baseline.brier, ece: backtest.baseline.calibrationError }, slip }));
    expect(model.kind).toBe("logistic");
    expect(model.closedDeals).toBeGreaterThanOrEqual(30);
    expect(backtest.testDeals).toBeGreaterThan(20);
    expect(backtest.ours.auc).toBeGreaterThanOrEqual(backtest.baseline.auc + 0.05);
    expect(backtest.ours.brier).toBeLessThanOrEqual(backtest.baseline.brier);
    // 25-odd test deals make the calibration error noisy: no worse than the stage probabilities' by more than 0.1.
    expect(backtest.ours.calibrationError).toBeLessThanOrEqual(backtest.baseline.calibrationError + 0.1);
    expect(backtest.ours.bins).toHaveLength(10);
    expect(slip.candidates).toBeGreaterThan(0);
  });

  it("writes a score on every open deal, shown on the board and sortable in the list", async () => {
    const open = history.deals.filter((d) => d.won === null);
    const board = await api("/api/opportunities/pipeline?cardsPerStage=500", { token: gen.viewer.token });
    const cards = board.body.stages.flatMap((s: any) => s.cards).filter((c: any) => open.some((d) => d.id === c.id));
    expect(cards.length).toBe(open.length);
    expect(cards.every((c: any) => Number.isInteger(c.winScore) && c.winScore >= 0 && c.winScore <= 100)).toBe(true);
    // Higher hidden quality, higher score on average (the scores are not noise).
    const hi = cards.filter((c: any) => open.find((d) => d.id === c.id)!.q > 0.5);
    const lo = cards.filter((c: any) => open.find((d) => d.id === c.id)!.q < -0.5);
    const avg = (l: any[]) => l.reduce((s, c) => s + c.winScore, 0) / l.length;
    expect(avg(hi)).toBeGreaterThan(avg(lo));
    const list = await api("/api/opportunities?sort=-winScore&limit=5", { token: gen.viewer.token });
    expect(list.status).toBe(200);
    const scores = list.body.data.map((d: any) => d.winScore);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it("explains a deal's score with reasons that cite records of this deal (GET /api/opportunities/:id/score)", async () => {
    const deal = history.deals.find((d) => d.won === null)!;
    const res = await api(`/api/opportunities/${deal.id}/score`, { token: gen.viewer.token });
    expect(res.status).toBe(200);
    expect(res.body.source).toBe("model");
    expect(res.body.explanation).toMatch(/closed deals/);
    expect(res.body.reasons[0].key).toBe("stage");
    expect(res.body.reasons.length).toBeGreaterThan(2);
    const cited = res.body.reasons.flatMap((r: any) => r.citations);
    const actIds = cited.filter((c: any) => c.type === "activity").map((c: any) => c.id);
    if (actIds.length) {
      const rows = await db.http.select({ id: activities.id, opp: activities.opportunityId }).from(activities).where(sql`${activities.id} in ${actIds}`);
      expect(rows.every((r) => r.opp === deal.id)).toBe(true);
    }
    // Another workspace's deal is a 404.
    expect((await api(`/api/opportunities/${deal.id}/score`, { token: empty.viewer.token })).status).toBe(404);
  });

  it("replays a closed deal as it stood: nothing that happened after the moment changes its features", async () => {
    const closed = history.deals.find((d) => d.won !== null)!;
    const [row] = await db.http.select().from(opportunities).where(eq(opportunities.id, closed.id));
    const asOf = new Date((row!.createdAt.getTime() + row!.closedAt!.getTime()) / 2);
    const pairs = sql`select ${closed.id}::uuid as id, ${asOf.toISOString()}::timestamptz as as_of`;
    const before = rowsOf(await db.http.execute(featureQuery({ workspaceId: gen.id, pairs })))[0]!;
    // Later events: a flood of inbound touches, a close-date push, a backward move — all after the moment.
    const later = new Date(asOf.getTime() + DAY);
    await db.http.insert(activities).values(
      Array.from({ length: 5 }, () => ({ workspaceId: gen.id, opportunityId: closed.id, type: "call", properties: { direction: "inbound" }, happenedAt: later })),
    );
    await db.http.insert(auditLog).values({ workspaceId: gen.id, action: "update", entityType: "opportunity", entityId: closed.id, changes: { closeDate: { from: "2026-01-01", to: "2026-03-01" } }, at: later });
    const after = rowsOf(await db.http.execute(featureQuery({ workspaceId: gen.id, pairs })))[0]!;
    expect(featureVector(after)).toEqual(featureVector(before));
    // The label is the outcome, but the stage is the one it stood in then: an open stage.
    expect(before.stage_kind).toBe("open");
  });
});

describe("no history", () => {
  it("falls back to the stage probability and says so", async () => {
    const [deal] = await db.http.insert(opportunities).values({ workspaceId: empty.id, name: "Lonely", stageId: empty.stages[1]!.id }).returning();
    const refit = await api("/api/insights/refit", { method: "POST", token: empty.admin.token });
    expect(refit.body.kind).toBe("stage_probability");
    const res = await api(`/api/opportunities/${deal!.id}/score`, { token: empty.viewer.token });
    expect(res.status).toBe(200);
    expect(res.body.source).toBe("stage_probability");
    expect(res.body.score).toBe(empty.stages[1]!.probability);
    expect(res.body.explanation).toMatch(/Not enough history yet \(0 of 30 closed deals\)/);
    const q = await api("/api/insights/score-quality", { token: empty.viewer.token });
    expect(q.body.model.kind).toBe("stage_probability");
    expect(q.body.backtest.testDeals).toBe(0);
  });

  it("refit and settings are ADMIN's; a USER gets 403", async () => {
    expect((await api("/api/insights/refit", { method: "POST", token: empty.user.token })).status).toBe(403);
    expect((await api("/api/insights/settings", { method: "PUT", token: empty.user.token, body: { inactivityDays: 3 } })).status).toBe(403);
    const bad = await api("/api/insights/settings", { method: "PUT", token: empty.admin.token, body: { inactivityDays: 0 } });
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.body.errors)).toContain("inactivityDays");
  });
});

describe("rotting", () => {
  it("marks deals past the stage's aging limit, counts them per column, filters them, and flags inactivity", async () => {
    const stage = empty.stages[0]!;
    await db.http.update(pipelineStages).set({ agingDays: 5 }).where(eq(pipelineStages.id, stage.id));
    const [old, fresh] = await db.http
      .insert(opportunities)
      .values([
        { workspaceId: empty.id, name: "Old one", stageId: stage.id, stageEnteredAt: new Date(Date.now() - 12 * DAY), createdAt: new Date(Date.now() - 40 * DAY) },
        { workspaceId: empty.id, name: "Fresh one", stageId: stage.id, stageEnteredAt: new Date(Date.now() - 2 * DAY) },
      ])
      .returning();
    await api("/api/insights/settings", { method: "PUT", token: empty.admin.token, body: { inactivityDays: 20 } });
    const board = await api("/api/opportunities/pipeline", { token: empty.viewer.token });
    const col = board.body.stages.find((s: any) => s.id === stage.id);
    expect(col.agingLimit).toBe(5);
    expect(col.rottingCount).toBe(1);
    const o = col.cards.find((c: any) => c.id === old!.id);
    const f = col.cards.find((c: any) => c.id === fresh!.id);
    expect(o).toMatchObject({ rotting: true, daysOver: 7, agingLimit: 5, inactiveDays: 40 });
    expect(f).toMatchObject({ rotting: false, daysOver: null, inactiveDays: null });
    const only = await api("/api/opportunities/pipeline?rotting=true", { token: empty.viewer.token });
    expect(only.body.stages.flatMap((s: any) => s.cards.map((c: any) => c.id))).toEqual([old!.id]);
    const watch = await api("/api/dashboard/deal-watch", { token: empty.viewer.token });
    expect(watch.body.rotting.count).toBe(1);
  });
});

describe("forecast accuracy", () => {
  it("grades past months' forecasts (weeks −8, −4, −1) against what was won, from snapshots rebuilt from history", async () => {
    const res = await api("/api/insights/forecast-accuracy?months=6", { token: gen.viewer.token });
    expect(res.status).toBe(200);
    expect(res.body.horizons).toEqual([8, 4, 1]);
    expect(res.body.periods).toHaveLength(6);
    const p = res.body.periods.at(-1);
    expect(p.predictions["4"].snapshotWeek).not.toBeNull();
    expect(p.predictions["4"].weighted).toBeGreaterThanOrEqual(0);
    // Actual equals a direct sum of deals won in the month.
    const direct = rowsOf(
      await db.http.execute(sql`select coalesce(sum(o.amount), 0)::bigint as s from opportunities o join pipeline_stages s on s.id = o.stage_id
        where o.workspace_id = ${gen.id} and s.kind = 'won' and o.closed_at >= ${p.period.from}::date and o.closed_at < ${p.period.to}::date`),
    )[0]!;
    expect(p.actual).toBe(Number(direct.s));
    expect(Object.keys(res.body.mape).sort()).toEqual(["1", "4", "8"]);
    console.log("forecast MAPE (generated)", JSON.stringify(res.body.mape));
  });
});
