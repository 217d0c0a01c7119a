import { eq } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { recordAudit, type Actor } from "../audit/record";
import type { EntityDef } from "./entities";
import { loadRecord } from "./load";
import { serialize } from "./serialize";
import { withPipelineId } from "../opportunities/pipeline-of";
import { emit } from "../../events/outbox";

/** Soft delete: the row stays (timelines, audit and restore need it) but leaves every list, board and search. */
export async function softDeleteRecord(input: { db: Database; actor: Actor; def: EntityDef; id: string }) {
  const { db, actor, def, id } = input;
  const row = await db.transaction(async (tx) => {
    await loadRecord(tx, def, actor.workspaceId, id, { forUpdate: true });
    const now = new Date();
    const [row] = await tx.update(def.table).set({ deletedAt: now, updatedAt: now }).where(eq(def.table.id!, id)).returning();
    await recordAudit(tx, actor, { action: "delete", entityType: def.type, entityId: id, changes: { deletedAt: { from: null, to: now.toISOString() } } });
    const out = def.type === "opportunity" ? await withPipelineId(tx, actor.workspaceId, row as Record<string, unknown>) : (row as Record<string, unknown>);
    await emit(tx, actor, { type: `${def.type}.deleted`, entityType: def.type, entityId: id, data: serialize(out) });
    return out;
  });
  return serialize(row);
}

export async function restoreRecord(input: { db: Database; actor: Actor; def: EntityDef; id: string }) {
  const { db, actor, def, id } = input;
  const row = await db.transaction(async (tx) => {
    const before = await loadRecord(tx, def, actor.workspaceId, id, { forUpdate: true, deleted: true });
    const [row] = await tx.update(def.table).set({ deletedAt: null, updatedAt: new Date() }).where(eq(def.table.id!, id)).returning();
    await recordAudit(tx, actor, { action: "restore", entityType: def.type, entityId: id, changes: { deletedAt: { from: (before.deletedAt as Date).toISOString(), to: null } } });
    const out = def.type === "opportunity" ? await withPipelineId(tx, actor.workspaceId, row as Record<string, unknown>) : (row as Record<string, unknown>);
    await emit(tx, actor, { type: `${def.type}.restored`, entityType: def.type, entityId: id, data: serialize(out) });
    return out;
  });
  return serialize(row);
}
