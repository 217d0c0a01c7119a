import { sortableCustomTypes, type CustomFieldType } from "../../schemas/custom-fields";
import type { CustomFieldRow } from "./registry";

/**
 * A registry row as GET /api/meta's field metadata (the one shape core and custom fields share, BRIEF: "Field
 * metadata JSON"). `key` is `custom.<key>`: the name the field has in filters, sort, import headers and export columns;
 * values travel under `custom[<key>]` in record payloads.
 */
export function customFieldMeta(f: CustomFieldRow) {
  const type = f.type as CustomFieldType;
  const settings = f.settings as { target?: string; aiPrivate?: boolean };
  return {
    key: `custom.${f.key}`,
    label: f.label,
    type,
    source: "custom" as const,
    required: f.required,
    readOnly: false,
    ...(f.options.length ? { options: f.options.map((o) => ({ value: o.value, label: o.label, color: o.color ?? null })) } : {}),
    ...(type === "record_link" && settings.target ? { target: settings.target } : {}),
    ...(f.helpText ? { helpText: f.helpText } : {}),
    // The admin's choice: offered as a list filter and indexed. (The API filters on any field but long text.)
    filterable: f.filterable,
    sortable: sortableCustomTypes.includes(type),
    showOnCard: f.showOnCard,
    showInQuickCreate: f.showInQuickCreate,
    importable: true,
    exportable: true,
    aiPrivate: settings.aiPrivate === true,
    position: f.position,
  };
}
