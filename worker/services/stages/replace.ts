import { sql } from "drizzle-orm";
import { rowsOf, type Database, type Tx } from "../../../db/client";
import { pipelineStages } from "../../../db/schema";
import { ConflictError, NotFoundError, ValidationError, type FieldError } from "../../lib/errors";
import type { StagesPut } from "../../schemas/stages";
import { recordAudit, type Actor } from "../audit/record";
import { readStages } from "./list";
import { emit } from "../../events/outbox";
import { moveDealsToStage, type MovedDeal } from "../opportunities/move-stage";

type Kind = "open" | "won" | "lost";
export interface StageState {
  id: string;
  name: string;
  probability: number;
  kind: Kind;
  agingDays?: number | null;
  key?: string | null;
}

/**
 * Replaces the pipeline's ordered stage list in one transaction: listed ids are updated (position = index), new
 * entries inserted, missing stages soft-deleted. A removed stage that still holds deals needs a `moveTo` target;
 * its deals then move there exactly as a manual stage change would (version bump, stage_change activity, closed_at
 * by the target's kind). Probabilities are read live by the board, so the forecast follows at once.
 */
export async function replaceStages(input: { db: Database; actor: Actor; body: StagesPut; pipelineId?: string }) {
  const { db, actor, body } = input;
  const moveTo = body.moveTo ?? {};
  checkShape(body);

  const result = await db.transaction(async (tx) => {
    // The pipeline whose list this is (PUT /api/pipelines/{id}/stages), else the default (PUT /api/pipeline/stages).
    // FOR NO KEY UPDATE on it serialises concurrent edits of its list (and its deletion).
    const pipelineRes = await tx.execute(sql`
      select id, name from pipelines
      where workspace_id = ${actor.workspaceId} and deleted_at is null and ${input.pipelineId ? sql`id = ${input.pipelineId}::uuid` : sql`is_default`}
      for no key update`);
    const pipeline = rowsOf(pipelineRes)[0];
    if (!pipeline) throw new NotFoundError("Pipeline");
    const pipelineId = String(pipeline.id);
    // NO KEY UPDATE leaves deals' foreign-key checks (KEY SHARE) free.
    const currentRes = await tx.execute(sql`
      select id, name, probability, kind, position, aging_days, key from pipeline_stages
      where workspace_id = ${actor.workspaceId} and pipeline_id = ${pipelineId}::uuid and deleted_at is null
      order by position, id
      for no key update`);
    const before: StageState[] = rowsOf(currentRes).map((r) => ({
      id: String(r.id), name: String(r.name), probability: Number(r.probability), kind: r.kind as Kind,
      agingDays: r.aging_days === null ? null : Number(r.aging_days), key: (r.key as string | null) ?? null,
    }));
    const byId = new Map(before.map((s) => [s.id, s]));

    const errors: FieldError[] = [];
    body.stages.forEach((s, i) => {
      if (s.id && !byId.has(s.id)) errors.push({ path: `stages.${i}.id`, message: "no stage with this id in this pipeline" });
    });
    const keptIds = new Set(body.stages.flatMap((s) => (s.id ? [s.id] : [])));
    const removed = before.filter((s) => !keptIds.has(s.id));
    const removedIds = new Set(removed.map((s) => s.id));
    for (const [from, to] of Object.entries(moveTo)) {
      if (!removedIds.has(from)) errors.push({ path: `moveTo.${from}`, message: "is not a stage this request removes" });
      else if (typeof to === "string" && !keptIds.has(to)) errors.push({ path: `moveTo.${from}`, message: "must be the id of a stage in the new list" });
    }
    if (errors.length) throw new ValidationError("The stage list is invalid", errors);

    const counts = new Map<string, { live: number; all: number }>();
    if (removed.length) {
      const res = await tx.execute(sql`
        select stage_id, count(*) filter (where deleted_at is null)::int as live, count(*)::int as all
        from opportunities
        where workspace_id = ${actor.workspaceId} and stage_id in (${sql.join(removed.map((s) => sql`${s.id}::uuid`), sql`, `)})
        group by stage_id`);
      for (const r of rowsOf(res)) counts.set(String(r.stage_id), { live: Number(r.live), all: Number(r.all) });
    }
    const blocked = removed.filter((s) => (counts.get(s.id)?.live ?? 0) > 0 && moveTo[s.id] === undefined);
    if (blocked.length) {
      const list = blocked.map((s) => ({ id: s.id, name: s.name, opportunityCount: counts.get(s.id)!.live }));
      throw new ConflictError(
        `${list.map((s) => `"${s.name}" still holds ${s.opportunityCount} deal${s.opportunityCount === 1 ? "" : "s"}`).join("; ")}: say where they go in moveTo`,
        { stages: list, errors: list.map((s) => ({ path: `moveTo.${s.id}`, message: `holds ${s.opportunityCount} deal(s); name a target stage` })) },
      );
    }

    // Kept stages: one statement for all of them; only rows that really change are touched. An omitted agingDays
    // or key keeps the stored one (older clients of PUT /api/pipeline/stages do not send them).
    const kept = body.stages
      .map((s, position) => ({ ...s, position }))
      .filter((s) => s.id)
      .map((s) => ({ ...s, agingDays: s.agingDays === undefined ? byId.get(s.id!)!.agingDays ?? null : s.agingDays, key: s.key === undefined ? byId.get(s.id!)!.key ?? null : s.key }));
    if (kept.length) {
      const values = sql.join(
        kept.map((s) => sql`(${s.id}::uuid, ${s.name}::text, ${s.probability}::int, ${s.kind}::stage_kind, ${s.position}::int, ${s.agingDays}::int, ${s.key}::text)`),
        sql`, `,
      );
      await tx.execute(sql`
        update pipeline_stages s
        set name = v.name, probability = v.probability, kind = v.kind, position = v.position, aging_days = v.aging_days, key = v.key, updated_at = now()
        from (values ${values}) as v(id, name, probability, kind, position, aging_days, key)
        where s.id = v.id and s.workspace_id = ${actor.workspaceId}
          and (s.name, s.probability, s.kind, s.position, s.aging_days, s.key) is distinct from (v.name, v.probability, v.kind, v.position, v.aging_days, v.key)`);
    }
    const fresh = body.stages.map((s, position) => ({ ...s, position })).filter((s) => !s.id);
    const inserted = fresh.length
      ? await tx
          .insert(pipelineStages)
          .values(fresh.map((s) => ({ workspaceId: actor.workspaceId, pipelineId, name: s.name, probability: s.probability, kind: s.kind, position: s.position, agingDays: s.agingDays ?? null, key: s.key ?? null })))
          .returning({ id: pipelineStages.id, position: pipelineStages.position })
      : [];
    const keptById = new Map(kept.map((s) => [s.id!, s]));
    const after: StageState[] = body.stages.map((s, i) => ({
      id: s.id ?? inserted.find((r) => r.position === i)!.id,
      name: s.name,
      probability: s.probability,
      kind: s.kind,
      agingDays: s.id ? keptById.get(s.id)!.agingDays : (s.agingDays ?? null),
    }));

    // A stage that changes kind changes what its deals are: closing or reopening them keeps closed_at truthful.
    let reclassified = 0;
    for (const s of after) {
      const old = byId.get(s.id);
      if (!old || old.kind === s.kind) continue;
      const res = await tx.execute(sql`
        update opportunities set
          closed_at = ${s.kind === "open" ? sql`null` : sql`coalesce(closed_at, now())`},
          version = version + 1, updated_at = now()
        where workspace_id = ${actor.workspaceId} and stage_id = ${s.id}
          and ${s.kind === "open" ? sql`closed_at is not null` : sql`closed_at is null`}
        returning id`);
      reclassified += rowsOf(res).length;
    }

    const firstOpen = after.find((s) => s.kind === "open")!;
    const moves: { from: StageState; to: StageState; count: number }[] = [];
    for (const from of removed) {
      const target = moveTo[from.id];
      const c = counts.get(from.id);
      if (target === undefined && !c) continue;
      // Deals in the trash follow too (to the first open stage when no target is named), so a restore never brings
      // a deal back into a stage that no longer exists.
      const to = target === undefined ? firstOpen : typeof target === "number" ? after[target]! : after.find((s) => s.id === target)!;
      const moved = c?.live ? await moveLiveDeals(tx, actor, from, to) : [];
      if (c && c.all > c.live) {
        await tx.execute(sql`
          update opportunities set stage_id = ${to.id}, version = version + 1, updated_at = now(),
            closed_at = ${to.kind === "open" ? sql`null` : sql`coalesce(closed_at, now())`}
          where workspace_id = ${actor.workspaceId} and stage_id = ${from.id} and deleted_at is not null`);
      }
      if (moved.length) moves.push({ from, to, count: moved.length });
    }

    if (removed.length) {
      await tx.execute(sql`
        update pipeline_stages set deleted_at = now(), updated_at = now()
        where workspace_id = ${actor.workspaceId} and id in (${sql.join(removed.map((s) => sql`${s.id}::uuid`), sql`, `)})`);
    }

    const snapshot = (list: StageState[]) => list.map((s, position) => ({ id: s.id, name: s.name, position, probability: s.probability, kind: s.kind, agingDays: s.agingDays ?? null }));
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    if (JSON.stringify(snapshot(before)) !== JSON.stringify(snapshot(after))) changes.stages = { from: snapshot(before), to: snapshot(after) };
    if (moves.length) {
      changes.movedOpportunities = {
        from: null,
        to: moves.map((m) => ({ fromStageId: m.from.id, fromStage: m.from.name, toStageId: m.to.id, toStage: m.to.name, count: m.count })),
      };
    }
    if (reclassified) changes.reclassifiedOpportunities = { from: null, to: reclassified };
    if (Object.keys(changes).length) {
      changes.pipeline = { from: null, to: { id: pipelineId, name: String(pipeline.name) } };
      await recordAudit(tx, actor, { action: "settings.stages", entityType: "settings", entityId: null, changes });
    }
    const stages = await readStages(tx, actor.workspaceId, pipelineId);
    if (Object.keys(changes).length) {
      await emit(tx, actor, { type: "pipeline.stages_updated", entityType: "pipeline", entityId: pipelineId, data: { pipelineId, stages, changes } });
    }
    return { stages, changes, moves, pipelineId };
  });

  return result.stages;
}

const reasonFor = (s: StageState) => `Stage ${s.name} removed`;

/** Checks that need no database: unique names and keys, an open stage, no id twice, moveTo indexes in range. */
function checkShape(body: StagesPut): void {
  const errors = stageListErrors(body.stages);
  for (const [from, to] of Object.entries(body.moveTo ?? {})) {
    if (typeof to === "number" && to >= body.stages.length) errors.push({ path: `moveTo.${from}`, message: `no stage at index ${to}` });
  }
  if (errors.length) throw new ValidationError("The stage list is invalid", errors);
}

/** The same checks for a new pipeline's list (POST /api/pipelines). */
export function checkStageList(stages: { id?: string; name: string; kind: Kind; key?: string }[]): void {
  const errors = stageListErrors(stages);
  if (errors.length) throw new ValidationError("The stage list is invalid", errors);
}

function stageListErrors(stages: { id?: string; name: string; kind: Kind; key?: string }[]): FieldError[] {
  const errors: FieldError[] = [];
  const names = new Map<string, number>();
  const keys = new Map<string, number>();
  const ids = new Set<string>();
  stages.forEach((s, i) => {
    const name = s.name.toLocaleLowerCase();
    if (names.has(name)) errors.push({ path: `stages.${i}.name`, message: `is already used by stage ${names.get(name)! + 1}` });
    else names.set(name, i);
    if (s.key && keys.has(s.key)) errors.push({ path: `stages.${i}.key`, message: `is already used by stage ${keys.get(s.key)! + 1}` });
    else if (s.key) keys.set(s.key, i);
    if (s.id && ids.has(s.id)) errors.push({ path: `stages.${i}.id`, message: "appears more than once" });
    if (s.id) ids.add(s.id);
  });
  if (!stages.some((s) => s.kind === "open")) errors.push({ path: "stages", message: "needs at least one open stage (new deals land there)" });
  return errors;
}

/**
 * Moves a removed stage's live deals to the bottom of the target column, keeping their order, through the one
 * stage-move verb (activity, audit entry and event per deal, as a manual move writes them).
 */
export async function moveLiveDeals(
  tx: Tx,
  actor: Actor,
  from: StageState,
  to: StageState,
  opts: { reason?: string; source?: "stages" | "pipeline" } = {},
): Promise<MovedDeal[]> {
  const res = await tx.execute(sql`
    select id from opportunities
    where workspace_id = ${actor.workspaceId} and stage_id = ${from.id} and deleted_at is null
    order by position, id`);
  const ids = rowsOf<{ id: string }>(res).map((r) => String(r.id));
  return moveDealsToStage({ tx, actor, ids, toStageId: to.id, reason: opts.reason ?? reasonFor(from), source: opts.source ?? "stages" });
}
