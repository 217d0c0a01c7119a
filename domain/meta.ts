/*
 * Field metadata (one shape for core and custom fields): what GET /api/meta answers per field and what the SPA renders
 * lists, detail pages, quick create and the import wizard from. Core fields are derived from the declarations here;
 * custom fields are mapped from the custom_fields registry by the meta service. No zod.
 */
import { importFieldsOf } from "./import";
import type { EntityDecl, EntityKey, FieldOption, FieldType } from "./field";

export interface FieldMeta {
  key: string;
  label: string;
  type: FieldType;
  source: "core" | "custom";
  required: boolean;
  readOnly: boolean;
  options?: FieldOption[];
  target?: EntityKey | "user" | "stage";
  helpText?: string;
  filterable: boolean;
  sortable: boolean;
  showOnCard: boolean;
  showInQuickCreate: boolean;
  /** Shown as a column of the entity's list (core: declared; custom: shown on cards). */
  showInList: boolean;
  /** Shown on the record's detail page. */
  showOnDetail: boolean;
  importable: boolean;
  exportable: boolean;
  aiPrivate: boolean;
  position: number;
}

const memo = new WeakMap<EntityDecl, FieldMeta[]>();

/** The core fields of an entity as metadata, in declaration order. */
export function coreFieldMeta(e: EntityDecl): FieldMeta[] {
  const hit = memo.get(e);
  if (hit) return hit;
  const importable = new Set(importFieldsOf(e).map((f) => f.field));
  const out = Object.entries(e.fields).map(([key, f], position): FieldMeta => ({
    key,
    label: f.label,
    type: f.type,
    source: "core",
    required: Boolean(f.required),
    readOnly: Boolean(f.readOnly || f.outputOnly),
    ...(f.options ? { options: f.options.map((o) => ({ ...o })) } : {}),
    ...(f.target ? { target: f.target } : {}),
    ...(f.helpText ? { helpText: f.helpText } : {}),
    filterable: Boolean(f.filter),
    sortable: Boolean(f.sort),
    showOnCard: Boolean(f.ui?.card),
    showInQuickCreate: Boolean(f.ui?.quickCreate),
    showInList: Boolean(f.ui?.list),
    showOnDetail: f.ui?.detail ?? false,
    importable: importable.has(key),
    exportable: importable.has(key) && f.export !== false,
    aiPrivate: Boolean(f.ai && f.ai.private),
    position,
  }));
  memo.set(e, out);
  return out;
}
