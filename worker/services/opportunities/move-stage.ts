import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { rowsOf, type Executor } from "../../../db/client";
import { activities, opportunities, pipelines, pipelineStages, reasonCodes } from "../../../db/schema";
import { ValidationError } from "../../lib/errors";
import { emit } from "../../events/outbox";
import type { StageMoveSource, StageRef } from "../../events/types";
import { recordAudits, type Actor } from "../audit/record";
import { serialize } from "../records/serialize";

/** A stage with the pipeline it belongs to, as the move writes it into activities, audit entries and events. */
export interface StageInfo extends StageRef {
  pipelineId: string;
  pipelineName: string;
}

export interface MoveDealsInput {
  /** The caller's open transaction: the move commits (or rolls back) with the rest of the caller's change. */
  tx: Executor;
  actor: Actor;
  /** Live deals to move, in the order they take their places at the bottom of the target column. */
  ids: string[];
  toStageId: string;
  /** Why (stage_change activity body, audit entry, event). */
  reason: string;
  /** One of the workspace's reason codes for the target stage's kind (checked). */
  reasonCode?: string | null;
  source: StageMoveSource;
  /** A board drop's place in the column (one deal). Default: the bottom of the column. */
  position?: number;
  /** Deals whose version the caller already bumped in this transaction (PATCH, import): not bumped twice. */
  versionBumped?: ReadonlySet<string>;
}

export interface MovedDeal {
  id: string;
  /** The deal after the move (table row + pipelineId). */
  row: Record<string, unknown>;
  from: StageInfo;
  to: StageInfo;
}

/** Deals per statement: 500 activities × ~10 columns stays far below Postgres' 65,535 parameters. */
const CHUNK = 500;

/**
 * THE stage move (issue 13): every path that puts deals into another stage comes here — PATCH (board drag, detail
 * page), import, stage-list replacement, pipeline deletion, automation actions. In the caller's transaction, for
 * each deal not already in the target stage: stage_id, stage_entered_at, closed_at by the stage kinds (an open
 * target clears it; leaving an open stage for a won/lost one sets it; won ↔ lost keeps it), position (the bottom of
 * the column in `ids` order, or the given drop position), version + 1, updated_at; a `stage_change` activity, a
 * `stage_change` audit entry (with the API key) and an `opportunity.stage_changed` outbox event — the same for one
 * deal or ten thousand (a handful of statements per 500 deals). Deals already in the stage are left alone and not
 * returned. The target stage is read FOR SHARE: a concurrent removal of it waits, or this move fails validation.
 */
export async function moveDealsToStage(input: MoveDealsInput): Promise<MovedDeal[]> {
  const { tx, actor } = input;
  const ws = actor.workspaceId;
  const to = await stageInfo(tx, ws, input.toStageId, { lock: true });
  if (!to) throw new ValidationError("The stage does not exist", [{ path: "stageId", message: "no such stage in your workspace" }]);
  const reasonCode = input.reasonCode ?? null;
  if (reasonCode) await assertReasonCode(tx, ws, to.kind, reasonCode);
  const ids = [...new Set(input.ids)];
  if (!ids.length) return [];

  const out: MovedDeal[] = [];
  let base: number | undefined;
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const current = await tx
      .select({ id: opportunities.id, stageId: opportunities.stageId })
      .from(opportunities)
      .where(and(eq(opportunities.workspaceId, ws), inArray(opportunities.id, chunk), isNull(opportunities.deletedAt)))
      .for("update");
    const stageOf = new Map(current.filter((c) => c.stageId !== to.id).map((c) => [c.id, c.stageId]));
    const moving = chunk.filter((id) => stageOf.has(id));
    if (!moving.length) continue;
    const fromStages = await stagesById(tx, ws, [...new Set(stageOf.values())]);
    if (base === undefined && input.position === undefined) base = await bottomOfStage(tx, ws, to.id, ids);
    const plan = moving.map((id, k) => ({
      id,
      from_kind: fromStages.get(stageOf.get(id)!)!.kind,
      position: input.position ?? base! + 1024 * (i + k + 1),
      bump: input.versionBumped?.has(id) ? 0 : 1,
    }));
    const closedAt = to.kind === "open" ? sql`null` : sql`case when v.from_kind = 'open' then now() else coalesce(o.closed_at, now()) end`;
    await tx.execute(sql`
      update opportunities o set
        stage_id = ${to.id}::uuid, stage_entered_at = now(), closed_at = ${closedAt}, position = v.position,
        version = o.version + v.bump, updated_at = now()
      from json_to_recordset(${JSON.stringify(plan)}::json) as v(id uuid, from_kind text, position double precision, bump int)
      where o.id = v.id and o.workspace_id = ${ws}`);
    const rows = await tx.select().from(opportunities).where(and(eq(opportunities.workspaceId, ws), inArray(opportunities.id, moving)));
    const byId = new Map(rows.map((r) => [r.id, { ...(r as Record<string, unknown>), pipelineId: to.pipelineId }]));
    const moved = moving.map((id) => ({ id, row: byId.get(id)!, from: fromStages.get(stageOf.get(id)!)!, to }));
    await writeRecords(tx, actor, moved, input);
    out.push(...moved);
  }
  return out;
}

/** The activity, audit entry and outbox event of each move: one INSERT each per chunk. */
async function writeRecords(tx: Executor, actor: Actor, moved: MovedDeal[], input: MoveDealsInput): Promise<void> {
  const reason = input.reason;
  const code = input.reasonCode ?? null;
  await tx.insert(activities).values(
    moved.map(({ id, row, from, to }) => {
      // Moving to another pipeline is a stage change to a stage of that pipeline; the record names both pipelines.
      const crossed = from.pipelineId !== to.pipelineId;
      return {
        workspaceId: actor.workspaceId,
        type: "stage_change",
        subject: crossed ? `${from.pipelineName}: ${from.name} → ${to.pipelineName}: ${to.name}` : `${from.name} → ${to.name}`,
        body: reason,
        properties: {
          fromStageId: from.id, fromStage: from.name, toStageId: to.id, toStage: to.name, reason,
          ...(code ? { reasonCode: code } : {}),
          ...(input.source === "import" ? { source: "import" } : {}),
          ...(crossed ? { fromPipelineId: from.pipelineId, fromPipeline: from.pipelineName, toPipelineId: to.pipelineId, toPipeline: to.pipelineName } : {}),
        },
        actorId: actor.userId,
        opportunityId: id,
        accountId: (row.accountId as string | null) ?? null,
      };
    }),
  );
  await recordAudits(
    tx,
    actor,
    moved.map(({ id, from, to }) => {
      const crossed = from.pipelineId !== to.pipelineId;
      return {
        action: "stage_change",
        entityType: "opportunity",
        entityId: id,
        changes: {
          stage: { from: from.name, to: to.name },
          reason: { from: null, to: reason },
          ...(code ? { reasonCode: { from: null, to: code } } : {}),
          ...(crossed ? { pipeline: { from: from.pipelineName, to: to.pipelineName }, pipelineId: { from: from.pipelineId, to: to.pipelineId } } : {}),
        },
      };
    }),
  );
  const ref = (s: StageInfo): StageRef => ({ id: s.id, key: s.key, name: s.name, kind: s.kind });
  await emit(
    tx,
    actor,
    moved.map(({ id, row, from, to }) => ({
      type: "opportunity.stage_changed" as const,
      entityType: "opportunity",
      entityId: id,
      data: { opportunity: serialize(row), fromStage: ref(from), toStage: ref(to), fromPipelineId: from.pipelineId, toPipelineId: to.pipelineId, reason, reasonCode: code, source: input.source },
    })),
  );
}

/** The highest position in a stage's column (0 when empty), ignoring `exceptIds`: new cards go at +1024 steps. */
export async function bottomOfStage(tx: Executor, workspaceId: string, stageId: string, exceptIds: string[] = []): Promise<number> {
  const res = await tx.execute(sql`
    select coalesce(max(position), 0) as p from opportunities
    where workspace_id = ${workspaceId} and stage_id = ${stageId} and deleted_at is null
      ${exceptIds.length ? sql`and id not in (${sql.join(exceptIds.map((id) => sql`${id}::uuid`), sql`, `)})` : sql``}`);
  return Number(rowsOf<{ p: unknown }>(res)[0]?.p ?? 0);
}

const stageColumns = {
  id: pipelineStages.id,
  key: pipelineStages.key,
  name: pipelineStages.name,
  kind: pipelineStages.kind,
  pipelineId: pipelineStages.pipelineId,
  pipelineName: pipelines.name,
};

/** A live stage of the workspace; `lock` waits for a concurrent reconfiguration and then sees its result. */
export async function stageInfo(tx: Executor, workspaceId: string, id: string, opts: { lock?: boolean } = {}): Promise<StageInfo | undefined> {
  const q = tx
    .select(stageColumns)
    .from(pipelineStages)
    .innerJoin(pipelines, eq(pipelines.id, pipelineStages.pipelineId))
    .where(and(eq(pipelineStages.id, id), eq(pipelineStages.workspaceId, workspaceId), isNull(pipelineStages.deletedAt)));
  const [s] = opts.lock ? await q.for("share", { of: pipelineStages }) : await q;
  return s;
}

/** Stages deals are leaving (a stage being removed in the same transaction included). */
async function stagesById(tx: Executor, workspaceId: string, ids: string[]): Promise<Map<string, StageInfo>> {
  const rows = await tx
    .select(stageColumns)
    .from(pipelineStages)
    .innerJoin(pipelines, eq(pipelines.id, pipelineStages.pipelineId))
    .where(and(eq(pipelineStages.workspaceId, workspaceId), inArray(pipelineStages.id, ids)));
  return new Map(rows.map((r) => [r.id, r]));
}

/** A reason code must be one of the workspace's codes for the kind of stage the deal moves to (GET /api/reason-codes). */
async function assertReasonCode(tx: Executor, workspaceId: string, kind: StageInfo["kind"], code: string): Promise<void> {
  const [hit] = await tx
    .select({ value: reasonCodes.value })
    .from(reasonCodes)
    .where(and(eq(reasonCodes.workspaceId, workspaceId), eq(reasonCodes.kind, kind), eq(reasonCodes.value, code), isNull(reasonCodes.deletedAt)))
    .limit(1);
  if (!hit) {
    throw new ValidationError(`"${code}" is not a reason code for moving to a ${kind} stage`, [
      { path: "stageChangeReason.code", message: `not one of the workspace's ${kind} reason codes (GET /api/reason-codes)` },
    ]);
  }
}
