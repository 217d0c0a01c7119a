import type { FieldError } from "../../lib/errors";
import { ValidationError } from "../../lib/errors";
import type { CustomFieldOption, CustomFieldType } from "../../schemas/custom-fields";
import { checkValue } from "./values";

export const isSelect = (t: string) => t === "single_select" || t === "multi_select";

/**
 * Checks the type-specific parts of a field definition together (options for selects only, a target for record
 * links, a default that is a valid value) and returns the options in display order. One 422 lists every problem.
 */
export function checkDefinition(def: {
  type: CustomFieldType;
  options?: CustomFieldOption[];
  settings?: Record<string, unknown>;
  defaultValue?: unknown;
}): { options: { value: string; label: string; color: string | null }[] } {
  const errors: FieldError[] = [];
  const opts = (def.options ?? []).map((o, i) => ({ ...o, i })).sort((a, b) => (a.order ?? a.i) - (b.order ?? b.i) || a.i - b.i);
  if (isSelect(def.type)) {
    if (!opts.length) errors.push({ path: "options", message: "a select field needs at least one option" });
    const seen = new Set<string>();
    for (const o of opts) {
      if (seen.has(o.value)) errors.push({ path: `options.${o.i}.value`, message: `"${o.value}" is listed twice` });
      seen.add(o.value);
    }
  } else if (opts.length) {
    errors.push({ path: "options", message: "only select fields have options" });
  }
  if (def.type === "record_link" && !def.settings?.target) errors.push({ path: "settings.target", message: "a record link needs a target entity" });
  const options = opts.map((o) => ({ value: o.value, label: o.label, color: o.color ?? null }));
  if (def.defaultValue !== undefined && def.defaultValue !== null) {
    if (def.type === "user" || def.type === "record_link") errors.push({ path: "defaultValue", message: "user and record link fields have no default" });
    else {
      const r = checkValue({ key: "defaultValue", type: def.type, options, settings: def.settings ?? {} }, def.defaultValue);
      if (!r.ok) errors.push({ path: "defaultValue", message: r.message });
    }
  }
  if (errors.length) throw new ValidationError("The field definition is invalid", errors);
  return { options };
}
