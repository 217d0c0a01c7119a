import { sql } from "drizzle-orm";
import { rowsOf, type Database, type Executor } from "../../../db/client";
import { NotFoundError, ValidationError } from "../../lib/errors";
import { isUuid } from "../../lib/uuid";
import type { PipelineInfo } from "../../schemas/pipelines";
import { readStages } from "../stages/list";

type Row = Record<string, unknown>;

export interface PipelineRow {
  id: string;
  key: string;
  name: string;
  position: number;
  isDefault: boolean;
  source: "config" | "ui";
}

const toPipeline = (r: Row): PipelineRow => ({
  id: String(r.id),
  key: String(r.key),
  name: String(r.name),
  position: Number(r.position),
  isDefault: r.is_default === true || r.is_default === "t",
  source: r.source === "config" ? "config" : "ui",
});

/** The workspace's live pipelines in list order, each with its stages and their live deal counts. */
export async function listPipelines(input: { db: Database; workspaceId: string }): Promise<PipelineInfo[]> {
  return readPipelines(input.db.http, input.workspaceId);
}

export async function readPipelines(db: Executor, workspaceId: string): Promise<PipelineInfo[]> {
  const [list, stages] = await Promise.all([pipelineRows(db, workspaceId), readStages(db, workspaceId, "all")]);
  return list.map((p) => ({ ...p, stages: stages.filter((s) => s.pipelineId === p.id) }));
}

export async function pipelineRows(db: Executor, workspaceId: string, opts: { lock?: boolean } = {}): Promise<PipelineRow[]> {
  const res = await db.execute(sql`
    select id, key, name, position, is_default, source from pipelines
    where workspace_id = ${workspaceId} and deleted_at is null
    order by position, name, id ${opts.lock ? sql`for update` : sql``}`);
  return rowsOf(res).map(toPipeline);
}

/** One live pipeline of the workspace; a foreign, malformed or deleted id answers 404. */
export async function getPipelineRow(db: Executor, workspaceId: string, id: string): Promise<PipelineRow> {
  if (!isUuid(id)) throw new NotFoundError("Pipeline");
  const res = await db.execute(sql`
    select id, key, name, position, is_default, source from pipelines
    where workspace_id = ${workspaceId} and id = ${id}::uuid and deleted_at is null`);
  const row = rowsOf(res)[0];
  if (!row) throw new NotFoundError("Pipeline");
  return toPipeline(row);
}

/**
 * The pipeline a request means: the named one (a bad id → 422 naming `field`, for ids inside a body), else the
 * workspace's default.
 */
export async function resolvePipeline(db: Executor, workspaceId: string, id: string | undefined, field = "pipelineId"): Promise<PipelineRow> {
  const res = await db.execute(sql`
    select id, key, name, position, is_default, source from pipelines
    where workspace_id = ${workspaceId} and deleted_at is null
      and ${id ? sql`id = ${id}::uuid` : sql`is_default`}`);
  const row = rowsOf(res)[0];
  if (!row) {
    if (id) throw new ValidationError("The pipeline does not exist", [{ path: field, message: "no such pipeline in your workspace" }]);
    throw new NotFoundError("Default pipeline");
  }
  return toPipeline(row);
}

/** SQL for "the pipeline id this request means": the given one, else the workspace's default. */
export const pipelineIdExpr = (workspaceId: string, pipelineId: string | undefined) =>
  pipelineId ? sql`${pipelineId}::uuid` : sql`(select id from pipelines where workspace_id = ${workspaceId} and is_default and deleted_at is null)`;
