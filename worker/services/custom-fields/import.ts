import { ValidationError, type FieldError } from "../../lib/errors";
import type { CustomFieldRow } from "./registry";
import { checkValue } from "./values";

/**
 * CSV import of custom values: `custom.<key>` headers (or a header equal to the field's label) map to the field;
 * each cell is read by the field's type — numbers with thousands separators, money in the import's amount unit,
 * yes/no checkboxes, select options by value or label, multi-select cells split on ";" — then checked like an API
 * write. Used by worker/services/import/run.ts.
 */
export const customImportField = (key: string) => `custom.${key}`;

/** Extra mapping targets: `custom.<key>` per field, and lower-cased labels for header auto-matching. */
export function customImportTargets(fields: CustomFieldRow[]): { fields: string[]; byHeader: Map<string, string> } {
  const byHeader = new Map<string, string>();
  for (const f of fields) {
    byHeader.set(customImportField(f.key).toLowerCase(), customImportField(f.key));
    byHeader.set(f.label.trim().toLowerCase(), customImportField(f.key));
  }
  return { fields: fields.map((f) => customImportField(f.key)), byHeader };
}

const option = (f: CustomFieldRow, s: string) => f.options.find((o) => o.value.toLowerCase() === s.toLowerCase() || o.label.toLowerCase() === s.toLowerCase())?.value ?? s;
const NUMBER = /^[-+]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$/;

/** One cell as the field's typed value, or the message for the import's error list. */
export function parseCustomCell(f: CustomFieldRow, cell: string, opts: { amountUnit: "minor" | "major"; parseDate: (v: string) => { ok: true; value: string } | { ok: false; message: string } }): { ok: true; value: unknown } | { ok: false; message: string } {
  let v: unknown = cell;
  switch (f.type) {
    case "number":
    case "percent":
    case "money": {
      const s = cell.replace(/\s/g, "").replace(/%$/, "");
      if (!NUMBER.test(s)) return { ok: false, message: `"${cell}" is not a number` };
      const n = Number(s.replace(/,/g, ""));
      v = f.type === "money" && opts.amountUnit === "major" ? Math.round(n * 100) : n;
      break;
    }
    case "checkbox": {
      const b = ({ true: true, yes: true, y: true, "1": true, x: true, false: false, no: false, n: false, "0": false } as Record<string, boolean>)[cell.toLowerCase()];
      if (b === undefined) return { ok: false, message: `"${cell}" is not yes/no` };
      v = b;
      break;
    }
    case "date": {
      const r = opts.parseDate(cell);
      if (!r.ok) return r;
      v = r.value;
      break;
    }
    case "single_select":
      v = option(f, cell);
      break;
    case "multi_select":
      v = cell.split(";").map((p) => p.trim()).filter(Boolean).map((p) => option(f, p));
      break;
  }
  return checkValue(f, v);
}

/**
 * New records: the field defaults under the imported values, and every required field present. Existing records
 * keep what they have (the write merges the imported keys into their `custom`). Errors name the column.
 */
export function customForNewRecord(fields: CustomFieldRow[], given: Record<string, unknown>, headerOf: (field: string) => string | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const errors: FieldError[] = [];
  for (const f of fields) {
    if (given[f.key] !== undefined) continue;
    const d = f.defaultValue === null || f.defaultValue === undefined ? null : checkValue(f, f.defaultValue);
    if (d?.ok && d.value !== null) out[f.key] = d.value;
    else if (f.required) errors.push({ path: headerOf(customImportField(f.key)) ?? customImportField(f.key), message: "is required" });
  }
  if (errors.length) throw new ValidationError("required custom fields are missing", errors);
  return { ...out, ...given };
}
