/*
 * The grid's filter builder vocabulary: which fields a list can filter by and with which operators, and how an AND
 * of conditions becomes the list API's query parameters (the declared `?key=`, `closeFrom`/`amountMin` ranges, the
 * shared created/updated ranges and `custom.<key>[op]=`). Date presets ("this quarter") are stored as presets, so a
 * saved view rolls with the calendar.
 */
import { entityDecl, type FieldType } from "../../domain";
import { customFieldsOf, type Meta } from "./meta";
import type { RecordEntity } from "./records";

export type FilterOp = "eq" | "gte" | "lte" | "in" | "empty" | "contains";
export interface FilterCondition {
  field: string;
  op: string;
  value?: string;
}
export interface FilterOption {
  value: string;
  label: string;
}
export interface FilterFieldSpec {
  key: string;
  label: string;
  type: FieldType | "search";
  ops: FilterOp[];
  options?: FilterOption[];
  /** Core fields: the API parameters of the operators. */
  params?: Partial<Record<FilterOp, string>>;
  /** Datetime params (created/updated) take instants, date fields take days. */
  instant?: boolean;
}

export const OP_LABEL: Record<FilterOp, string> = { eq: "is", gte: "at least", lte: "at most", in: "in", empty: "is empty", contains: "contains" };

export const DATE_PRESETS: FilterOption[] = [
  { value: "today", label: "today" },
  { value: "this_week", label: "this week" },
  { value: "this_month", label: "this month" },
  { value: "this_quarter", label: "this quarter" },
  { value: "last_quarter", label: "last quarter" },
  { value: "next_quarter", label: "next quarter" },
  { value: "this_year", label: "this year" },
  { value: "last_30_days", label: "the last 30 days" },
  { value: "next_30_days", label: "the next 30 days" },
];

const day = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;

/** A preset as an inclusive range of local days. */
export function presetRange(preset: string, now = new Date()): [string, string] | null {
  const y = now.getFullYear();
  const m = now.getMonth();
  const q = Math.floor(m / 3);
  const at = (yy: number, mm: number, dd: number) => new Date(yy, mm, dd);
  switch (preset) {
    case "today":
      return [day(now), day(now)];
    case "this_week": {
      const start = at(y, m, now.getDate() - ((now.getDay() + 6) % 7));
      return [day(start), day(at(start.getFullYear(), start.getMonth(), start.getDate() + 6))];
    }
    case "this_month":
      return [day(at(y, m, 1)), day(at(y, m + 1, 0))];
    case "this_quarter":
      return [day(at(y, q * 3, 1)), day(at(y, q * 3 + 3, 0))];
    case "last_quarter":
      return [day(at(y, q * 3 - 3, 1)), day(at(y, q * 3, 0))];
    case "next_quarter":
      return [day(at(y, q * 3 + 3, 1)), day(at(y, q * 3 + 6, 0))];
    case "this_year":
      return [day(at(y, 0, 1)), day(at(y, 11, 31))];
    case "last_30_days":
      return [day(at(y, m, now.getDate() - 30)), day(now)];
    case "next_30_days":
      return [day(now), day(at(y, m, now.getDate() + 30))];
    default:
      return null;
  }
}

const CUSTOM_OPS: Partial<Record<FieldType, FilterOp[]>> = {
  number: ["eq", "gte", "lte", "empty"],
  money: ["eq", "gte", "lte", "empty"],
  percent: ["eq", "gte", "lte", "empty"],
  date: ["in", "gte", "lte", "empty"],
  datetime: ["in", "gte", "lte", "empty"],
  single_select: ["eq", "empty"],
  multi_select: ["eq", "empty"],
  checkbox: ["eq"],
  text: ["eq", "empty"],
  email: ["eq", "empty"],
  url: ["eq", "empty"],
  phone: ["eq", "empty"],
  user: ["eq", "empty"],
};

/** The fields a list filters by: search, the declared filters, created/updated, the filterable custom fields. */
export function filterFields(entity: RecordEntity, meta: Meta | null, lookups: { users: FilterOption[]; stages: FilterOption[] }): FilterFieldSpec[] {
  const decl = entityDecl(entity);
  const out: FilterFieldSpec[] = [{ key: "q", label: "Search", type: "search", ops: ["contains"], params: { contains: "q" } }];
  for (const [key, f] of Object.entries(decl.fields)) {
    if (!f.filter || key === "accountId") continue;
    const options = key === "ownerId" ? lookups.users : key === "stageId" ? lookups.stages : f.options?.map((o) => ({ value: o.value, label: o.label }));
    if (f.filter.eq) out.push({ key, label: f.label, type: f.type, ops: ["eq"], options, params: { eq: key } });
    else if (f.filter.from || f.filter.to) out.push({ key, label: f.label, type: f.type, ops: ["in", "gte", "lte"], params: { gte: f.filter.from, lte: f.filter.to, in: "" } });
    else if (f.filter.min || f.filter.max) out.push({ key, label: f.label, type: f.type, ops: ["gte", "lte"], params: { gte: f.filter.min, lte: f.filter.max } });
  }
  for (const [key, label] of [["createdAt", "Created"], ["updatedAt", "Updated"]] as const) {
    const stem = key.replace("At", "");
    out.push({ key, label, type: "datetime", ops: ["in", "gte", "lte"], params: { gte: `${stem}From`, lte: `${stem}To`, in: "" }, instant: true });
  }
  for (const c of customFieldsOf(meta, decl.key)) {
    const ops = CUSTOM_OPS[c.type];
    if (!c.filterable || !ops) continue;
    const options = c.type === "user" ? lookups.users : c.type === "checkbox" ? [{ value: "true", label: "Yes" }, { value: "false", label: "No" }] : c.options?.map((o) => ({ value: o.value, label: o.label }));
    out.push({ key: `custom.${c.key}`, label: c.label, type: c.type, ops, options });
  }
  return out;
}

/** Conditions (AND) → list query parameters. Incomplete conditions are left out rather than sent half-made. */
export function conditionsToQuery(conditions: readonly FilterCondition[], specs: readonly FilterFieldSpec[], now = new Date()): Record<string, string> {
  const out: Record<string, string> = {};
  const bySpec = new Map(specs.map((s) => [s.key, s]));
  for (const c of conditions) {
    const spec = bySpec.get(c.field);
    if (!spec) continue;
    const value = (c.value ?? "").trim();
    const custom = spec.key.startsWith("custom.");
    const instant = (v: string, end: boolean) => (spec.instant ? new Date(`${v}T${end ? "23:59:59.999" : "00:00:00"}`).toISOString() : v);
    const money = spec.type === "money" && !custom ? (v: string) => String(Math.round(Number(v) * 100)) : (v: string) => v;
    if (c.op === "empty") {
      if (custom) out[`${spec.key}[empty]`] = "true";
      continue;
    }
    if (!value) continue;
    if (c.op === "in") {
      const range = presetRange(value, now);
      if (!range) continue;
      if (custom) {
        out[`${spec.key}[gte]`] = range[0];
        out[`${spec.key}[lte]`] = spec.type === "datetime" ? `${range[1]}T23:59:59.999Z` : range[1];
      } else {
        out[spec.params!.gte!] = instant(range[0], false);
        out[spec.params!.lte!] = instant(range[1], true);
      }
      continue;
    }
    if (custom) out[c.op === "eq" ? spec.key : `${spec.key}[${c.op}]`] = value;
    else if (spec.params?.[c.op as FilterOp]) out[spec.params[c.op as FilterOp]!] = c.op === "eq" || c.op === "contains" ? value : instant(money(value), c.op === "lte");
  }
  return out;
}
