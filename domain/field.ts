/*
 * The vocabulary of a field declaration. Plain data (no zod, no SQL): the SPA imports the declarations without pulling
 * a validation library into the browser, and the Worker derives its zod contracts (domain/contracts.ts), import specs,
 * export columns, list sorts/filters, AI rows and GET /api/meta from the same objects.
 */

/** Field types, shared with custom fields (custom_fields.type). */
export const FIELD_TYPES = [
  "text", "long_text", "number", "money", "percent", "date", "datetime", "checkbox",
  "single_select", "multi_select", "url", "email", "phone", "user", "record_link",
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export const ENTITY_KEYS = ["account", "contact", "lead", "opportunity"] as const;
export type EntityKey = (typeof ENTITY_KEYS)[number];
export type EntityPlural = "accounts" | "contacts" | "leads" | "opportunities";

/** What a reference points at: a record, a user (owner) or a pipeline stage. */
export type RefTarget = EntityKey | "user" | "stage";
/** How an import cell or export column names the referenced row. */
export type RefBy = "id" | "externalId" | "name" | "email" | "pipeline";

export interface FieldOption {
  value: string;
  label: string;
  color?: string | null;
}

export interface FieldDecl {
  label: string;
  type: FieldType;
  /** DB column (snake_case); defaults to the key in snake_case. Null: not a column of the table (input-only). */
  column?: string | null;
  /** Written by the system, never by a client (timestamps, conversion links, Kanban bookkeeping). */
  readOnly?: boolean;
  /** Create needs a non-empty value; update may leave it out but not clear it. */
  required?: boolean;
  /** The column is NOT NULL with a default: input may omit it but never send null; output is never null. */
  notNull?: boolean;
  /** Text/long text/url/email/phone: maximum length after trimming. Numbers: bounds. */
  max?: number;
  min?: number;
  /** Numbers: fractional values allowed (default: integers). */
  decimal?: true;
  /** Read-only on create but a client may send it on update (Kanban position, optimistic-concurrency version). */
  updateOnly?: true;
  /** Text that may be sent but is stored elsewhere (contacts' `name` is split into first/last name). */
  inputOnly?: boolean;
  /** Output-only, or computed from other columns (contacts' `name`). */
  outputOnly?: boolean;
  /** Selects: the allowed values (output), and the subset a client may write. */
  options?: readonly FieldOption[];
  inputOptions?: readonly string[];
  /** Money fields: the sibling field holding the ISO currency. `currency`-typed text: the field *is* a currency code. */
  currency?: true;
  target?: RefTarget;
  description?: string;
  helpText?: string;
  /** List support: sortable (cast of its cursor value), filter parameters (`?key=` equality or a range). */
  sort?: { cast?: string };
  filter?: { eq?: true; from?: string; to?: string; min?: string; max?: string };
  /**
   * CSV import: header aliases the wizard recognises; `false` keeps the field out of the import. References
   * declare which ways of naming the row an import accepts (`by`), each becoming an import field
   * `<prefix><By>` (ownerId, ownerEmail, accountName…).
   */
  import?: false | {
    aliases?: readonly string[];
    label?: string;
    /** NOT NULL with a default: an empty cell keeps the current value (a blank stage must not move a deal). */
    keepWhenEmpty?: true;
    by?: readonly RefBy[];
    prefix?: string;
    /** Per way of naming: the wizard's label and header aliases. */
    byAliases?: Partial<Record<RefBy, readonly string[]>>;
    byLabels?: Partial<Record<RefBy, string>>;
  };
  /** CSV export: `false` leaves it out; references export the listed ways of naming the row. */
  export?: false | { by?: readonly RefBy[] };
  /** Where the SPA shows it. */
  ui?: { list?: boolean; detail?: boolean; quickCreate?: boolean; card?: boolean; wide?: boolean };
  /** AI context: `false` leaves it out; `private: true` removes it (and scrubs its values) by default. */
  ai?: false | { private?: boolean; clip?: number };
}

export interface EntityDecl<F extends Record<string, FieldDecl> = Record<string, FieldDecl>> {
  key: EntityKey;
  plural: EntityPlural;
  label: string;
  labelPlural: string;
  table: string;
  fields: F;
  /** List sort when none is asked. */
  defaultSort: string;
  /** An import must map at least one of these fields. */
  requiredAnyOf: readonly string[];
  /** Natural keys an import matches existing rows on after externalId, in order. */
  matchKeys: readonly ("externalId" | "email" | "domain" | "name")[];
  /** Create needs a name or an e-mail (people). */
  nameOrEmail?: true;
}

/** Keeps the literal field keys of a declaration (so contracts derived from it are typed per key). */
export const defineEntity = <F extends Record<string, FieldDecl>>(e: EntityDecl<F>): EntityDecl<F> => e;

export const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The DB column of a field, or null for input-only fields. */
export const columnOf = (key: string, f: FieldDecl): string | null => (f.column === undefined ? snake(key) : f.column);

/** Import/export names of a reference: `ownerId` + by email → `ownerEmail`. */
export function refName(key: string, f: FieldDecl, by: RefBy): string {
  if (by === "id") return key;
  // A deal's pipeline (name or key) is the import/export column "pipeline": where its stage name is looked up.
  if (by === "pipeline") return "pipeline";
  const prefix = (f.import && f.import.prefix) || key.replace(/Id$/, "");
  return prefix + by[0]!.toUpperCase() + by.slice(1);
}

/** Columns every record has, outside the declarations: identity, tenant, timestamps, search, custom values. */
export const SYSTEM_COLUMNS = ["id", "workspace_id", "created_at", "updated_at", "deleted_at", "search", "custom"] as const;

const TITLE = (s: string) => s[0]!.toUpperCase() + s.slice(1);
export const humanise = (key: string) => TITLE(key.replace(/([A-Z])/g, " $1").toLowerCase());
