import { sql } from "drizzle-orm";
import { rowsOf, type Database } from "../../../db/client";
import { ConflictError, NotFoundError, ValidationError } from "../../lib/errors";
import { recordAudit, type Actor } from "../audit/record";
import { moveLiveDeals, type StageState } from "../stages/replace";
import { pipelineRows } from "./read";
import { emit } from "../../events/outbox";


/**
 * Soft-deletes a pipeline and its stages. Never the default one (make another the default first) nor the last one.
 * A pipeline still holding live deals needs `moveTo`, a stage of another pipeline: its deals move there exactly as
 * a stage change writes it (stage_change activity and audit entry naming both pipelines); deals in the trash follow
 * silently so a restore never brings one back into a deleted pipeline.
 */
export async function deletePipeline(input: { db: Database; actor: Actor; id: string; moveTo?: string }) {
  const { db, actor, id, moveTo } = input;
  const result = await db.transaction(async (tx) => {
    const list = await pipelineRows(tx, actor.workspaceId, { lock: true });
    const pipeline = list.find((p) => p.id === id);
    if (!pipeline) throw new NotFoundError("Pipeline");
    if (list.length === 1) throw new ConflictError("A workspace needs at least one pipeline; this is the last one");
    if (pipeline.isDefault) {
      throw new ConflictError(`"${pipeline.name}" is the default pipeline: make another pipeline the default first`, {
        errors: [{ path: "isDefault", message: "the default pipeline cannot be deleted" }],
      });
    }
    // NO KEY UPDATE on the stages: a concurrent deal create or move into them (FOR SHARE) waits, then sees them gone.
    const stagesRes = await tx.execute(sql`
      select id, name, probability, kind from pipeline_stages
      where workspace_id = ${actor.workspaceId} and pipeline_id = ${id}::uuid and deleted_at is null
      order by position, id for no key update`);
    const stages: StageState[] = rowsOf(stagesRes).map((r) => ({ id: String(r.id), name: String(r.name), probability: Number(r.probability), kind: r.kind as StageState["kind"] }));
    const ids = stages.length ? sql.join(stages.map((s) => sql`${s.id}::uuid`), sql`, `) : sql`null::uuid`;
    const countRes = await tx.execute(sql`
      select stage_id, count(*) filter (where deleted_at is null)::int as live, count(*)::int as all
      from opportunities where workspace_id = ${actor.workspaceId} and stage_id in (${ids}) group by stage_id`);
    const counts = new Map(rowsOf(countRes).map((r) => [String(r.stage_id), { live: Number(r.live), all: Number(r.all) }]));
    const live = [...counts.values()].reduce((n, c) => n + c.live, 0);
    const all = [...counts.values()].reduce((n, c) => n + c.all, 0);

    let target: (StageState & { pipelineId: string; pipelineName: string }) | undefined;
    if (moveTo) {
      const res = await tx.execute(sql`
        select s.id, s.name, s.probability, s.kind, s.pipeline_id, p.name as pipeline_name
        from pipeline_stages s join pipelines p on p.id = s.pipeline_id and p.deleted_at is null
        where s.workspace_id = ${actor.workspaceId} and s.id = ${moveTo}::uuid and s.deleted_at is null and s.pipeline_id <> ${id}::uuid
        for share of s`);
      const r = rowsOf(res)[0];
      if (!r) throw new ValidationError("The target stage is not a stage of another pipeline", [{ path: "moveTo", message: "must be a stage of another pipeline in your workspace" }]);
      target = { id: String(r.id), name: String(r.name), probability: Number(r.probability), kind: r.kind as StageState["kind"], pipelineId: String(r.pipeline_id), pipelineName: String(r.pipeline_name) };
    }
    if (live > 0 && !target) {
      throw new ConflictError(`"${pipeline.name}" still holds ${live} deal${live === 1 ? "" : "s"}: say where they go in moveTo (a stage of another pipeline)`, {
        opportunityCount: live,
        errors: [{ path: "moveTo", message: `the pipeline holds ${live} deal(s); name a target stage` }],
      });
    }

    let moved = 0;
    if (target) {
      for (const from of stages) {
        const c = counts.get(from.id);
        if (!c?.live) continue;
        moved += (await moveLiveDeals(tx, actor, from, target, { reason: `Pipeline ${pipeline.name} deleted`, source: "pipeline" })).length;
      }
    }
    if (all > live) {
      // Trashed deals: to the target, else to the default pipeline's first open stage.
      await tx.execute(sql`
        update opportunities o set stage_id = t.id, version = o.version + 1, updated_at = now(),
          closed_at = case when t.kind = 'open' then null else coalesce(o.closed_at, now()) end
        from (select id, kind from pipeline_stages
              where workspace_id = ${actor.workspaceId} and deleted_at is null
                and ${target ? sql`id = ${target.id}::uuid` : sql`pipeline_id = (select id from pipelines where workspace_id = ${actor.workspaceId} and is_default and deleted_at is null) and kind = 'open'`}
              order by position limit 1) t
        where o.workspace_id = ${actor.workspaceId} and o.stage_id in (${ids}) and o.deleted_at is not null`);
    }
    await tx.execute(sql`update pipeline_stages set deleted_at = now(), updated_at = now()
      where workspace_id = ${actor.workspaceId} and pipeline_id = ${id}::uuid and deleted_at is null`);
    await tx.execute(sql`update pipelines set deleted_at = now(), updated_at = now(), is_default = false where id = ${id}::uuid and workspace_id = ${actor.workspaceId}`);
    // Close the gap in the list's positions.
    await tx.execute(sql`update pipelines p set position = v.n - 1, updated_at = now()
      from (select id, row_number() over (order by position, name, id) as n from pipelines where workspace_id = ${actor.workspaceId} and deleted_at is null) v
      where p.id = v.id and p.position <> v.n - 1`);
    await recordAudit(tx, actor, {
      action: "pipeline.delete",
      entityType: "pipeline",
      entityId: id,
      changes: {
        pipeline: { from: { key: pipeline.key, name: pipeline.name, stages: stages.map((s) => s.name) }, to: null },
        ...(moved ? { movedOpportunities: { from: null, to: { toStageId: target!.id, toStage: target!.name, toPipeline: target!.pipelineName, count: moved } } } : {}),
      },
    });
    await emit(tx, actor, { type: "pipeline.deleted", entityType: "pipeline", entityId: id, data: { pipeline, movedOpportunities: moved } });
    return { pipeline, target, moved };
  });

  return { id, movedOpportunities: result.moved };
}
