import { and, asc, eq, isNull } from "drizzle-orm";
import type { Executor } from "../../../db/client";
import { customFields } from "../../../db/schema";

/** The four record entities a custom field can extend. */
export const CUSTOM_FIELD_ENTITIES = ["account", "contact", "lead", "opportunity"] as const;
export type CustomFieldEntity = (typeof CUSTOM_FIELD_ENTITIES)[number];

export type CustomFieldRow = typeof customFields.$inferSelect;

/**
 * A workspace's live custom fields (optionally of one entity) in display order. The one read of the registry that
 * validation, lists, import/export, the AI context and GET /api/meta share.
 */
export async function listCustomFields(db: Executor, workspaceId: string, entity?: CustomFieldEntity): Promise<CustomFieldRow[]> {
  return db
    .select()
    .from(customFields)
    .where(and(eq(customFields.workspaceId, workspaceId), isNull(customFields.deletedAt), entity ? eq(customFields.entity, entity) : undefined))
    .orderBy(asc(customFields.entity), asc(customFields.position), asc(customFields.id));
}
