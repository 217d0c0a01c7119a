import { sql } from "drizzle-orm";
import { rowsOf, type Database, type Executor } from "../../../db/client";
import type { ConfiguredStage } from "../../schemas/stages";

type Row = Record<string, unknown>;

/** The workspace's live stages in board order, each with its count of live deals. */
export async function listStages(input: { db: Database; workspaceId: string }): Promise<ConfiguredStage[]> {
  return readStages(input.db.http, input.workspaceId);
}

/** Same read on any executor, so a transaction can answer with what it just wrote. */
export async function readStages(db: Executor, workspaceId: string): Promise<ConfiguredStage[]> {
  // The count per stage is an index-only range of opportunities_board_idx (workspace, stage, position) where live.
  const res = await db.execute(sql`
    select s.id, s.name, s.position, s.probability, s.kind,
           (select count(*) from opportunities o
             where o.workspace_id = s.workspace_id and o.stage_id = s.id and o.deleted_at is null)::int as opportunity_count
    from pipeline_stages s
    where s.workspace_id = ${workspaceId} and s.deleted_at is null
    order by s.position, s.id`);
  return rowsOf(res).map((r) => ({
    id: String(r.id),
    name: String(r.name),
    position: Number(r.position),
    probability: Number(r.probability),
    kind: r.kind as ConfiguredStage["kind"],
    opportunityCount: Number(r.opportunity_count),
  }));
}
