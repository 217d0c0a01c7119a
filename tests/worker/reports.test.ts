import { and, eq, inArray, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "../../db/client";
import { accounts, activities, aiStageNorms, opportunities, pipelines, pipelineStages, reasonCodes } from "../../db/schema";
import { expectProblem } from "../helpers/records";
import { api, createWorkspace, testDb, unique, type TestWorkspace } from "../helpers/worker";

const DAY = 86_400_000;
const GROUP_BYS = ["owner", "account", "reason", "pipeline", "source", "month"] as const;

let ws: TestWorkspace;
let other: TestWorkspace;
let second: { id: string; stages: { id: string; kind: string }[] };
const from = "2026-01-01";
const to = "2026-07-01";

/**
 * A workspace with closed deals spread over two pipelines, three owners, accounts, sources, two currencies and six
 * months (some outside the period, one deleted, one in another workspace), with stage-change activities carrying
 * reason codes (one deal reopened and closed again: only its last move into the closing stage counts).
 */
beforeAll(async () => {
  ws = await createWorkspace();
  other = await createWorkspace();
  const db = testDb();
  try {
    const [p2] = await db.http.insert(pipelines).values({ workspaceId: ws.id, key: "renewals", name: "Renewals", position: 1 }).returning();
    const st2 = await db.http
      .insert(pipelineStages)
      .values([
        { workspaceId: ws.id, pipelineId: p2!.id, name: "Renewal due", position: 0, probability: 50, kind: "open" as const },
        { workspaceId: ws.id, pipelineId: p2!.id, name: "Renewed", position: 1, probability: 100, kind: "won" as const },
        { workspaceId: ws.id, pipelineId: p2!.id, name: "Churned", position: 2, probability: 0, kind: "lost" as const },
      ])
      .returning();
    second = { id: p2!.id, stages: st2 };
    // New workspaces come with the default reason codes; these two take the labels this test reads back.
    await db.http.delete(reasonCodes).where(and(eq(reasonCodes.workspaceId, ws.id), inArray(reasonCodes.value, ["price", "competitor"])));
    await db.http.insert(reasonCodes).values([
      { workspaceId: ws.id, kind: "won", value: "price", label: "Best price" },
      { workspaceId: ws.id, kind: "lost", value: "competitor", label: "Lost to a competitor" },
    ]);
    const accs = await db.http.insert(accounts).values([0, 1, 2].map((i) => ({ workspaceId: ws.id, name: `Acme ${i} ${unique()}` }))).returning();
    const won1 = ws.stages.find((s) => s.kind === "won")!;
    const lost1 = ws.stages.find((s) => s.kind === "lost")!;
    const open1 = ws.stages[0]!;
    const owners = [ws.admin.id, ws.user.id, null];
    const sources = ["web", "referral", null];
    const reasons = ["price", "competitor", null, "timing"];
    const deals: (typeof opportunities.$inferInsert)[] = [];
    for (let i = 0; i < 60; i++) {
      const inSecond = i % 4 === 0;
      const won = i % 3 !== 0;
      const stage = inSecond ? (won ? st2[1]! : st2[2]!) : won ? won1 : lost1;
      const month = i % 8; // 0..7: Jan..Aug 2026; Jul and Aug fall outside [from, to)
      deals.push({
        workspaceId: ws.id,
        name: `Deal ${i}`,
        ownerId: owners[i % 3],
        accountId: i % 5 === 0 ? null : accs[i % 3]!.id,
        source: sources[i % 3],
        stageId: stage.id,
        amount: i % 7 === 0 ? null : 1000 * (i + 1),
        currency: i % 2 ? "EUR" : "USD",
        closedAt: new Date(Date.UTC(2026, month, 1 + (i % 27), 12)),
        closeDate: `2026-0${month + 1}-15`,
        deletedAt: i === 59 ? new Date() : null,
      });
    }
    // Open deals are never closed; another workspace's closed deal never counts here.
    deals.push({ workspaceId: ws.id, name: "Open", stageId: open1.id, amount: 5, currency: "USD", closeDate: "2026-03-01" });
    deals.push({ workspaceId: other.id, name: "Foreign", stageId: other.stages.find((s) => s.kind === "won")!.id, amount: 7, currency: "USD", closedAt: new Date(Date.UTC(2026, 2, 3)) });
    const made = await db.http.insert(opportunities).values(deals).returning();
    const acts: (typeof activities.$inferInsert)[] = [];
    made.slice(0, 60).forEach((d, i) => {
      const at = d.closedAt!.getTime();
      const move = (toStageId: string, minutesBefore: number, code: string | null) => ({
        workspaceId: ws.id,
        type: "stage_change",
        opportunityId: d.id,
        happenedAt: new Date(at - minutesBefore * 60_000),
        properties: { fromStageId: open1.id, toStageId, ...(code ? { reasonCode: code } : {}) },
      });
      const code = reasons[i % 4]!;
      acts.push(move(open1.id, 3 * 24 * 60, "ignored-open-move"));
      if (i % 6 === 1) acts.push(move(d.stageId, 2 * 24 * 60, "stale-first-close")); // an earlier close, then reopened
      acts.push(move(d.stageId, 0, code));
    });
    await db.http.insert(activities).values(acts);
  } finally {
    await db.close();
  }
});

/** The same report, counted directly in SQL with none of the service's code: the numbers must agree. */
async function directCount(groupBy: (typeof GROUP_BYS)[number], extra = sql``) {
  const key = {
    owner: sql`o.owner_id::text`,
    account: sql`o.account_id::text`,
    pipeline: sql`s.pipeline_id::text`,
    source: sql`nullif(o.source, '')`,
    month: sql`to_char(o.closed_at at time zone 'UTC', 'YYYY-MM')`,
    reason: sql`coalesce(lr.code, 'unspecified')`,
  }[groupBy];
  const db = testDb();
  try {
    const res = await db.http.execute(sql`
      with last_close as (
        select distinct on (a.opportunity_id) a.opportunity_id, a.properties->>'reasonCode' as code
        from activities a join opportunities o2 on o2.id = a.opportunity_id
        where a.type = 'stage_change' and a.deleted_at is null and a.properties->>'toStageId' = o2.stage_id::text
        order by a.opportunity_id, a.happened_at desc, a.id desc
      )
      select ${key} as key, o.currency, s.kind::text as kind, count(*)::int as n, coalesce(sum(o.amount), 0)::bigint as amount
      from opportunities o join pipeline_stages s on s.id = o.stage_id left join last_close lr on lr.opportunity_id = o.id
      where o.workspace_id = ${ws.id} and o.deleted_at is null and s.kind in ('won', 'lost')
        and o.closed_at >= '2026-01-01T00:00:00Z' and o.closed_at < '2026-07-01T00:00:00Z' ${extra}
      group by 1, 2, 3`);
    const out = new Map<string, { won: number; lost: number; amounts: Record<string, number> }>();
    for (const r of rowsOf<{ key: string | null; currency: string; kind: "won" | "lost"; n: number; amount: string }>(res)) {
      const g = out.get(r.key ?? "null") ?? { won: 0, lost: 0, amounts: {} };
      g[r.kind] += r.n;
      g.amounts[`${r.kind}:${r.currency}`] = (g.amounts[`${r.kind}:${r.currency}`] ?? 0) + Number(r.amount);
      out.set(r.key ?? "null", g);
    }
    return out;
  } finally {
    await db.close();
  }
}

function fromReport(body: any) {
  const out = new Map<string, { won: number; lost: number; amounts: Record<string, number> }>();
  for (const g of body.groups) {
    const amounts: Record<string, number> = {};
    for (const kind of ["won", "lost"] as const) for (const m of g[kind].amounts) if (g[kind].count) amounts[`${kind}:${m.currency}`] = m.amount;
    out.set(g.key ?? "null", { won: g.won.count, lost: g.lost.count, amounts });
    expect(g.winRate).toBeCloseTo(g.won.count / (g.won.count + g.lost.count), 10);
  }
  return out;
}

describe("GET /api/reports/win-loss", () => {
  for (const groupBy of GROUP_BYS) {
    it(`groupBy=${groupBy}: the numbers equal a direct SQL count on the same data`, async () => {
      const res = await api(`/api/reports/win-loss?groupBy=${groupBy}&from=${from}&to=${to}`, { token: ws.viewer.token });
      expect(res.status).toBe(200);
      expect(res.body.period).toEqual({ from, to });
      const direct = await directCount(groupBy);
      expect(fromReport(res.body)).toEqual(direct);
      expect(direct.size).toBeGreaterThan(1);
      const won = [...direct.values()].reduce((n, g) => n + g.won, 0);
      const lost = [...direct.values()].reduce((n, g) => n + g.lost, 0);
      expect(res.body.total).toMatchObject({ won: { count: won }, lost: { count: lost } });
    });
  }

  it("reasons are the last move into the closing stage, labelled from the reason codes, 'unspecified' when none", async () => {
    const res = await api(`/api/reports/win-loss?groupBy=reason&from=${from}&to=${to}`, { token: ws.user.token });
    const keys = res.body.groups.map((g: any) => g.key).sort();
    expect(keys).toEqual(["competitor", "price", "timing", "unspecified"]);
    expect(res.body.groups.find((g: any) => g.key === "price").label).toBe("Best price");
    expect(res.body.groups.find((g: any) => g.key === "unspecified").label).toBe("Unspecified");
  });

  it("filters by pipeline, owner and currency, and labels pipelines by name", async () => {
    const q = `from=${from}&to=${to}&pipelineId=${second.id}&ownerId=${ws.user.id}&currency=eur`;
    const res = await api(`/api/reports/win-loss?groupBy=pipeline&${q}`, { token: ws.user.token });
    expect(res.status).toBe(200);
    const direct = await directCount("pipeline", sql`and s.pipeline_id = ${second.id} and o.owner_id = ${ws.user.id} and o.currency = 'EUR'`);
    expect(fromReport(res.body)).toEqual(direct);
    for (const g of res.body.groups) expect(g.label).toBe("Renewals");
  });

  it("another workspace sees none of it", async () => {
    const res = await api(`/api/reports/win-loss?groupBy=owner&from=${from}&to=${to}`, { token: other.admin.token });
    expect(res.body.total).toMatchObject({ won: { count: 1, amounts: [{ currency: "USD", amount: 7 }] }, lost: { count: 0 } });
  });

  it("answers 400 naming the field for a bad filter", async () => {
    for (const [q, field] of [
      ["groupBy=colour", "groupBy"],
      ["from=yesterday", "from"],
      ["to=2026-13-01", "to"],
      ["from=2026-05-01&to=2026-04-01", "to"],
      ["pipelineId=nope", "pipelineId"],
      ["ownerId=1", "ownerId"],
      ["currency=EURO", "currency"],
    ] as const) {
      const res = await api(`/api/reports/win-loss?${q}`, { token: ws.user.token });
      expectProblem(res, 400, [field]);
    }
  });
});

describe("the other reports", () => {
  it("pipeline-by-stage lists every open stage with its open count and amount per currency", async () => {
    const res = await api(`/api/reports/pipeline-by-stage`, { token: ws.viewer.token });
    expect(res.status).toBe(200);
    const first = res.body.stages.find((s: any) => s.stageId === ws.stages[0]!.id);
    expect(first).toMatchObject({ count: 1, amounts: [{ currency: "USD", amount: 5 }], pipelineName: "Sales" });
    expect(res.body.stages.filter((s: any) => s.pipelineId === second.id)).toHaveLength(1);
    const onlySecond = await api(`/api/reports/pipeline-by-stage?pipelineId=${second.id}`, { token: ws.viewer.token });
    expect(onlySecond.body.stages.map((s: any) => s.name)).toEqual(["Renewal due"]);
    const outside = await api(`/api/reports/pipeline-by-stage?from=2026-04-01&to=2026-05-01`, { token: ws.viewer.token });
    expect(outside.body.stages.find((s: any) => s.stageId === ws.stages[0]!.id).count).toBe(0);
  });

  it("forecast splits open deals by close month into committed, best case and weighted", async () => {
    const db = testDb();
    try {
      const neg = ws.stages.find((s) => s.name === "Negotiation")!; // 75 %: committed
      const prop = ws.stages.find((s) => s.name === "Proposal")!; // 50 %
      await db.http.insert(opportunities).values([
        { workspaceId: ws.id, name: "F1", stageId: neg.id, amount: 10_000, currency: "GBP", closeDate: "2031-02-10" },
        { workspaceId: ws.id, name: "F2", stageId: prop.id, amount: 3_000, currency: "GBP", closeDate: "2031-02-20" },
        { workspaceId: ws.id, name: "F3", stageId: prop.id, amount: 1_000, currency: "GBP", closeDate: "2031-03-01", probability: 90 },
      ]);
    } finally {
      await db.close();
    }
    const res = await api(`/api/reports/forecast?from=2031-01-01&to=2031-06-01&currency=GBP`, { token: ws.viewer.token });
    expect(res.status).toBe(200);
    expect(res.body.committedFrom).toBe(75);
    expect(res.body.months).toEqual([
      { month: "2031-02", currency: "GBP", count: 2, committed: 10_000, bestCase: 13_000, weighted: 7_500 + 1_500 },
      { month: "2031-03", currency: "GBP", count: 1, committed: 1_000, bestCase: 1_000, weighted: 900 },
    ]);
  });

  it("conversion counts entries, advances and the median days in a stage from stage-change history", async () => {
    const fresh = await createWorkspace();
    const [a, b, c] = fresh.stages;
    const db = testDb();
    try {
      const t0 = Date.UTC(2026, 2, 1);
      const deals = await db.http
        .insert(opportunities)
        .values([0, 1, 2].map((i) => ({ workspaceId: fresh.id, name: `C${i}`, stageId: i === 0 ? c!.id : b!.id, createdAt: new Date(t0) })))
        .returning();
      const mv = (opportunityId: string, fromId: string, toId: string, days: number) => ({
        workspaceId: fresh.id, type: "stage_change", opportunityId, happenedAt: new Date(t0 + days * DAY), properties: { fromStageId: fromId, toStageId: toId },
      });
      await db.http.insert(activities).values([
        mv(deals[0]!.id, a!.id, b!.id, 2), mv(deals[0]!.id, b!.id, c!.id, 6), // 2 days in A, 4 in B
        mv(deals[1]!.id, a!.id, b!.id, 4), // 4 days in A, still in B
        mv(deals[2]!.id, a!.id, b!.id, 6), // 6 days in A
      ]);
    } finally {
      await db.close();
    }
    const res = await api(`/api/reports/conversion?from=2026-03-01&to=2026-04-01`, { token: fresh.viewer.token });
    expect(res.status).toBe(200);
    const byId = new Map(res.body.stages.map((s: any) => [s.stageId, s]));
    expect(byId.get(a!.id)).toMatchObject({ exits: 3, medianDays: 4 });
    expect(byId.get(b!.id)).toMatchObject({ entered: 3, advanced: 1, conversionRate: 1 / 3, exits: 1, medianDays: 4 });
    expect(byId.get(c!.id)).toMatchObject({ entered: 1, advanced: 0 });
  });

  it("pipeline-over-time rebuilds each Monday's open deals per stage from stage-change history", async () => {
    const fresh = await createWorkspace();
    const [a, b, c] = fresh.stages;
    const won = fresh.stages.find((s) => s.kind === "won")!;
    const mon1 = Date.UTC(2026, 5, 1); // Monday 1 June 2026
    const db = testDb();
    try {
      const [d1, d2, d3] = await db.http
        .insert(opportunities)
        .values([
          { workspaceId: fresh.id, name: "D1", stageId: c!.id, createdAt: new Date(mon1 - 3 * DAY) }, // A → B (Jun 3) → C (Jun 10)
          { workspaceId: fresh.id, name: "D2", stageId: won.id, createdAt: new Date(mon1 - 3 * DAY), closedAt: new Date(mon1 + 9 * DAY) }, // B → won (Jun 10)
          { workspaceId: fresh.id, name: "D3", stageId: a!.id, createdAt: new Date(mon1 + 2 * DAY) }, // created Jun 3 in A
        ])
        .returning();
      const mv = (opportunityId: string, fromId: string, toId: string, at: number) => ({
        workspaceId: fresh.id, type: "stage_change", opportunityId, happenedAt: new Date(at), properties: { fromStageId: fromId, toStageId: toId },
      });
      await db.http.insert(activities).values([
        mv(d1!.id, a!.id, b!.id, mon1 + 2 * DAY), mv(d1!.id, b!.id, c!.id, mon1 + 9 * DAY), mv(d2!.id, b!.id, won.id, mon1 + 9 * DAY),
      ]);
      expect(d3).toBeTruthy();
    } finally {
      await db.close();
    }
    const res = await api(`/api/reports/pipeline-over-time?from=2026-06-01&to=2026-06-16`, { token: fresh.viewer.token });
    expect(res.status).toBe(200);
    const at = (day: string) => res.body.weeks.find((w: any) => w.asOf === day).counts;
    expect(res.body.weeks.map((w: any) => w.asOf)).toEqual(["2026-06-01", "2026-06-08", "2026-06-15"]);
    expect(at("2026-06-01")).toMatchObject({ [a!.id]: 1, [b!.id]: 1, [c!.id]: 0 });
    expect(at("2026-06-08")).toMatchObject({ [a!.id]: 1, [b!.id]: 2 });
    expect(at("2026-06-15")).toMatchObject({ [a!.id]: 1, [b!.id]: 0, [c!.id]: 1 });
  });

  it("activity-volume counts logged activities per week, owner and type", async () => {
    const fresh = await createWorkspace();
    const db = testDb();
    try {
      const mon = Date.UTC(2026, 5, 1); // a Monday
      await db.http.insert(activities).values([
        ...[0, 1, 2].map((d) => ({ workspaceId: fresh.id, type: "call", ownerId: fresh.user.id, happenedAt: new Date(mon + d * DAY) })),
        { workspaceId: fresh.id, type: "email", ownerId: fresh.user.id, happenedAt: new Date(mon + 8 * DAY) },
        { workspaceId: fresh.id, type: "stage_change", ownerId: fresh.user.id, happenedAt: new Date(mon) },
        { workspaceId: fresh.id, type: "call", ownerId: fresh.admin.id, happenedAt: new Date(mon), deletedAt: new Date() },
      ]);
    } finally {
      await db.close();
    }
    const res = await api(`/api/reports/activity-volume?from=2026-06-01&to=2026-06-15`, { token: fresh.viewer.token });
    expect(res.status).toBe(200);
    expect(res.body.rows).toEqual([
      { week: "2026-06-01", ownerId: fresh.user.id, ownerName: expect.stringContaining("USER"), type: "call", count: 3 },
      { week: "2026-06-08", ownerId: fresh.user.id, ownerName: expect.stringContaining("USER"), type: "email", count: 1 },
    ]);
    const none = await api(`/api/reports/activity-volume?from=2026-06-01&to=2026-06-15&ownerId=${fresh.admin.id}`, { token: fresh.viewer.token });
    expect(none.body.rows).toEqual([]);
  });

  it("win-rate answers the win-loss numbers", async () => {
    const a = await api(`/api/reports/win-rate?groupBy=source&from=${from}&to=${to}`, { token: ws.viewer.token });
    const b = await api(`/api/reports/win-loss?groupBy=source&from=${from}&to=${to}`, { token: ws.viewer.token });
    expect(a.status).toBe(200);
    expect(a.body).toEqual(b.body);
  });
});

describe("GET /api/reports/rotting", () => {
  let rw: TestWorkspace;
  let foreign: TestWorkspace;
  let renewals: { pipelineId: string; stageId: string };
  const ids: Record<string, string> = {};
  const ago = (days: number) => new Date(Date.now() - days * DAY);

  /**
   * Deals made to rot by setting their stage entry date back. Prospecting rots after its own 10 days, Qualification
   * after the workspace's median (7.4 → 8 days, six samples), Negotiation after its own 20 days (its median of 3 is
   * ignored), Proposal has neither (nothing rots there), and a second pipeline's stage after 5 days. Half-day offsets
   * keep every deal clear of a day boundary.
   */
  beforeAll(async () => {
    rw = await createWorkspace();
    foreign = await createWorkspace();
    const db = testDb();
    try {
      const st = (name: string) => rw.stages.find((s) => s.name === name)!;
      await db.http.update(pipelineStages).set({ agingDays: 10 }).where(eq(pipelineStages.id, st("Prospecting").id));
      await db.http.update(pipelineStages).set({ agingDays: 20 }).where(eq(pipelineStages.id, st("Negotiation").id));
      await db.http.insert(aiStageNorms).values({
        workspaceId: rw.id,
        norms: [
          { stageId: st("Qualification").id, medianDays: 7.4, samples: 6 },
          { stageId: st("Negotiation").id, medianDays: 3, samples: 9 },
          { stageId: st("Proposal").id, medianDays: 1, samples: 4 }, // too few samples: no limit
        ],
      });
      const [p2] = await db.http.insert(pipelines).values({ workspaceId: rw.id, key: "renewals", name: "Renewals", position: 1 }).returning();
      const [due] = await db.http.insert(pipelineStages).values({ workspaceId: rw.id, pipelineId: p2!.id, name: "Renewal due", position: 0, probability: 50, kind: "open", agingDays: 5 }).returning();
      renewals = { pipelineId: p2!.id, stageId: due!.id };
      const fp = foreign.stages.find((s) => s.name === "Prospecting")!;
      await db.http.update(pipelineStages).set({ agingDays: 1 }).where(eq(pipelineStages.id, fp.id));
      const deal = (key: string, stageId: string, days: number, extra: Partial<typeof opportunities.$inferInsert> = {}) => ({
        workspaceId: rw.id, name: `Rot ${key}`, stageId, stageEnteredAt: ago(days), currency: "USD", amount: 100, ...extra,
      });
      const made = await db.http
        .insert(opportunities)
        .values([
          deal("P1", st("Prospecting").id, 25.5, { amount: 1000, ownerId: rw.admin.id }),
          deal("P2", st("Prospecting").id, 11.5, { amount: 500, currency: "EUR", ownerId: rw.user.id }),
          deal("P3", st("Prospecting").id, 9.5),
          deal("P4", st("Prospecting").id, 40.5, { deletedAt: new Date() }),
          deal("Q1", st("Qualification").id, 30.5, { amount: null, ownerId: rw.user.id }),
          deal("Q2", st("Qualification").id, 5.5),
          deal("R1", st("Proposal").id, 400.5),
          deal("N1", st("Negotiation").id, 15.5),
          deal("N2", st("Negotiation").id, 50.5, { amount: 7000, closeDate: "2031-03-01", ownerId: rw.admin.id }),
          deal("W1", st("Closed Won").id, 100.5),
          deal("D1", due!.id, 10.5, { amount: 300, currency: "EUR" }),
          { workspaceId: foreign.id, name: "Rot foreign", stageId: fp.id, stageEnteredAt: ago(100), currency: "USD", amount: 9 },
        ])
        .returning();
      for (const d of made) ids[d.name.replace("Rot ", "")] = d.id;
    } finally {
      await db.close();
    }
  });

  /** The same numbers counted directly in SQL, with none of the service's code. */
  async function directRotting(extra = sql``) {
    const db = testDb();
    try {
      const res = await db.http.execute(sql`
        select o.stage_id::text as stage_id, o.currency, count(*)::int as n, coalesce(sum(o.amount), 0)::bigint as amount,
          max(floor(extract(epoch from now() - o.stage_entered_at) / 86400)::int - lim.days) as worst
        from opportunities o
        join pipeline_stages s on s.id = o.stage_id
        cross join lateral (
          select coalesce(s.aging_days, (
            select ceil((n->>'medianDays')::numeric)::int from ai_stage_norms x, jsonb_array_elements(x.norms) n
            where x.workspace_id = s.workspace_id and n->>'stageId' = s.id::text and (n->>'samples')::int >= 5)) as days
        ) lim
        where o.workspace_id = ${rw.id} and o.deleted_at is null and s.kind = 'open' and lim.days is not null
          and o.stage_entered_at < now() - lim.days * interval '1 day' ${extra}
        group by 1, 2`);
      const out = new Map<string, { count: number; amounts: Record<string, number>; worst: number }>();
      for (const r of rowsOf<{ stage_id: string; currency: string; n: number; amount: string; worst: number }>(res)) {
        const g = out.get(r.stage_id) ?? { count: 0, amounts: {}, worst: 0 };
        g.count += Number(r.n);
        g.amounts[r.currency] = Number(r.amount);
        g.worst = Math.max(g.worst, Number(r.worst));
        out.set(r.stage_id, g);
      }
      return out;
    } finally {
      await db.close();
    }
  }

  const fromReport = (body: any) =>
    new Map(
      body.stages
        .filter((s: any) => s.count > 0)
        .map((s: any) => [s.stageId, { count: s.count, amounts: Object.fromEntries(s.amounts.map((m: any) => [m.currency, m.amount])), worst: s.worstDaysOver }]),
    );

  it("counts, per stage in pipeline order, the open deals past their stage's limit, as a direct SQL count does", async () => {
    const res = await api("/api/reports/rotting", { token: rw.viewer.token });
    expect(res.status).toBe(200);
    const direct = await directRotting();
    expect(fromReport(res.body)).toEqual(direct);
    expect(res.body.total).toBe(5);
    expect([...direct.values()].reduce((n, g) => n + g.count, 0)).toBe(5);
    // Every open stage of both pipelines, in pipeline order, with its limit and where it comes from.
    expect(res.body.stages.map((s: any) => [s.name, s.agingLimit, s.limitSource, s.count, s.worstDaysOver])).toEqual([
      ["Prospecting", 10, "stage", 2, 15],
      ["Qualification", 8, "median", 1, 22],
      ["Proposal", null, null, 0, null],
      ["Negotiation", 20, "stage", 1, 30],
      ["Renewal due", 5, "stage", 1, 5],
    ]);
    expect(res.body.stages[0].amounts).toEqual([
      { currency: "EUR", amount: 500 },
      { currency: "USD", amount: 1000 },
    ]);
    // The deals, most days over first, each with what the table shows.
    expect(res.body.deals.map((d: any) => [d.name, d.daysOver, d.daysInStage])).toEqual([
      ["Rot N2", 30, 50],
      ["Rot Q1", 22, 30],
      ["Rot P1", 15, 25],
      ["Rot D1", 5, 10],
      ["Rot P2", 1, 11],
    ]);
    expect(res.body.deals[0]).toMatchObject({ id: ids.N2, ownerId: rw.admin.id, ownerName: expect.stringMatching(/^ADMIN /), stageName: "Negotiation", pipelineName: "Sales", agingLimit: 20, currency: "USD", amount: 7000 });
    expect(res.body.deals[1]).toMatchObject({ id: ids.Q1, amount: null, stageName: "Qualification" });
    expect(res.body.deals[3]).toMatchObject({ pipelineName: "Renewals", ownerId: null, ownerName: null });
    expect(res.body.dealsLimit).toBe(100);
    expect(res.body.period).toBeNull();
  });

  it("agrees with the board's rotting counts and the dashboard's", async () => {
    const board = await api("/api/opportunities/pipeline", { token: rw.viewer.token });
    expect(board.status).toBe(200);
    const report = await api("/api/reports/rotting", { token: rw.viewer.token });
    for (const col of board.body.stages) {
      const st = report.body.stages.find((s: any) => s.stageId === col.id);
      expect(st?.count ?? 0, col.name).toBe(col.rottingCount);
      // A card's "N d over" is the report's.
      for (const card of col.cards) {
        const listed = report.body.deals.find((d: any) => d.id === card.id);
        expect(listed ? listed.daysOver : null, card.name).toBe(card.daysOver);
      }
    }
    const watch = await api("/api/dashboard/deal-watch", { token: rw.viewer.token });
    expect(watch.body.rotting.count).toBe(report.body.total);
  });

  it("filters by pipeline, owner, currency and close-date period", async () => {
    const cases: [string, ReturnType<typeof sql>, string[]][] = [
      [`pipelineId=${renewals.pipelineId}`, sql`and s.pipeline_id = ${renewals.pipelineId}`, ["D1"]],
      [`ownerId=${rw.user.id}`, sql`and o.owner_id = ${rw.user.id}`, ["Q1", "P2"]],
      ["currency=eur", sql`and o.currency = 'EUR'`, ["D1", "P2"]],
      ["from=2031-01-01&to=2031-04-01", sql`and o.close_date >= '2031-01-01' and o.close_date < '2031-04-01'`, ["N2"]],
    ];
    for (const [q, extra, names] of cases) {
      const res = await api(`/api/reports/rotting?${q}`, { token: rw.viewer.token });
      expect(res.status, q).toBe(200);
      expect(fromReport(res.body), q).toEqual(await directRotting(extra));
      expect(res.body.deals.map((d: any) => d.name.replace("Rot ", "")), q).toEqual(names);
      expect(res.body.total, q).toBe(names.length);
    }
    const pipelineOnly = await api(`/api/reports/rotting?pipelineId=${renewals.pipelineId}`, { token: rw.viewer.token });
    expect(pipelineOnly.body.stages.map((s: any) => s.stageId)).toEqual([renewals.stageId]);
    const period = await api("/api/reports/rotting?from=2031-01-01&to=2031-04-01", { token: rw.viewer.token });
    expect(period.body.period).toEqual({ from: "2031-01-01", to: "2031-04-01" });
  });

  it("lists the worst hundred and counts them all; another workspace sees none of it", async () => {
    const big = await createWorkspace();
    const db = testDb();
    try {
      const st = big.stages[0]!;
      await db.http.update(pipelineStages).set({ agingDays: 1 }).where(eq(pipelineStages.id, st.id));
      await db.http.insert(opportunities).values(
        Array.from({ length: 105 }, (_, i) => ({ workspaceId: big.id, name: `Old ${i}`, stageId: st.id, stageEnteredAt: ago(i + 3.5), currency: "USD", amount: 1 })),
      );
    } finally {
      await db.close();
    }
    const res = await api("/api/reports/rotting", { token: big.viewer.token });
    expect(res.body.total).toBe(105);
    expect(res.body.stages[0]).toMatchObject({ count: 105, amounts: [{ currency: "USD", amount: 105 }], worstDaysOver: 106 });
    expect(res.body.deals).toHaveLength(100);
    expect(res.body.deals[0]).toMatchObject({ name: "Old 104", daysOver: 106 });
    expect(res.body.deals[99]).toMatchObject({ name: "Old 5", daysOver: 7 });

    const theirs = await api("/api/reports/rotting", { token: foreign.viewer.token });
    expect(theirs.body.total).toBe(1);
    expect(theirs.body.deals.map((d: any) => d.name)).toEqual(["Rot foreign"]);
  });

  it("answers 400 naming the field for a bad filter", async () => {
    for (const [q, field] of [
      ["from=yesterday", "from"],
      ["from=2026-05-01&to=2026-04-01", "to"],
      ["pipelineId=nope", "pipelineId"],
      ["ownerId=1", "ownerId"],
      ["currency=EURO", "currency"],
    ] as const) {
      expectProblem(await api(`/api/reports/rotting?${q}`, { token: rw.viewer.token }), 400, [field]);
    }
  });
});

describe("GET /api/dashboard/deal-watch", () => {
  it("counts open deals closing this month and those whose close date moved later this week, with their periods", async () => {
    const fresh = await createWorkspace();
    const now = new Date();
    const ym = now.toISOString().slice(0, 7);
    const mk = async (name: string, closeDate: string, amount: number) => {
      const res = await api("/api/opportunities", { method: "POST", token: fresh.user.token, body: { name, closeDate, amount, currency: "USD" } });
      expect(res.status).toBe(201);
      return res.body;
    };
    const a = await mk("Closing A", `${ym}-01`, 100);
    await mk("Closing B", `${ym}-02`, 250);
    const later = await mk("Moves later", `${ym}-03`, 10);
    const earlier = await mk("Moves earlier", "2099-05-01", 10);
    const patch = (o: any, closeDate: string) => api(`/api/opportunities/${o.id}`, { method: "PATCH", token: fresh.user.token, body: { closeDate, version: o.version } });
    expect((await patch(later, "2099-01-10")).status).toBe(200);
    expect((await patch(earlier, "2098-01-01")).status).toBe(200);

    const res = await api("/api/dashboard/deal-watch", { token: fresh.viewer.token });
    expect(res.status).toBe(200);
    expect(res.body.closingThisMonth).toMatchObject({ count: 2, amounts: [{ currency: "USD", amount: 350 }], period: { from: `${ym}-01` } }); // "Moves later" left the month
    expect(res.body.slipped).toMatchObject({ count: 1, deals: [{ id: later.id, from: `${ym}-03`, to: "2099-01-10" }] });
    const mine = await api(`/api/dashboard/deal-watch?ownerId=${fresh.admin.id}`, { token: fresh.viewer.token });
    expect(mine.body.closingThisMonth.count).toBe(0);
    expect(a.id).toBeTruthy();
  });
});
