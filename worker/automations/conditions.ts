import type { AutomationCondition } from "../schemas/automations";
import { fieldValue } from "./subject";

export interface ConditionResult {
  field: string;
  op: string;
  expected: unknown;
  actual: unknown;
  ok: boolean;
}

const empty = (v: unknown) => v === null || v === undefined || v === "" || (Array.isArray(v) && v.length === 0);
const num = (v: unknown) => (typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" && !Number.isNaN(Number(v)) ? Number(v) : null);

/** Compares numbers as numbers, dates (ISO strings) as strings, everything else as JSON. */
function compare(a: unknown, b: unknown): number | null {
  const x = num(a);
  const y = num(b);
  if (x !== null && y !== null) return x - y;
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  return null;
}

const same = (a: unknown, b: unknown) => {
  const c = compare(a, b);
  return c === null ? JSON.stringify(a ?? null) === JSON.stringify(b ?? null) : c === 0;
};

export function checkCondition(record: Record<string, unknown>, c: AutomationCondition): ConditionResult {
  const actual = fieldValue(record, c.field);
  const v = c.value;
  let ok: boolean;
  switch (c.op) {
    case "eq":
      ok = same(actual, v);
      break;
    case "neq":
      ok = !same(actual, v);
      break;
    case "gt":
    case "gte":
    case "lt":
    case "lte": {
      const d = empty(actual) ? null : compare(actual, v);
      ok = d !== null && (c.op === "gt" ? d > 0 : c.op === "gte" ? d >= 0 : c.op === "lt" ? d < 0 : d <= 0);
      break;
    }
    case "contains":
      ok = Array.isArray(actual)
        ? actual.some((x) => same(x, v))
        : typeof actual === "string" && typeof v === "string" && actual.toLowerCase().includes(v.toLowerCase());
      break;
    case "in":
      ok = Array.isArray(v) && v.some((x) => same(actual, x));
      break;
    case "is_empty":
      ok = empty(actual);
      break;
    case "is_not_empty":
      ok = !empty(actual);
      break;
  }
  return { field: c.field, op: c.op, expected: v ?? null, actual: actual ?? null, ok };
}

/** All conditions must hold (AND). No record (a schedule): only an empty list holds. */
export function evaluateConditions(record: Record<string, unknown> | null, conditions: AutomationCondition[]): { matches: boolean; results: ConditionResult[] } {
  if (!record) return { matches: conditions.length === 0, results: [] };
  const results = conditions.map((c) => checkCondition(record, c));
  return { matches: results.every((r) => r.ok), results };
}
