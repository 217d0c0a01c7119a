import { and, eq, isNotNull, lt, sql } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { customFields } from "../../../db/schema";
import { ConflictError, ValidationError } from "../../lib/errors";
import type { CustomField, CustomFieldCreate } from "../../schemas/custom-fields";
import { diff, recordAudit, type Actor } from "../audit/record";
import { checkDefinition } from "./definition";
import { ensureCustomFieldIndexesBestEffort, tableOfEntity } from "./indexes";
import { RESTORE_WINDOW_MS, clashesWithCore, serializeField } from "./serialize";

/**
 * POST /api/fields (ADMIN). The key is unique among the entity's live fields and never shadows a core field. A
 * deleted field with the same key that can still be restored blocks the key (409: restore it or pick another); one
 * past its 30 days is purged first — its values leave the records — so a new field never inherits stale values.
 */
export async function createField(input: { db: Database; actor: Actor; body: CustomFieldCreate; now?: Date }): Promise<CustomField> {
  const { db, actor, body } = input;
  const ws = actor.workspaceId;
  if (clashesWithCore(body.entity, body.key)) {
    throw new ValidationError(`"${body.key}" is the name of a built-in ${body.entity} field`, [{ path: "key", message: "clashes with a core field name" }]);
  }
  const { options } = checkDefinition(body);
  const now = input.now ?? new Date();
  const row = await db.transaction(async (tx) => {
    const same = await tx
      .select()
      .from(customFields)
      .where(and(eq(customFields.workspaceId, ws), eq(customFields.entity, body.entity), eq(customFields.key, body.key)))
      .for("update");
    if (same.some((f) => !f.deletedAt)) throw new ConflictError(`A ${body.entity} field with key "${body.key}" already exists`, { errors: [{ path: "key", message: "is taken" }] });
    const cutoff = new Date(now.getTime() - RESTORE_WINDOW_MS);
    if (same.some((f) => f.deletedAt && f.deletedAt > cutoff)) {
      throw new ConflictError(`A deleted field with key "${body.key}" can still be restored; restore it or choose another key`, { errors: [{ path: "key", message: "belongs to a restorable deleted field" }] });
    }
    if (same.length) {
      await tx.execute(sql`update ${sql.identifier(tableOfEntity[body.entity])} set custom = custom - ${body.key} where workspace_id = ${ws} and custom ? ${body.key}`);
      await tx.delete(customFields).where(and(eq(customFields.workspaceId, ws), eq(customFields.entity, body.entity), eq(customFields.key, body.key), isNotNull(customFields.deletedAt), lt(customFields.deletedAt, cutoff)));
    }
    let position = body.position;
    if (position === undefined) {
      const [last] = await tx
        .select({ max: sql<number | null>`max(${customFields.position})` })
        .from(customFields)
        .where(and(eq(customFields.workspaceId, ws), eq(customFields.entity, body.entity)));
      position = Number(last?.max ?? -1) + 1;
    }
    const [created] = await tx
      .insert(customFields)
      .values({
        workspaceId: ws,
        entity: body.entity,
        key: body.key,
        label: body.label,
        type: body.type,
        options,
        settings: body.settings ?? {},
        required: body.required ?? false,
        defaultValue: body.defaultValue ?? null,
        helpText: body.helpText ?? null,
        showOnCard: body.showOnCard ?? false,
        showInQuickCreate: body.showInQuickCreate ?? false,
        filterable: body.filterable ?? false,
        position,
        source: "ui",
      })
      .returning();
    await recordAudit(tx, actor, { action: "create", entityType: "custom_field", entityId: created!.id, changes: diff(null, serializeField(created!) as unknown as Record<string, unknown>) });
    return created!;
  });
  // After commit and outside any transaction: CREATE INDEX CONCURRENTLY cannot run inside one.
  if (row.filterable || ["text", "long_text", "email", "url", "phone"].includes(row.type)) await ensureCustomFieldIndexesBestEffort(db, ws);
  return serializeField(row);
}
