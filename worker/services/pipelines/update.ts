import { sql } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { ConflictError, NotFoundError, ValidationError } from "../../lib/errors";
import type { PipelineInfo, PipelinePatch } from "../../schemas/pipelines";
import { emit } from "../../events/outbox";
import { recordAudit, type Actor } from "../audit/record";
import { pipelineRows, readPipelines } from "./read";

/**
 * Renames, re-orders (positions stay 0…n-1) or makes a pipeline the default, in one transaction. A workspace keeps
 * exactly one default: making one the default unsets the previous one, and unsetting the default itself is refused
 * (choose another pipeline as the default instead).
 */
export async function updatePipeline(input: { db: Database; actor: Actor; id: string; patch: PipelinePatch }): Promise<PipelineInfo> {
  const { db, actor, id, patch } = input;
  const updated = await db.transaction(async (tx) => {
    const list = await pipelineRows(tx, actor.workspaceId, { lock: true });
    const before = list.find((p) => p.id === id);
    if (!before) throw new NotFoundError("Pipeline");
    const changes: Record<string, { from: unknown; to: unknown }> = {};

    if (patch.isDefault === false && before.isDefault) {
      throw new ValidationError("A workspace always has one default pipeline: make another pipeline the default instead", [
        { path: "isDefault", message: "cannot unset the default; set isDefault on another pipeline" },
      ]);
    }
    if (patch.name !== undefined && patch.name !== before.name) {
      if (list.some((p) => p.id !== id && p.name.toLocaleLowerCase() === patch.name!.toLocaleLowerCase())) {
        throw new ConflictError(`A pipeline named "${patch.name}" already exists`, { errors: [{ path: "name", message: "is already used by another pipeline" }] });
      }
      await tx.execute(sql`update pipelines set name = ${patch.name}, updated_at = now() where id = ${id} and workspace_id = ${actor.workspaceId}`);
      changes.name = { from: before.name, to: patch.name };
    }
    if (patch.isDefault && !before.isDefault) {
      const old = list.find((p) => p.isDefault);
      // Unset first: the partial unique index allows one live default per workspace at any moment.
      await tx.execute(sql`update pipelines set is_default = false, updated_at = now()
        where workspace_id = ${actor.workspaceId} and is_default and deleted_at is null`);
      await tx.execute(sql`update pipelines set is_default = true, updated_at = now() where id = ${id} and workspace_id = ${actor.workspaceId}`);
      changes.isDefault = { from: old?.id ?? null, to: id };
    }
    if (patch.position !== undefined) {
      const order = list.filter((p) => p.id !== id);
      const at = Math.min(patch.position, order.length);
      order.splice(at, 0, before);
      const moved = order.some((p, i) => p.position !== i);
      if (moved) {
        const values = sql.join(order.map((p, i) => sql`(${p.id}::uuid, ${i}::int)`), sql`, `);
        await tx.execute(sql`update pipelines p set position = v.position, updated_at = now()
          from (values ${values}) as v(id, position)
          where p.id = v.id and p.workspace_id = ${actor.workspaceId} and p.position is distinct from v.position`);
        if (before.position !== at) changes.position = { from: before.position, to: at };
      }
    }
    if (Object.keys(changes).length) await recordAudit(tx, actor, { action: "pipeline.update", entityType: "pipeline", entityId: id, changes });
    const after = (await readPipelines(tx, actor.workspaceId)).find((p) => p.id === id)!;
    if (Object.keys(changes).length) await emit(tx, actor, { type: "pipeline.updated", entityType: "pipeline", entityId: id, data: { pipeline: after, changes } });
    return { after, changes };
  });
  return updated.after;
}
