/*
 * Inputs for the custom fields a form shows (quick create: fields marked "show in quick create"), one by type, and
 * the parse of what was typed into `custom: { <key>: value }` for the create body. Errors are keyed `custom.<key>`,
 * the path the server names in a 422.
 */
import type { FieldMeta } from "../../lib/meta";
import { parseMoneyInput } from "../../lib/format";
import { SelectField } from "../ui/SelectField";
import { TextField } from "../ui/TextField";

export type CustomInputValues = Record<string, string | string[] | boolean>;

const INPUT_TYPE: Partial<Record<FieldMeta["type"], string>> = {
  number: "number", percent: "number", date: "date", datetime: "datetime-local", email: "email", url: "url", phone: "tel",
};

export function CustomFieldInputs({ fields, values, errors, users, onChange }: {
  fields: readonly FieldMeta[];
  values: CustomInputValues;
  errors: Record<string, string | undefined>;
  users: readonly { id: string; name: string }[];
  onChange: (key: string, value: string | string[] | boolean) => void;
}) {
  return (
    <>
      {fields.map((f) => {
        const error = errors[`custom.${f.key}`];
        const v = values[f.key];
        if (f.type === "checkbox") {
          return (
            <label key={f.key} className="flex items-center gap-2 text-sm font-medium text-slate-700">
              <input type="checkbox" className="size-4 rounded border-slate-300" checked={v === true} onChange={(e) => onChange(f.key, e.target.checked)} />
              {f.label}
            </label>
          );
        }
        if (f.type === "single_select" || f.type === "user") {
          const options = f.type === "user" ? users.map((u) => ({ value: u.id, label: u.name })) : (f.options ?? []);
          return (
            <SelectField key={f.key} label={f.label} hint={f.helpText} error={error} value={typeof v === "string" ? v : ""} onChange={(e) => onChange(f.key, e.target.value)}>
              <option value="">—</option>
              {options.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </SelectField>
          );
        }
        if (f.type === "multi_select") {
          const chosen = Array.isArray(v) ? v : [];
          return (
            <fieldset key={f.key}>
              <legend className="text-sm font-medium text-slate-700">{f.label}</legend>
              <div className="mt-1.5 flex flex-wrap gap-3">
                {(f.options ?? []).map((o) => (
                  <label key={o.value} className="flex items-center gap-1.5 text-sm text-slate-700">
                    <input
                      type="checkbox"
                      className="size-4 rounded border-slate-300"
                      checked={chosen.includes(o.value)}
                      onChange={(e) => onChange(f.key, e.target.checked ? [...chosen, o.value] : chosen.filter((x) => x !== o.value))}
                    />
                    {o.label}
                  </label>
                ))}
              </div>
              {error && <p className="mt-1 text-sm text-red-600">{error}</p>}
            </fieldset>
          );
        }
        return (
          <TextField
            key={f.key}
            label={f.label}
            hint={f.helpText ?? (f.type === "record_link" ? `The ${f.target ?? "record"}'s ID` : undefined)}
            error={error}
            type={INPUT_TYPE[f.type] ?? "text"}
            inputMode={f.type === "money" ? "decimal" : undefined}
            value={typeof v === "string" ? v : ""}
            onChange={(e) => onChange(f.key, e.target.value)}
          />
        );
      })}
    </>
  );
}

/** What was typed, as custom values (empty inputs left out), or errors keyed `custom.<key>`. */
export function parseCustomInputs(fields: readonly FieldMeta[], values: CustomInputValues, currency = "USD"): { custom: Record<string, unknown>; errors: Record<string, string> } {
  const custom: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const f of fields) {
    const v = values[f.key];
    if (v === undefined || v === "" || (Array.isArray(v) && v.length === 0)) {
      if (f.required) errors[`custom.${f.key}`] = `Enter ${f.label.toLowerCase()}`;
      continue;
    }
    if (typeof v === "boolean" || Array.isArray(v)) {
      custom[f.key] = v;
      continue;
    }
    if (f.type === "number" || f.type === "percent") {
      const n = Number(v);
      if (!Number.isFinite(n)) errors[`custom.${f.key}`] = "Enter a number";
      else custom[f.key] = n;
    } else if (f.type === "money") {
      const parsed = parseMoneyInput(v, currency);
      if (!parsed.ok) errors[`custom.${f.key}`] = parsed.error;
      else custom[f.key] = parsed.minor;
    } else if (f.type === "datetime") {
      custom[f.key] = new Date(v).toISOString();
    } else {
      custom[f.key] = v.trim();
    }
  }
  return { custom, errors };
}
