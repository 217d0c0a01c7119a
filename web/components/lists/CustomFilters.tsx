/*
 * Filters for the custom fields marked filterable (Settings → Fields), by type: a select for single selects,
 * checkboxes and users. They read and write `custom.<key>` in the URL, the parameter the list API takes.
 */
import { useMemo } from "react";
import type { EntityKey } from "../../../domain";
import { customFieldsOf, type FieldMeta, type Meta } from "../../lib/meta";
import { FilterSelect } from "./ListFilters";

const FILTERABLE: ReadonlySet<FieldMeta["type"]> = new Set(["single_select", "checkbox", "user"]);

const filterable = (meta: Meta | null, entity: EntityKey) => customFieldsOf(meta, entity).filter((f) => f.filterable && FILTERABLE.has(f.type));

/** The list's filter keys plus `custom.<key>` for each filterable custom field (stable between renders). */
export function useFilterKeys(meta: Meta | null, entity: EntityKey, base: readonly string[]): readonly string[] {
  // Keyed by content: metadata arriving without filterable fields must not change the list's query (no refetch).
  const joined = [...base, ...filterable(meta, entity).map((f) => `custom.${f.key}`)].join("\n");
  return useMemo(() => joined.split("\n"), [joined]);
}

/** Clears every filter a list knows, custom ones included. */
export const clearAll = (keys: readonly string[]) => Object.fromEntries(keys.map((k) => [k, undefined]));

export function CustomFilters({ meta, entity, filters, users, onChange }: {
  meta: Meta | null;
  entity: EntityKey;
  filters: Record<string, string>;
  users: readonly { id: string; name: string }[];
  onChange: (changes: Record<string, string | undefined>) => void;
}) {
  return (
    <>
      {filterable(meta, entity).map((f) => {
        const options =
          f.type === "checkbox" ? [{ value: "true", label: "Yes" }, { value: "false", label: "No" }]
          : f.type === "user" ? users.map((u) => ({ value: u.id, label: u.name }))
          : (f.options ?? []).map((o) => ({ value: o.value, label: o.label }));
        const key = `custom.${f.key}`;
        return <FilterSelect key={key} label={f.label} allLabel="Any" value={filters[key] ?? ""} onChange={(v) => onChange({ [key]: v || undefined })} options={options} />;
      })}
    </>
  );
}
