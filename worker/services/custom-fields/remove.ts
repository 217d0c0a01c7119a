import { and, eq, isNull } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { customFields } from "../../../db/schema";
import { ConflictError, ProblemError } from "../../lib/errors";
import type { CustomField } from "../../schemas/custom-fields";
import { recordAudit, type Actor } from "../audit/record";
import { ensureCustomFieldIndexesBestEffort } from "./indexes";
import { loadField } from "./load";
import { RESTORE_WINDOW_MS, serializeField } from "./serialize";

/**
 * DELETE /api/fields/{id} (ADMIN): a soft delete. The field leaves forms, lists and payloads; its values stay in the
 * records, so a restore within 30 days brings everything back as it was.
 */
export async function deleteField(input: { db: Database; actor: Actor; id: string }): Promise<CustomField> {
  const { db, actor, id } = input;
  const row = await db.transaction(async (tx) => {
    const before = await loadField(tx, actor.workspaceId, id);
    const [row] = await tx.update(customFields).set({ deletedAt: new Date(), version: before.version + 1 }).where(eq(customFields.id, id)).returning();
    await recordAudit(tx, actor, { action: "delete", entityType: "custom_field", entityId: id, changes: { deletedAt: { from: null, to: row!.deletedAt!.toISOString() } } });
    return row!;
  });
  return serializeField(row);
}

/** POST /api/fields/{id}/restore (ADMIN): within 30 days of the delete; after that 410 Gone. */
export async function restoreField(input: { db: Database; actor: Actor; id: string; now?: Date }): Promise<CustomField> {
  const { db, actor, id } = input;
  const now = input.now ?? new Date();
  const row = await db.transaction(async (tx) => {
    const before = await loadField(tx, actor.workspaceId, id, { deleted: true });
    if (now.getTime() - before.deletedAt!.getTime() > RESTORE_WINDOW_MS) {
      throw new ProblemError(410, "Gone", "This field was deleted more than 30 days ago and can no longer be restored");
    }
    const [clash] = await tx
      .select({ id: customFields.id })
      .from(customFields)
      .where(and(eq(customFields.workspaceId, actor.workspaceId), eq(customFields.entity, before.entity), eq(customFields.key, before.key), isNull(customFields.deletedAt)));
    if (clash) throw new ConflictError(`Another ${before.entity} field now uses the key "${before.key}"; delete or rename it first`);
    const [row] = await tx.update(customFields).set({ deletedAt: null, version: before.version + 1, updatedAt: new Date() }).where(eq(customFields.id, id)).returning();
    await recordAudit(tx, actor, { action: "restore", entityType: "custom_field", entityId: id, changes: { deletedAt: { from: before.deletedAt!.toISOString(), to: null } } });
    return row!;
  });
  if (row.filterable) await ensureCustomFieldIndexesBestEffort(db, actor.workspaceId);
  return serializeField(row);
}
