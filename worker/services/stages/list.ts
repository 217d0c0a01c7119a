import { sql } from "drizzle-orm";
import { rowsOf, type Database, type Executor } from "../../../db/client";
import type { ConfiguredStage } from "../../schemas/stages";

type Row = Record<string, unknown>;

/** The default pipeline's live stages in board order, each with its count of live deals (GET /api/pipeline/stages). */
export async function listStages(input: { db: Database; workspaceId: string }): Promise<ConfiguredStage[]> {
  return readStages(input.db.http, input.workspaceId);
}

/**
 * Same read on any executor, so a transaction can answer with what it just wrote. Without `pipelineId`: the
 * workspace's default pipeline; with `pipelineId: "all"`: every live pipeline's stages (by pipeline, then position).
 */
export async function readStages(db: Executor, workspaceId: string, pipelineId?: string): Promise<ConfiguredStage[]> {
  const which =
    pipelineId === "all"
      ? sql`s.pipeline_id in (select id from pipelines where workspace_id = ${workspaceId} and deleted_at is null)`
      : pipelineId
        ? sql`s.pipeline_id = ${pipelineId}::uuid`
        : sql`s.pipeline_id = (select id from pipelines where workspace_id = ${workspaceId} and is_default and deleted_at is null)`;
  // The count per stage is an index-only range of opportunities_board_idx (workspace, stage, position) where live.
  const res = await db.execute(sql`
    select s.id, s.pipeline_id, s.key, s.name, s.position, s.probability, s.kind, s.aging_days,
           (select count(*) from opportunities o
             where o.workspace_id = s.workspace_id and o.stage_id = s.id and o.deleted_at is null)::int as opportunity_count
    from pipeline_stages s
    where s.workspace_id = ${workspaceId} and s.deleted_at is null and ${which}
    order by s.pipeline_id, s.position, s.id`);
  return rowsOf(res).map(toConfiguredStage);
}

export function toConfiguredStage(r: Row): ConfiguredStage {
  return {
    id: String(r.id),
    pipelineId: String(r.pipeline_id),
    key: (r.key as string | null) ?? null,
    name: String(r.name),
    position: Number(r.position),
    probability: Number(r.probability),
    kind: r.kind as ConfiguredStage["kind"],
    agingDays: r.aging_days === null || r.aging_days === undefined ? null : Number(r.aging_days),
    opportunityCount: Number(r.opportunity_count),
  };
}
