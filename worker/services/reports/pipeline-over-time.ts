import { sql } from "drizzle-orm";
import { rowsOf, type Database } from "../../../db/client";
import type { PipelineOverTimeReport, ReportFilters } from "../../schemas/reports";
import { dealWhere, num, periodOf, utcDay, type Period } from "./filters";

const DAY = 86_400_000;
const iso = (t: number) => new Date(t).toISOString().slice(0, 10);

/** The last twelve Mondays (UTC), this week's included. */
function lastTwelveMondays(now = new Date()): Period {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const monday = today - ((new Date(today).getUTCDay() + 6) % 7) * DAY;
  return { from: iso(monday - 11 * 7 * DAY), to: iso(monday + DAY) };
}

/**
 * Open deals per stage as they stood at 00:00 UTC each Monday in [from, to), rebuilt from the stage-change history
 * without reading every deal for every week: at moment W a deal created by W was in the `fromStageId` of its first
 * stage change after W, or (no change since) in the stage it is in now. So
 *   count(S, W) = open-now(S) − now-in-S but created after W − now-in-S but moved since W + first move since W left S,
 * and only deals created or moved since the first Monday are read (`opportunities_ws_created_idx`,
 * `activities_ws_stage_changes_idx`). Filters apply to the deal as it is now. Default: the last twelve Mondays.
 */
export async function pipelineOverTime(input: { db: Database; workspaceId: string; query: ReportFilters; now?: Date }): Promise<PipelineOverTimeReport> {
  const { db, workspaceId, query } = input;
  const period = periodOf(query, () => lastTwelveMondays(input.now));
  const start = Date.parse(period.from);
  const firstMonday = start + ((8 - new Date(start).getUTCDay()) % 7) * DAY;
  const mondays: string[] = [];
  for (let t = firstMonday; t < Date.parse(period.to) && mondays.length < 60; t += 7 * DAY) mondays.push(iso(t));
  const where = dealWhere(workspaceId, query);
  const stageFilter = query.pipelineId ? sql`and st.pipeline_id = ${query.pipelineId}` : sql``;
  const stagesRes = await db.http.execute(sql`
    select st.id, st.name, st.pipeline_id, p.name as pipeline_name, st.position
    from pipeline_stages st join pipelines p on p.id = st.pipeline_id and p.workspace_id = st.workspace_id and p.deleted_at is null
    where st.workspace_id = ${workspaceId} and st.deleted_at is null and st.kind = 'open' ${stageFilter}
    order by p.position, p.name, st.position`);
  const stages = rowsOf<Record<string, unknown>>(stagesRes).map((r) => ({
    stageId: String(r.id), name: String(r.name), pipelineId: String(r.pipeline_id), pipelineName: String(r.pipeline_name), position: num(r.position),
  }));
  if (mondays.length === 0 || stages.length === 0) return { period, stages, weeks: mondays.map((asOf) => ({ asOf, counts: {} })) };

  const first = utcDay(mondays[0]!);
  const weeks = sql.join(mondays.map((m) => sql`(${utcDay(m)})`), sql`, `);
  const res = await db.http.execute(sql`
    with weeks(w) as (values ${weeks}),
    now_open as (
      select o.stage_id::text as stage_id, count(*) as n
      from opportunities o join pipeline_stages s on s.id = o.stage_id
      where ${where} and s.kind = 'open'
      group by 1
    ), recent as (
      select o.id, o.stage_id::text as stage_id, o.created_at
      from opportunities o join pipeline_stages s on s.id = o.stage_id
      where ${where} and o.created_at > ${first}
    ), moves as (
      select a.happened_at, a.properties->>'fromStageId' as from_id, o.stage_id::text as now_id, o.created_at,
        lag(a.happened_at) over (partition by a.opportunity_id order by a.happened_at, a.id) as prev_at
      from activities a join opportunities o on o.id = a.opportunity_id join pipeline_stages s on s.id = o.stage_id
      where a.workspace_id = ${workspaceId} and a.type = 'stage_change' and a.deleted_at is null and a.happened_at > ${first} and ${where}
    ), first_after as (
      -- A move is a deal's first move after W for every W between its previous move (or the first Monday) and itself.
      select w.w, m.from_id, m.now_id
      from moves m join weeks w on w.w < m.happened_at and (m.prev_at is null or w.w >= m.prev_at) and w.w >= m.created_at
    ), deltas as (
      select w.w, n.stage_id, n.n as d from weeks w cross join now_open n
      union all select w.w, r.stage_id, -count(*) from weeks w join recent r on r.created_at > w.w group by 1, 2
      union all select f.w, f.now_id, -count(*) from first_after f group by 1, 2
      union all select f.w, f.from_id, count(*) from first_after f where f.from_id is not null group by 1, 2
    )
    select to_char(d.w at time zone 'UTC', 'YYYY-MM-DD') as as_of, d.stage_id, sum(d.d)::int as n
    from deltas d
    group by 1, 2`);
  const open = new Set(stages.map((s) => s.stageId));
  const byWeek = new Map(mondays.map((m) => [m, Object.fromEntries(stages.map((st) => [st.stageId, 0])) as Record<string, number>]));
  for (const r of rowsOf<Record<string, unknown>>(res)) {
    const id = String(r.stage_id);
    if (open.has(id)) byWeek.get(String(r.as_of))![id] = num(r.n);
  }
  return { period, stages, weeks: mondays.map((asOf) => ({ asOf, counts: byWeek.get(asOf)! })) };
}
