import { and, asc, eq, gt, isNotNull } from "drizzle-orm";
import type { Executor } from "../../../db/client";
import { customFields } from "../../../db/schema";
import type { CustomField } from "../../schemas/custom-fields";
import { listCustomFields, type CustomFieldEntity } from "./registry";
import { RESTORE_WINDOW_MS, serializeField } from "./serialize";

/** GET /api/fields: live fields in display order, or (deleted=true) the trash of fields still restorable. */
export async function listFields(input: { db: Executor; workspaceId: string; entity?: CustomFieldEntity; deleted?: boolean; now?: Date }): Promise<CustomField[]> {
  const { db, workspaceId, entity } = input;
  if (!input.deleted) return (await listCustomFields(db, workspaceId, entity)).map(serializeField);
  const since = new Date((input.now ?? new Date()).getTime() - RESTORE_WINDOW_MS);
  const rows = await db
    .select()
    .from(customFields)
    .where(and(eq(customFields.workspaceId, workspaceId), isNotNull(customFields.deletedAt), gt(customFields.deletedAt, since), entity ? eq(customFields.entity, entity) : undefined))
    .orderBy(asc(customFields.entity), asc(customFields.deletedAt));
  return rows.map(serializeField);
}
