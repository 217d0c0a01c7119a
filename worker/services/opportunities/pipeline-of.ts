import { sql } from "drizzle-orm";
import { rowsOf, type Executor } from "../../../db/client";

type Row = Record<string, unknown>;

/**
 * Adds `pipelineId` to deal payloads. Deals have no pipeline column: a deal's pipeline is its stage's pipeline, so
 * it is read from the stages (one query for a whole page).
 */
export async function withPipelineIds<T extends Row>(db: Executor, workspaceId: string, items: T[]): Promise<(T & { pipelineId: string | null })[]> {
  const ids = [...new Set(items.map((i) => i.stageId).filter((v): v is string => typeof v === "string"))];
  if (!ids.length) return items.map((i) => ({ ...i, pipelineId: null }));
  const res = await db.execute(sql`
    select id::text as id, pipeline_id::text as pipeline_id from pipeline_stages
    where workspace_id = ${workspaceId} and id in (${sql.join(ids.map((x) => sql`${x}::uuid`), sql`, `)})`);
  const byStage = new Map(rowsOf(res).map((r) => [String(r.id), String(r.pipeline_id)]));
  return items.map((i) => ({ ...i, pipelineId: typeof i.stageId === "string" ? (byStage.get(i.stageId) ?? null) : null }));
}

export async function withPipelineId<T extends Row>(db: Executor, workspaceId: string, item: T): Promise<T & { pipelineId: string | null }> {
  return (await withPipelineIds(db, workspaceId, [item]))[0]!;
}
