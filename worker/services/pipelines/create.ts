import { sql } from "drizzle-orm";
import { rowsOf, type Database } from "../../../db/client";
import { pipelines, pipelineStages } from "../../../db/schema";
import { DEFAULT_STAGES } from "../../../db/seed";
import { ConflictError, ValidationError } from "../../lib/errors";
import { MAX_PIPELINES, type PipelineCreate, type PipelineInfo } from "../../schemas/pipelines";
import { emit } from "../../events/outbox";
import { recordAudit, type Actor } from "../audit/record";
import { checkStageList } from "../stages/replace";
import { pipelineRows, readPipelines } from "./read";

type Row = Record<string, unknown>;

/** "New business!" → "new-business"; a name with no letters becomes "pipeline". */
export function slugify(name: string): string {
  const s = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 50);
  return /^[a-z]/.test(s) ? s : `pipeline${s ? `-${s}` : ""}`;
}

/**
 * Adds a pipeline with its ordered stages (the default set when none are given), in one transaction. The key is
 * the given one (409 when taken) or a free slug of the name. `isDefault` moves the default here.
 */
export async function createPipeline(input: {
  db: Database;
  actor: Actor;
  body: PipelineCreate;
  /** "config" when bespoke.config.ts declares it (applied at start/deploy); the API makes "ui" pipelines. */
  source?: "config" | "ui";
}): Promise<PipelineInfo> {
  const { db, actor, body } = input;
  const stages: NonNullable<PipelineCreate["stages"]> = body.stages ?? DEFAULT_STAGES.map((s) => ({ ...s }));
  checkStageList(stages);

  const created = await db.transaction(async (tx) => {
    // Locks the workspace's pipelines: positions and the one default are decided against a stable list.
    const list = await pipelineRows(tx, actor.workspaceId, { lock: true });
    if (list.length >= MAX_PIPELINES) throw new ValidationError(`A workspace has at most ${MAX_PIPELINES} pipelines`, [{ path: "name", message: "too many pipelines" }]);
    if (list.some((p) => p.name.toLocaleLowerCase() === body.name.toLocaleLowerCase())) {
      throw new ConflictError(`A pipeline named "${body.name}" already exists`, { errors: [{ path: "name", message: "is already used by another pipeline" }] });
    }
    const keysRes = await tx.execute(sql`select key from pipelines where workspace_id = ${actor.workspaceId} and deleted_at is null`);
    const taken = new Set(rowsOf(keysRes).map((r) => String(r.key)));
    let key = body.key;
    if (key && taken.has(key)) throw new ConflictError(`The key "${key}" is already used by another pipeline`, { errors: [{ path: "key", message: "is already used" }] });
    if (!key) {
      const base = slugify(body.name);
      key = base;
      for (let n = 2; taken.has(key); n++) key = `${base}-${n}`;
    }
    const position = Math.min(body.position ?? list.length, list.length);
    // A workspace always has one default: its first pipeline is it.
    const isDefault = body.isDefault === true || list.length === 0;
    await tx.execute(sql`update pipelines set position = position + 1, updated_at = now()
      where workspace_id = ${actor.workspaceId} and deleted_at is null and position >= ${position}`);
    if (isDefault) {
      await tx.execute(sql`update pipelines set is_default = false, updated_at = now()
        where workspace_id = ${actor.workspaceId} and is_default and deleted_at is null`);
    }
    const [p] = await tx
      .insert(pipelines)
      .values({ workspaceId: actor.workspaceId, key, name: body.name, position, isDefault, source: input.source ?? "ui" })
      .returning({ id: pipelines.id });
    await tx.insert(pipelineStages).values(
      stages.map((s, i) => ({
        workspaceId: actor.workspaceId,
        pipelineId: p!.id,
        name: s.name,
        probability: s.probability,
        kind: s.kind,
        agingDays: s.agingDays ?? null,
        key: s.key ?? null,
        position: i,
      })),
    );
    const all = await readPipelines(tx, actor.workspaceId);
    const made = all.find((x) => x.id === p!.id)!;
    await recordAudit(tx, actor, {
      action: "pipeline.create",
      entityType: "pipeline",
      entityId: made.id,
      changes: { pipeline: { from: null, to: { key: made.key, name: made.name, isDefault: made.isDefault, stages: made.stages.map((s) => s.name) } } },
    });
    await emit(tx, actor, { type: "pipeline.created", entityType: "pipeline", entityId: made.id, data: { pipeline: made } });
    return made;
  });
  return created;
}
