import type { NotNull } from "drizzle-orm";
import { bigint, boolean, date, doublePrecision, integer, text } from "drizzle-orm/pg-core";
import { columnOf, type EntityDecl, type FieldDecl } from "../../domain";
import { timestamptz } from "./columns";

/*
 * The plain columns of a record table, derived from its declaration in domain/: a new text, number, money, date,
 * date-time or checkbox field needs no line here, only its generated migration. Columns with more to say (references,
 * enums, generated columns, NOT NULL defaults, char(3) currencies) stay written out in crm.ts after the spread, where
 * they win over a derived one of the same key.
 */

const builders = {
  text: (n: string) => text(n),
  integer: (n: string) => integer(n),
  decimal: (n: string) => doublePrecision(n),
  money: (n: string) => bigint(n, { mode: "number" }),
  date: (n: string) => date(n, { mode: "string" }),
  datetime: (n: string) => timestamptz(n),
  checkbox: (n: string) => boolean(n),
};

type Plain<F> = F extends { readOnly: true } | { inputOnly: true } | { outputOnly: true } | { currency: true } | { target: string } | { column: null } | { notNull: true }
  ? false
  : F extends { type: "single_select" | "multi_select" | "user" | "record_link" }
    ? false
    : true;
type PlainKeys<Fs> = { [K in keyof Fs]: Plain<Fs[K]> extends true ? K : never }[keyof Fs];
type Builder<F extends FieldDecl> = F["type"] extends "money"
  ? ReturnType<typeof builders.money>
  : F["type"] extends "number" | "percent"
    ? F extends { decimal: true } ? ReturnType<typeof builders.decimal> : ReturnType<typeof builders.integer>
    : F["type"] extends "date"
      ? ReturnType<typeof builders.date>
      : F["type"] extends "datetime"
        ? ReturnType<typeof builders.datetime>
        : F["type"] extends "checkbox"
          ? ReturnType<typeof builders.checkbox>
          : ReturnType<typeof builders.text>;
export type DeclaredColumns<E extends EntityDecl> = {
  [K in PlainKeys<E["fields"]>]: E["fields"][K] extends { required: true } ? NotNull<Builder<E["fields"][K]>> : Builder<E["fields"][K]>;
};

function isPlain(f: FieldDecl): boolean {
  if (f.readOnly || f.inputOnly || f.outputOnly || f.currency || f.target || f.column === null || f.notNull) return false;
  return !["single_select", "multi_select", "user", "record_link"].includes(f.type);
}

function builderOf(f: FieldDecl) {
  switch (f.type) {
    case "money":
      return builders.money;
    case "number":
    case "percent":
      return f.decimal ? builders.decimal : builders.integer;
    case "date":
      return builders.date;
    case "datetime":
      return builders.datetime;
    case "checkbox":
      return builders.checkbox;
    default:
      return builders.text;
  }
}

/** Drizzle column builders of the declaration's plain fields (required ones NOT NULL), keyed like the API. */
export function declaredColumns<E extends EntityDecl>(e: E): DeclaredColumns<E> {
  const out: Record<string, unknown> = {};
  for (const [key, f] of Object.entries(e.fields)) {
    if (!isPlain(f)) continue;
    const col = builderOf(f)(columnOf(key, f)!);
    out[key] = f.required ? col.notNull() : col;
  }
  return out as DeclaredColumns<E>;
}
