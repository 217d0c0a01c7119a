import { sql } from "drizzle-orm";
import { rowsOf, type Database } from "../../../db/client";
import { ROTTING_DEALS_LISTED, type ReportFilters, type RottingReport } from "../../schemas/reports";
import { agingLimit, daysInStageOf, isRotting, rottingOf } from "../pipeline/aging";
import { addMoney, dealWhere, num, periodOf } from "./filters";

type Row = Record<string, unknown>;

/**
 * Rotting deals now, per open stage in pipeline order: how many open deals are past their stage's aging limit (the
 * board's definition, `services/pipeline/aging.ts`), their amount per currency and the worst days over; and the worst
 * `ROTTING_DEALS_LISTED` of them, most days over first, with the total. With `from`/`to` only deals expected to close
 * in that period (close_date) count, as in pipeline-by-stage; without them, every open deal.
 *
 * Index use: per open stage with a limit, a range of `opportunities_stage_entered_idx` (workspace, stage,
 * stage_entered_at) up to now − limit; the list reads at most N entries of that range per stage, oldest first (within
 * a stage the oldest entry is the most days over, so the worst N overall are among them).
 */
export async function rotting(input: { db: Database; workspaceId: string; query: ReportFilters }): Promise<RottingReport> {
  const { db, workspaceId, query } = input;
  const period = query.from || query.to ? periodOf(query, () => ({ from: "1900-01-01", to: "9999-01-01" })) : null;
  const deals = sql`${dealWhere(workspaceId, { ...query, pipelineId: undefined })} and o.stage_id = s.id and ${isRotting}
    ${period ? sql`and o.close_date >= ${period.from}::date and o.close_date < ${period.to}::date` : sql``}`;
  const stagesWhere = sql`s.workspace_id = ${workspaceId} and s.deleted_at is null and p.deleted_at is null and s.kind = 'open'
    ${query.pipelineId ? sql`and s.pipeline_id = ${query.pipelineId}` : sql``}`;
  const [perStage, listed] = await Promise.all([
    db.http.execute(sql`
      select s.id as stage_id, s.name, s.pipeline_id, p.name as pipeline_name, s.position, ${agingLimit} as aging_limit,
        s.aging_days is not null as own_limit, now()::text as as_of, t.currency, coalesce(t.deals, 0)::int as deals, t.amount, t.oldest_ms
      from pipeline_stages s
      join pipelines p on p.id = s.pipeline_id and p.workspace_id = s.workspace_id
      left join lateral (
        select o.currency, count(*) as deals, sum(o.amount) as amount, extract(epoch from now() - min(o.stage_entered_at)) * 1000 as oldest_ms
        from opportunities o
        where ${deals}
        group by o.currency
      ) t on true
      where ${stagesWhere}
      order by p.position, p.name, s.position`),
    db.http.execute(sql`
      select d.*, s.id as stage_id, s.name as stage_name, p.name as pipeline_name, ${agingLimit} as aging_limit,
        (select u.name from users u where u.id = d.owner_id and u.workspace_id = ${workspaceId}) as owner_name
      from pipeline_stages s
      join pipelines p on p.id = s.pipeline_id and p.workspace_id = s.workspace_id
      cross join lateral (
        select o.id, o.name, o.owner_id, o.currency, o.amount, o.stage_entered_at::text as stage_entered_at, extract(epoch from now() - o.stage_entered_at) * 1000 as ms_in_stage
        from opportunities o
        where ${deals}
        order by o.stage_entered_at, o.id
        limit ${ROTTING_DEALS_LISTED}
      ) d
      where ${stagesWhere}`),
  ]);

  const stages = new Map<string, RottingReport["stages"][number]>();
  let asOf = new Date().toISOString();
  for (const r of rowsOf<Row>(perStage)) {
    const id = String(r.stage_id);
    let st = stages.get(id);
    if (!st) {
      const limit = r.aging_limit === null || r.aging_limit === undefined ? null : num(r.aging_limit);
      st = {
        stageId: id,
        name: String(r.name),
        pipelineId: String(r.pipeline_id),
        pipelineName: String(r.pipeline_name),
        position: num(r.position),
        agingLimit: limit,
        limitSource: limit === null ? null : r.own_limit ? "stage" : "median",
        count: 0,
        amounts: [],
        worstDaysOver: null,
      };
      stages.set(id, st);
      asOf = new Date(String(r.as_of)).toISOString();
    }
    if (!r.currency) continue;
    st.count += num(r.deals);
    addMoney(st.amounts, String(r.currency), num(r.amount));
    const over = rottingOf(num(r.oldest_ms), st.agingLimit).daysOver;
    if (over !== null) st.worstDaysOver = Math.max(st.worstDaysOver ?? 0, over);
  }

  const list = rowsOf<Row>(listed).map((r) => {
    const ms = num(r.ms_in_stage);
    const limit = num(r.aging_limit);
    return {
      id: String(r.id),
      name: String(r.name),
      ownerId: (r.owner_id as string | null) ?? null,
      ownerName: (r.owner_name as string | null) ?? null,
      stageId: String(r.stage_id),
      stageName: String(r.stage_name),
      pipelineName: String(r.pipeline_name),
      stageEnteredAt: new Date(String(r.stage_entered_at)).toISOString(),
      daysInStage: daysInStageOf(ms),
      agingLimit: limit,
      daysOver: rottingOf(ms, limit).daysOver ?? 0,
      currency: String(r.currency),
      amount: r.amount === null || r.amount === undefined ? null : num(r.amount),
      overBy: ms - limit * 86_400_000,
    };
  });
  list.sort((a, b) => b.overBy - a.overBy || a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  const all = [...stages.values()];
  return {
    asOf,
    period,
    stages: all,
    total: all.reduce((n, s) => n + s.count, 0),
    deals: list.slice(0, ROTTING_DEALS_LISTED).map(({ overBy: _, ...d }) => d),
    dealsLimit: ROTTING_DEALS_LISTED,
  };
}
