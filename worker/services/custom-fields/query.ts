import { sql, type SQL } from "drizzle-orm";
import { ValidationError } from "../../lib/errors";
import type { CustomFieldType } from "../../schemas/custom-fields";
import { checkValue } from "./values";
import type { CustomFieldRow } from "./registry";

/**
 * How a custom value is compared, sorted and indexed. One expression per type class, written identically in list
 * queries and in the expression indexes (indexes.ts), so the planner can match them.
 *
 * - numeric (number, money, percent): the JSON number as numeric, NULL when the stored value is not a number
 *   (a CASE on jsonb_typeof, so a stray value never makes a query or an index build fail: the cast alone would).
 * - boolean (checkbox): likewise.
 * - text (everything else sortable; dates and date-times are stored as YYYY-MM-DD / UTC ISO strings, so text order
 *   is time order — a text→date cast is not immutable and could not be indexed): the first 300 characters, so an
 *   index row stays under Postgres' size limit whatever another workspace stores under the same key.
 */
export type TypeClass = "numeric" | "boolean" | "text";

export function typeClass(type: string): TypeClass | null {
  switch (type as CustomFieldType) {
    case "number":
    case "money":
    case "percent":
      return "numeric";
    case "checkbox":
      return "boolean";
    case "long_text":
    case "multi_select":
      return null;
    default:
      return "text";
  }
}

export const TEXT_PREFIX = 300;

/** The expression as raw SQL text (for index DDL); `key` is a validated identifier ([a-zA-Z0-9_]), safe to inline. */
export function expressionText(key: string, cls: TypeClass, alias = ""): string {
  if (!/^[a-zA-Z0-9_]+$/.test(key)) throw new Error(`unsafe custom field key ${key}`);
  const col = `${alias}custom`;
  switch (cls) {
    case "numeric":
      return `(CASE WHEN jsonb_typeof(${col} -> '${key}') = 'number' THEN (${col} ->> '${key}')::numeric END)`;
    case "boolean":
      return `(CASE WHEN jsonb_typeof(${col} -> '${key}') = 'boolean' THEN (${col} ->> '${key}')::boolean END)`;
    case "text":
      return `("left"(${col} ->> '${key}', ${TEXT_PREFIX}))`;
  }
}

/** `"opportunities".` for a query that joins other tables with a `custom` column (exports), else nothing. */
const qualifier = (table?: string) => (table ? `"${table.replace(/"/g, "")}".` : "");

export const castOf: Record<TypeClass, string> = { numeric: "::numeric", boolean: "::boolean", text: "::text" };

/** `sort=custom.<key>`: the sort expression and its cursor cast, or a 400 naming why not. */
export function customSort(fields: CustomFieldRow[], name: string, table?: string): { expr: SQL; cast: string } {
  const key = name.slice("custom.".length);
  const f = fields.find((x) => x.key === key);
  if (!f) throw new ValidationError(`Cannot sort by "${name}"`, [{ path: "sort", message: `no custom field "${key}" on this record type` }], 400);
  const cls = typeClass(f.type);
  if (!cls) throw new ValidationError(`Cannot sort by "${name}"`, [{ path: "sort", message: `a ${f.type.replace("_", " ")} field is not sortable` }], 400);
  return { expr: sql.raw(expressionText(key, cls, qualifier(table))), cast: castOf[cls] };
}

const OPS = { eq: "=", gt: ">", gte: ">=", lt: "<", lte: "<=" } as const;
type Op = keyof typeof OPS;

/**
 * `?custom.<key>=value` (equality; a multi select matches records holding that option) and, for numbers, money,
 * percentages, dates and date-times, ranges: `custom.<key>[gte]=`, `[gt]`, `[lte]`, `[lt]`. Values are checked
 * against the field's type (400 naming the parameter). `empty`: `custom.<key>[empty]=true|false`.
 */
export function customFilters(fields: CustomFieldRow[], raw: Record<string, string>, table?: string): SQL[] {
  const out: SQL[] = [];
  const custom = sql.raw(`${qualifier(table)}custom`);
  for (const [param, value] of Object.entries(raw)) {
    const m = /^custom\.([a-zA-Z0-9_]+)(?:\[(eq|gt|gte|lt|lte|empty)\])?$/.exec(param);
    const fail = (message: string) => new ValidationError(`Cannot filter by "${param}"`, [{ path: param, message }], 400);
    if (!m) throw fail("use custom.<key>=value or custom.<key>[gte|gt|lte|lt|empty]=value");
    const [, key, opName = "eq"] = m as unknown as [string, string, string | undefined];
    const f = fields.find((x) => x.key === key);
    if (!f) throw fail(`no custom field "${key}" on this record type`);
    if (opName === "empty") {
      if (value !== "true" && value !== "false") throw fail("must be true or false");
      out.push(value === "true" ? sql`not (${custom} ? ${key})` : sql`${custom} ? ${key}`);
      continue;
    }
    const op = opName as Op;
    if (f.type === "multi_select") {
      if (op !== "eq") throw fail("a multi select filters by one option value");
      if (!f.options.some((o) => o.value === value)) throw fail(`"${value}" is not an option of this field`);
      out.push(sql`${custom} -> ${key} @> ${JSON.stringify([value])}::jsonb`);
      continue;
    }
    const cls = typeClass(f.type);
    if (!cls) throw fail(`a ${f.type.replace("_", " ")} field cannot be filtered`);
    const ranged = ["number", "money", "percent", "date", "datetime"].includes(f.type);
    if (op !== "eq" && !ranged) throw fail(`a ${f.type.replace("_", " ")} field filters by equality only`);
    const typed =
      cls === "numeric" ? (value.trim() === "" ? Number.NaN : Number(value))
      : cls === "boolean" ? (value === "true" ? true : value === "false" ? false : value)
      : value;
    const r = checkValue({ ...f, type: f.type === "money" && op !== "eq" ? "number" : f.type }, typed);
    if (!r.ok || r.value === null) throw fail(r.ok ? "needs a value" : r.message);
    const expr = sql.raw(expressionText(key, cls, qualifier(table)));
    const v = cls === "text" ? String(r.value).slice(0, TEXT_PREFIX) : r.value;
    out.push(sql`${expr} ${sql.raw(OPS[op])} ${v}${sql.raw(castOf[cls])}`);
    // The index holds a prefix of long texts: recheck the whole value for equality.
    if (cls === "text" && op === "eq" && String(r.value).length > TEXT_PREFIX) out.push(sql`${custom} ->> ${key} = ${r.value}`);
  }
  return out;
}
