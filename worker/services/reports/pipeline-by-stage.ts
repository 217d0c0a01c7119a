import { sql } from "drizzle-orm";
import { rowsOf, type Database } from "../../../db/client";
import type { PipelineByStageReport, ReportFilters } from "../../schemas/reports";
import { addMoney, dealWhere, num, periodOf } from "./filters";

type Row = { stage_id: string; name: string; pipeline_id: string; pipeline_name: string; position: number; probability: number; currency: string | null; n: number; amount: string | null };

/**
 * Open deals per stage now: count and amount per currency, every open stage listed (zero when empty). With `from`/`to`
 * only deals expected to close in that period (close_date) count; without them, every open deal.
 *
 * Index use: the board index `opportunities_board_idx` (workspace, stage, position) per open stage.
 */
export async function pipelineByStage(input: { db: Database; workspaceId: string; query: ReportFilters }): Promise<PipelineByStageReport> {
  const { db, workspaceId, query } = input;
  const period = query.from || query.to ? periodOf(query, () => ({ from: "1900-01-01", to: "9999-01-01" })) : null;
  const res = await db.http.execute(sql`
    select s.id as stage_id, s.name, s.pipeline_id, p.name as pipeline_name, s.position, s.probability, t.currency, coalesce(t.n, 0)::int as n, t.amount
    from pipeline_stages s
    join pipelines p on p.id = s.pipeline_id and p.workspace_id = s.workspace_id
    left join lateral (
      select o.currency, count(*) as n, sum(o.amount) as amount
      from opportunities o
      where ${dealWhere(workspaceId, { ...query, pipelineId: undefined })} and o.stage_id = s.id
        ${period ? sql`and o.close_date >= ${period.from}::date and o.close_date < ${period.to}::date` : sql``}
      group by o.currency
    ) t on true
    where s.workspace_id = ${workspaceId} and s.deleted_at is null and p.deleted_at is null and s.kind = 'open'
      ${query.pipelineId ? sql`and s.pipeline_id = ${query.pipelineId}` : sql``}
    order by p.position, p.name, s.position`);
  const stages = new Map<string, PipelineByStageReport["stages"][number]>();
  for (const r of rowsOf<Row>(res)) {
    let st = stages.get(r.stage_id);
    if (!st) {
      st = { stageId: r.stage_id, name: r.name, pipelineId: r.pipeline_id, pipelineName: r.pipeline_name, position: num(r.position), probability: num(r.probability), count: 0, amounts: [] };
      stages.set(r.stage_id, st);
    }
    st.count += num(r.n);
    if (r.currency) addMoney(st.amounts, r.currency, num(r.amount));
  }
  return { period, stages: [...stages.values()] };
}
