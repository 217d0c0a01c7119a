import { sql } from "drizzle-orm";
import { rowsOf, type Database } from "../../../db/client";
import type { OpportunityFilters, Pipeline, PipelineCard } from "../../schemas/pipeline";
import { customBoardFilters, opportunityWhere } from "../opportunities/filters";
import { cardColumns, cardCursor, cardJoins, toCard } from "./cards";
import { pipelineIdExpr } from "../pipelines/read";
import { agingLimit, isRotting } from "./aging";
import { boardPipelineQuery, stagesQuery, toBoardPipeline, toStages, toTotals, totalsQuery } from "./totals";

/**
 * The board: stages in order, each with its first cards in Kanban order (and the cursor of the next page, see
 * listStageCards) and its totals per currency; overall totals and weighted forecast of open deals. One pipeline
 * (`filters.pipelineId`, else the workspace's default). Four statements in one HTTP round trip (a non-interactive batch),
 * after one read of the custom field registry when the board is filtered on a custom field.
 */
export async function getPipeline(input: {
  db: Database;
  workspaceId: string;
  filters: OpportunityFilters;
  /** Raw `custom.<key>` query parameters (customBoardFilters). */
  custom?: Record<string, string>;
  cardsPerStage: number;
  now?: Date;
}): Promise<Pipeline> {
  const { db, workspaceId, filters } = input;
  const { pipelineId, ...rest } = filters;
  const custom = await customBoardFilters(db.http, workspaceId, input.custom);
  const where = opportunityWhere(workspaceId, rest, custom);
  const [pipelineRes, stagesRes, totalsRes, cardsRes, rottingRes] = await db.http.batch([
    db.http.execute(boardPipelineQuery(workspaceId, pipelineId)),
    db.http.execute(stagesQuery(workspaceId, pipelineId)),
    db.http.execute(totalsQuery(workspaceId, filters, custom)),
    // Per stage, walk the board index (workspace, stage, position) and stop after N + 1 cards (the one extra says
    // whether there is a next page): cost follows the cards shown, not the deals in the pipeline.
    db.http.execute(sql`
      select c.* from pipeline_stages s
      cross join lateral (
        select ${cardColumns()}
        from opportunities o
        ${cardJoins}
        where ${where} and o.stage_id = s.id
        order by o.position, o.id
        limit ${input.cardsPerStage + 1}
      ) c
      where s.workspace_id = ${workspaceId} and s.pipeline_id = ${pipelineIdExpr(workspaceId, pipelineId)} and s.deleted_at is null
      order by s.position, c.position, c.id`),
    // Rotting per column: a range of (workspace, stage, stage_entered_at) per open stage with a limit.
    db.http.execute(sql`
      select s.id, ${agingLimit} as aging_limit,
        (select count(*)::int from opportunities o left join accounts a on a.id = o.account_id
          where ${where} and o.stage_id = s.id and ${isRotting}) as rotting
      from pipeline_stages s
      where s.workspace_id = ${workspaceId} and s.pipeline_id = ${pipelineIdExpr(workspaceId, pipelineId)} and s.deleted_at is null`),
  ]);
  const aging = new Map(rowsOf(rottingRes).map((r) => [String(r.id), { rottingCount: Number(r.rotting ?? 0), agingLimit: r.aging_limit === null ? null : Number(r.aging_limit) }]));

  const now = (input.now ?? new Date()).getTime();
  const pipeline = toBoardPipeline(pipelineRes);
  const stages = toStages(stagesRes);
  const numbers = toTotals(pipeline.id, stages, totalsRes);
  const cards = new Map<string, PipelineCard[]>();
  for (const r of rowsOf(cardsRes)) {
    const card = toCard(r, now);
    const list = cards.get(card.stageId) ?? [];
    list.push(card);
    cards.set(card.stageId, list);
  }
  return {
    pipeline,
    stages: stages.map((s, i) => {
      const all = cards.get(s.id) ?? [];
      const shown = all.slice(0, input.cardsPerStage);
      const more = all.length > input.cardsPerStage && shown.length > 0;
      return { ...s, ...(aging.get(s.id) ?? { rottingCount: 0, agingLimit: null }), count: numbers.stages[i]!.count, totals: numbers.stages[i]!.totals, cards: shown, nextCursor: more ? cardCursor(shown.at(-1)!) : null };
    }),
    totals: numbers.totals,
  };
}
