import { useCustomFields, type CustomFieldEntity } from "../../lib/custom-fields";
import { FilterSelect } from "../lists/ListFilters";

/**
 * List filters for the entity's select and checkbox custom fields (`?custom.<key>=`), beside the core filters.
 * Filterable fields come first: they have an index, so the list stays fast at any size.
 */
export function CustomFieldFilters({ entity, filters, setFilters }: { entity: CustomFieldEntity; filters: Record<string, string>; setFilters: (changes: Record<string, string | undefined>) => void }) {
  const fields = useCustomFields(entity)
    .filter((f) => f.type === "single_select" || f.type === "multi_select" || f.type === "checkbox")
    .sort((a, b) => Number(b.filterable) - Number(a.filterable));
  return (
    <>
      {fields.map((f) => (
        <FilterSelect
          key={f.key}
          label={f.label}
          allLabel={`Any ${f.label.toLowerCase()}`}
          value={filters[`custom.${f.key}`] ?? ""}
          onChange={(v) => setFilters({ [`custom.${f.key}`]: v })}
          options={f.type === "checkbox" ? [{ value: "true", label: "Yes" }, { value: "false", label: "No" }] : f.options.map((o) => ({ value: o.value, label: o.label }))}
        />
      ))}
    </>
  );
}
