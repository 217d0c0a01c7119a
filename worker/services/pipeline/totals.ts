import { sql, type SQL } from "drizzle-orm";
import { rowsOf, type Database } from "../../../db/client";
import { NotFoundError } from "../../lib/errors";
import type { OpportunityFilters, Pipeline, PipelineTotals, Stage } from "../../schemas/pipeline";
import { customBoardFilters, opportunityWhere } from "../opportunities/filters";
import { pipelineIdExpr } from "../pipelines/read";
import { num } from "./cards";

/** The board's pipeline: the named one, else the workspace's default (a missing one answers 404). */
export const boardPipelineQuery = (workspaceId: string, pipelineId: string | undefined): SQL => sql`
  select id, key, name, is_default from pipelines
  where workspace_id = ${workspaceId} and deleted_at is null and id = ${pipelineIdExpr(workspaceId, pipelineId)}`;

export function toBoardPipeline(res: unknown): Pipeline["pipeline"] {
  const r = rowsOf(res)[0];
  if (!r) throw new NotFoundError("Pipeline");
  return { id: String(r.id), key: String(r.key), name: String(r.name), isDefault: r.is_default === true || r.is_default === "t" };
}

/** The stages of the board's pipeline in board order. */
export const stagesQuery = (workspaceId: string, pipelineId: string | undefined): SQL => sql`
  select id, name, position, probability, kind, aging_days from pipeline_stages
  where workspace_id = ${workspaceId} and pipeline_id = ${pipelineIdExpr(workspaceId, pipelineId)} and deleted_at is null order by position, id`;

/** Count, amount and weighted amount per stage and currency of every deal of the pipeline matching the filters. */
export const totalsQuery = (workspaceId: string, filters: OpportunityFilters, custom: SQL[] = []): SQL => {
  const { pipelineId, ...rest } = filters;
  return sql`
  select o.stage_id, o.currency, count(*)::int as count, coalesce(sum(o.amount), 0)::bigint as amount,
         round(coalesce(sum(o.amount * coalesce(o.probability, s.probability)), 0) / 100.0)::bigint as weighted
  from opportunities o
  join pipeline_stages s on s.id = o.stage_id
  left join accounts a on a.id = o.account_id
  where ${opportunityWhere(workspaceId, rest, custom)}
    -- The pipeline's stage ids first: ranges of the board index (workspace, stage, position) per stage, so a small
    -- pipeline's totals cost its own deals, not the workspace's.
    and o.stage_id in (select ps.id from pipeline_stages ps where ps.workspace_id = ${workspaceId} and ps.pipeline_id = ${pipelineIdExpr(workspaceId, pipelineId)})
  group by o.stage_id, o.currency`;
};

export function toStages(res: unknown): Stage[] {
  return rowsOf(res).map((r) => ({
    id: String(r.id),
    name: String(r.name),
    position: num(r.position),
    probability: num(r.probability),
    kind: r.kind as Stage["kind"],
    agingDays: r.aging_days === null || r.aging_days === undefined ? null : num(r.aging_days),
  }));
}

const byCurrency = (a: { currency: string }, b: { currency: string }) => a.currency.localeCompare(b.currency);

/**
 * Per stage, its count and per-currency totals; overall, the open stages' totals per currency.
 * Weighted = amount × (deal's probability override, else the stage's) / 100, rounded once per group.
 */
export function toTotals(pipelineId: string, stages: Stage[], res: unknown): PipelineTotals {
  const kindOf = new Map(stages.map((s) => [s.id, s.kind]));
  const perStage = new Map<string, PipelineTotals["totals"]>();
  const overall = new Map<string, PipelineTotals["totals"][number]>();
  for (const r of rowsOf(res)) {
    const t = { currency: String(r.currency), amount: num(r.amount), weighted: num(r.weighted), count: num(r.count) };
    const list = perStage.get(String(r.stage_id)) ?? [];
    list.push(t);
    perStage.set(String(r.stage_id), list);
    if (kindOf.get(String(r.stage_id)) === "open") {
      const o = overall.get(t.currency) ?? { currency: t.currency, amount: 0, weighted: 0, count: 0 };
      o.amount += t.amount;
      o.weighted += t.weighted;
      o.count += t.count;
      overall.set(t.currency, o);
    }
  }
  return {
    pipelineId,
    stages: stages.map((s) => {
      const totals = (perStage.get(s.id) ?? []).sort(byCurrency);
      return { id: s.id, count: totals.reduce((n, t) => n + t.count, 0), totals };
    }),
    totals: [...overall.values()].sort(byCurrency),
  };
}

/**
 * Only the board's numbers (no cards): what the SPA refetches after a move or an inline edit, instead of the
 * whole board. Three statements in one HTTP round trip.
 */
export async function getPipelineTotals(input: { db: Database; workspaceId: string; filters: OpportunityFilters; custom?: Record<string, string> }): Promise<PipelineTotals> {
  const { db, workspaceId, filters } = input;
  const custom = await customBoardFilters(db.http, workspaceId, input.custom);
  const [pipelineRes, stagesRes, totalsRes] = await db.http.batch([
    db.http.execute(boardPipelineQuery(workspaceId, filters.pipelineId)),
    db.http.execute(stagesQuery(workspaceId, filters.pipelineId)),
    db.http.execute(totalsQuery(workspaceId, filters, custom)),
  ]);
  const pipeline = toBoardPipeline(pipelineRes);
  return toTotals(pipeline.id, toStages(stagesRes), totalsRes);
}
