import { sql } from "drizzle-orm";
import { rowsOf, type Executor } from "../../../db/client";
import type { CustomFieldType } from "../../schemas/custom-fields";
import { tableOfEntity } from "./indexes";
import type { CustomFieldEntity, CustomFieldRow } from "./registry";
import { checkValue, type Checked } from "./values";

type Field = Pick<CustomFieldRow, "key" | "type" | "options" | "settings">;
const NUMERIC = /^[-+]?\d+(\.\d+)?$/;

/** A value of one type as the nearest value of another, before the target type's own check. */
function coerce(from: Field, to: Field, v: unknown): unknown {
  const toType = to.type as CustomFieldType;
  const text = (x: unknown) =>
    Array.isArray(x) ? x.map((e) => labelOf(from, e)).join(", ")
    : typeof x === "string" && from.type === "single_select" ? labelOf(from, x)
    : typeof x === "number" && from.type === "money" ? (x / 100).toFixed(2)
    : String(x);
  switch (toType) {
    case "text":
    case "long_text":
    case "email":
    case "url":
    case "phone":
      return text(v);
    case "number":
    case "percent":
      if (typeof v === "number") return from.type === "money" ? v / 100 : v;
      if (typeof v === "string" && NUMERIC.test(v.trim().replace(/,/g, ""))) return Number(v.trim().replace(/,/g, ""));
      if (typeof v === "boolean") return v ? 1 : 0;
      return v;
    case "money": {
      // A plain amount (12.50) becomes minor units (1250); more than two decimals do not convert.
      const n = typeof v === "number" ? v : typeof v === "string" && NUMERIC.test(v.trim().replace(/,/g, "")) ? Number(v.trim().replace(/,/g, "")) : null;
      if (n === null) return v;
      const cents = Math.round(n * 100);
      return Math.abs(cents - n * 100) < 1e-6 ? cents : v;
    }
    case "checkbox":
      if (typeof v === "string") return ({ true: true, yes: true, "1": true, false: false, no: false, "0": false } as Record<string, boolean>)[v.trim().toLowerCase()] ?? v;
      if (v === 1 || v === 0) return v === 1;
      return v;
    case "date":
      return typeof v === "string" && /^\d{4}-\d{2}-\d{2}T/.test(v) ? v.slice(0, 10) : v;
    case "datetime":
      return typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00.000Z` : v;
    case "single_select": {
      const s = Array.isArray(v) && v.length === 1 ? v[0] : v;
      return typeof s === "string" ? optionFor(to, labelOf(from, s)) ?? s : s;
    }
    case "multi_select": {
      const parts = Array.isArray(v) ? v : typeof v === "string" ? v.split(",").map((p) => p.trim()).filter(Boolean) : [v];
      return parts.map((p) => (typeof p === "string" ? optionFor(to, labelOf(from, p)) ?? p : p));
    }
    default:
      return v;
  }
}

const labelOf = (f: Field, value: unknown) => (typeof value === "string" ? (f.options.find((o) => o.value === value)?.label ?? value) : String(value));
/** An option matched by value or label, case-insensitively. */
const optionFor = (f: Field, s: string) => f.options.find((o) => o.value.toLowerCase() === s.toLowerCase() || o.label.toLowerCase() === s.toLowerCase())?.value;

/** A stored value converted to the new definition, or why not. */
export function convertValue(from: Field, to: Field, v: unknown): Checked {
  const r = checkValue(to, coerce(from, to, v));
  if (r.ok && r.value === null) return { ok: false, message: "converts to an empty value" };
  return r;
}

/** Linked ids that do not exist (live) in the workspace, for a type change to user / record link. */
export async function missingIds(db: Executor, workspaceId: string, to: Field, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const table = to.type === "user" ? "users" : tableOfEntity[(to.settings as { target: CustomFieldEntity }).target];
  const res = await db.execute(
    sql`select id::text as id from ${sql.identifier(table)} where workspace_id = ${workspaceId} and deleted_at is null and id in (${sql.join(ids.map((i) => sql`${i}::uuid`), sql`, `)})`,
  );
  const found = new Set(rowsOf<{ id: string }>(res).map((r) => r.id));
  return new Set(ids.filter((i) => !found.has(i)));
}
