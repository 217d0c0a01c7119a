import { getTableColumns } from "drizzle-orm";
import { accounts, contacts, leads, opportunities } from "../../../db/schema";
import type { CustomField } from "../../schemas/custom-fields";
import type { CustomFieldEntity, CustomFieldRow } from "./registry";

/** A deleted field can be restored for this long; after that restore answers 410 and its values may be purged. */
export const RESTORE_WINDOW_MS = 30 * 86_400_000;

/** API shape of a registry row. */
export function serializeField(row: CustomFieldRow): CustomField {
  return {
    id: row.id,
    entity: row.entity as CustomField["entity"],
    key: row.key,
    label: row.label,
    type: row.type as CustomField["type"],
    options: (row.options ?? []).map((o, i) => ({ value: o.value, label: o.label, color: o.color ?? null, order: i })),
    settings: row.settings ?? {},
    required: row.required,
    defaultValue: row.defaultValue ?? null,
    helpText: row.helpText,
    showOnCard: row.showOnCard,
    showInQuickCreate: row.showInQuickCreate,
    filterable: row.filterable,
    position: row.position,
    source: row.source === "config" ? "config" : "ui",
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    deletedAt: row.deletedAt?.toISOString() ?? null,
    restorableUntil: row.deletedAt ? new Date(row.deletedAt.getTime() + RESTORE_WINDOW_MS).toISOString() : null,
  };
}

const tables = { account: accounts, contact: contacts, lead: leads, opportunity: opportunities };
/** Names the API already uses on a record (besides its columns): a custom key may not shadow them. */
const extra = ["name", "custom", "contactIds", "pipelineId", "accountName", "stageChangeReason", "related", "completed", "stage", "owner", "account"];

/** Lower-cased, underscore-free: `close_date`, `closeDate` and `CLOSEDATE` all clash with the core `closeDate`. */
const fold = (s: string) => s.replace(/_/g, "").toLowerCase();

export function clashesWithCore(entity: CustomFieldEntity, key: string): boolean {
  const names = [...Object.keys(getTableColumns(tables[entity])), ...Object.values(getTableColumns(tables[entity])).map((c) => c.name), ...extra];
  return names.some((n) => fold(n) === fold(key));
}
