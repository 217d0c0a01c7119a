import { sql } from "drizzle-orm";
import { rowsOf, type Database } from "../../../db/client";
import type { ConversionReport, ReportFilters } from "../../schemas/reports";
import { dealWhere, lastDays, num, periodOf, utcDay } from "./filters";

/**
 * Stage-to-stage conversion and velocity from the stage-change activities (properties.fromStageId / toStageId):
 * - entered: deals that moved into the stage during [from, to);
 * - advanced: of those, deals whose next move (at any time since) went to a later stage of the same pipeline or to a
 *   won stage; conversionRate = advanced / entered;
 * - medianDays: over the moves out of the stage during the period, the median time since the deal's previous move
 *   (or its creation, for the stage it started in).
 * Deal filters (pipeline, owner, currency) apply to the deal as it is now. Default period: the last 90 days (each move costs two index probes).
 *
 * Index use: `activities_ws_stage_changes_idx` (workspace, happened_at) for the period's moves, and one probe per move
 * into `activities_stage_changes_idx` (opportunity, happened_at, id) for the next / previous move.
 */
export async function conversion(input: { db: Database; workspaceId: string; query: ReportFilters; now?: Date }): Promise<ConversionReport> {
  const { db, workspaceId, query } = input;
  const period = periodOf(query, () => lastDays(90, input.now));
  const sc = sql`b.opportunity_id = m.opportunity_id and b.workspace_id = ${workspaceId} and b.type = 'stage_change' and b.deleted_at is null`;
  const res = await db.http.execute(sql`
    with moves as (
      select a.id, a.opportunity_id, a.happened_at, o.created_at, a.properties->>'fromStageId' as from_id, a.properties->>'toStageId' as to_id
      from activities a
      join opportunities o on o.id = a.opportunity_id
      join pipeline_stages s on s.id = o.stage_id
      where a.workspace_id = ${workspaceId} and a.type = 'stage_change' and a.deleted_at is null
        and a.happened_at >= ${utcDay(period.from)} and a.happened_at < ${utcDay(period.to)}
        and ${dealWhere(workspaceId, query)}
    ), entries as (
      select m.to_id as stage_id, count(distinct m.opportunity_id)::int as entered,
        count(distinct m.opportunity_id) filter (where nx.advanced)::int as advanced
      from moves m
      join pipeline_stages cs on cs.id::text = m.to_id and cs.workspace_id = ${workspaceId}
      left join lateral (
        select (ns.pipeline_id = cs.pipeline_id and ns.position > cs.position and ns.kind <> 'lost') or ns.kind = 'won' as advanced
        from activities b join pipeline_stages ns on ns.id::text = b.properties->>'toStageId'
        where ${sc} and (b.happened_at, b.id) > (m.happened_at, m.id)
        order by b.happened_at, b.id limit 1
      ) nx on true
      group by 1
    ), exits as (
      select m.from_id as stage_id, count(*)::int as exits,
        percentile_cont(0.5) within group (order by extract(epoch from m.happened_at - coalesce(pv.happened_at, m.created_at)) / 86400.0) as median_days
      from moves m
      left join lateral (
        select b.happened_at from activities b
        where ${sc} and (b.happened_at, b.id) < (m.happened_at, m.id)
        order by b.happened_at desc, b.id desc limit 1
      ) pv on true
      where m.from_id is not null
      group by 1
    )
    select st.id as stage_id, st.name, st.pipeline_id, p.name as pipeline_name, st.position, st.kind,
      coalesce(e.entered, 0) as entered, coalesce(e.advanced, 0) as advanced, coalesce(x.exits, 0) as exits, x.median_days
    from pipeline_stages st
    join pipelines p on p.id = st.pipeline_id and p.workspace_id = st.workspace_id and p.deleted_at is null
    left join entries e on e.stage_id = st.id::text
    left join exits x on x.stage_id = st.id::text
    where st.workspace_id = ${workspaceId} and st.deleted_at is null
      ${query.pipelineId ? sql`and st.pipeline_id = ${query.pipelineId}` : sql``}
    order by p.position, p.name, st.position`);
  const stages = rowsOf<Record<string, unknown>>(res).map((r) => {
    const entered = num(r.entered);
    const advanced = num(r.advanced);
    return {
      stageId: String(r.stage_id),
      name: String(r.name),
      pipelineId: String(r.pipeline_id),
      pipelineName: String(r.pipeline_name),
      position: num(r.position),
      kind: String(r.kind),
      entered,
      advanced,
      conversionRate: r.kind === "open" && entered ? advanced / entered : null,
      medianDays: r.median_days === null || r.median_days === undefined ? null : Math.round(Number(r.median_days) * 10) / 10,
      exits: num(r.exits),
    };
  });
  return { period, stages };
}
