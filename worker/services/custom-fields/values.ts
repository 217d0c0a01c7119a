import type { Executor } from "../../../db/client";
import { ValidationError, type FieldError } from "../../lib/errors";
import { isUuid } from "../../lib/uuid";
import type { CustomFieldType } from "../../schemas/custom-fields";
import { assertRefs } from "../records/refs";
import { listCustomFields, type CustomFieldEntity, type CustomFieldRow, CUSTOM_FIELD_ENTITIES } from "./registry";

/** Longest accepted value per textual type (characters). Text values stay short enough for a btree index. */
const MAX_LEN: Partial<Record<CustomFieldType, number>> = { text: 500, long_text: 10_000, url: 1000, email: 254, phone: 50 };
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9 ().\-/]{3,40}(\s*(x|ext\.?)\s*\d{1,6})?$/i;

export const isCustomEntity = (t: string): t is CustomFieldEntity => (CUSTOM_FIELD_ENTITIES as readonly string[]).includes(t);

type Field = Pick<CustomFieldRow, "key" | "type" | "options" | "settings">;
export type Checked = { ok: true; value: unknown } | { ok: false; message: string };

/**
 * One value against its field's type, synchronously: the typed, normalised value to store, or why not. Ids (user,
 * record link) are only checked for shape here; `resolveCustomValues` checks they exist in the workspace.
 * null always passes (it clears the key).
 */
export function checkValue(field: Field, value: unknown): Checked {
  if (value === null) return { ok: true, value: null };
  const type = field.type as CustomFieldType;
  const bad = (message: string): Checked => ({ ok: false, message });
  switch (type) {
    case "text":
    case "long_text":
    case "phone":
    case "email":
    case "url": {
      if (typeof value !== "string") return bad("must be a string");
      const v = value.trim();
      if (v.length > MAX_LEN[type]!) return bad(`must be at most ${MAX_LEN[type]} characters`);
      if (v === "") return { ok: true, value: null };
      if (type === "email") return EMAIL.test(v) ? { ok: true, value: v.toLowerCase() } : bad("must be an e-mail address");
      if (type === "phone") return PHONE.test(v) && /\d.*\d.*\d/.test(v) ? { ok: true, value: v } : bad("must be a phone number");
      if (type === "url") {
        try {
          const u = new URL(v);
          if (u.protocol !== "http:" && u.protocol !== "https:") return bad("must be an http(s) URL");
        } catch {
          return bad("must be an http(s) URL");
        }
      }
      return { ok: true, value: v };
    }
    case "number":
    case "percent":
      if (typeof value !== "number" || !Number.isFinite(value)) return bad("must be a number");
      if (type === "percent" && (value < -1000 || value > 1000)) return bad("must be a percentage between -1000 and 1000");
      return { ok: true, value };
    case "money":
      if (typeof value !== "number" || !Number.isSafeInteger(value)) return bad("must be an integer amount in minor units (e.g. cents)");
      return { ok: true, value };
    case "checkbox":
      return typeof value === "boolean" ? { ok: true, value } : bad("must be true or false");
    case "date": {
      const m = typeof value === "string" ? DATE.exec(value) : null;
      if (!m) return bad("must be a date YYYY-MM-DD");
      const d = new Date(`${value as string}T00:00:00Z`);
      if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value) return bad("must be a real date YYYY-MM-DD");
      return { ok: true, value };
    }
    case "datetime": {
      if (typeof value !== "string" || !DATETIME.test(value)) return bad("must be an ISO 8601 date-time with a time zone");
      const d = new Date(value);
      if (Number.isNaN(d.getTime())) return bad("must be an ISO 8601 date-time with a time zone");
      // Stored in UTC, one format: text order is time order (the index and keyset sort rely on it).
      return { ok: true, value: d.toISOString() };
    }
    case "single_select": {
      if (typeof value !== "string") return bad("must be one of the field's option values");
      return field.options.some((o) => o.value === value) ? { ok: true, value } : bad(`"${value}" is not an option of this field`);
    }
    case "multi_select": {
      if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) return bad("must be a list of option values");
      const unknown = (value as string[]).filter((v) => !field.options.some((o) => o.value === v));
      if (unknown.length) return bad(`"${unknown[0]}" is not an option of this field`);
      const uniq = [...new Set(value as string[])];
      return { ok: true, value: uniq.length ? uniq : null };
    }
    case "user":
    case "record_link":
      return typeof value === "string" && isUuid(value) ? { ok: true, value: value.toLowerCase() } : bad("must be a UUID");
    default:
      return bad(`has an unknown type ${String(type)}`);
  }
}

/** The id references a set of checked values makes (users, linked records), for one assertRefs call. */
function refsOf(fields: Map<string, CustomFieldRow>, values: Record<string, unknown>) {
  const refs: { field: string; kind: "user" | CustomFieldEntity; id: string }[] = [];
  for (const [key, v] of Object.entries(values)) {
    const f = fields.get(key);
    if (!f || typeof v !== "string") continue;
    if (f.type === "user") refs.push({ field: `custom.${key}`, kind: "user", id: v });
    if (f.type === "record_link") {
      const target = (f.settings as { target?: CustomFieldEntity }).target;
      if (target) refs.push({ field: `custom.${key}`, kind: target, id: v });
    }
  }
  return refs;
}

/**
 * Validates a write's `custom` object against the workspace's registry and returns the whole `custom` value to
 * store, or undefined when the write does not touch custom values (an update without `custom`).
 * - create: required fields must have a value; defaults fill what the caller left out.
 * - update: keys merge into `before`; null clears a key; a required field cannot be cleared.
 * Unknown key, wrong type, unknown option, bad e-mail/URL, a user or record not in the workspace → 422 naming
 * `custom.<key>`; every problem of the write in one answer. Call inside the write's transaction (nothing is written
 * on error). `fields` lets bulk paths (import) read the registry once.
 */
export async function resolveCustomValues(
  db: Executor,
  input: {
    workspaceId: string;
    entity: CustomFieldEntity;
    custom: unknown;
    mode: "create" | "update";
    before?: Record<string, unknown> | null;
    fields?: CustomFieldRow[];
    /** Prefix for error paths (lead conversion: "opportunity.custom"). */
    path?: string;
  },
): Promise<Record<string, unknown> | undefined> {
  const { mode, custom } = input;
  if (mode === "update" && custom === undefined) return undefined;
  const prefix = input.path ?? "custom";
  if (custom !== undefined && custom !== null && (typeof custom !== "object" || Array.isArray(custom))) {
    throw new ValidationError("custom must be an object of field keys to values", [{ path: prefix, message: "must be an object" }]);
  }
  const list = input.fields ?? (await listCustomFields(db, input.workspaceId, input.entity));
  const fields = new Map(list.map((f) => [f.key, f]));
  const errors: FieldError[] = [];
  const given = (custom ?? {}) as Record<string, unknown>;
  const out: Record<string, unknown> = { ...((input.before ?? {}) as Record<string, unknown>) };
  const checked: Record<string, unknown> = {};

  for (const [key, raw] of Object.entries(given)) {
    const f = fields.get(key);
    if (!f) {
      errors.push({ path: `${prefix}.${key}`, message: "is not a custom field of this record type", code: "unknown_field" });
      continue;
    }
    const r = checkValue(f, raw);
    if (!r.ok) {
      errors.push({ path: `${prefix}.${key}`, message: r.message, code: "invalid_value" });
      continue;
    }
    if (r.value === null) delete out[key];
    else out[key] = checked[key] = r.value;
    if (r.value === null && f.required && mode === "update") errors.push({ path: `${prefix}.${key}`, message: "is required", code: "required" });
  }
  if (mode === "create") {
    for (const f of list) {
      if (f.key in given) {
        if (f.required && out[f.key] === undefined && !errors.some((e) => e.path === `${prefix}.${f.key}`)) {
          errors.push({ path: `${prefix}.${f.key}`, message: "is required", code: "required" });
        }
        continue;
      }
      if (f.defaultValue !== null && f.defaultValue !== undefined) {
        const r = checkValue(f, f.defaultValue);
        if (r.ok && r.value !== null) {
          out[f.key] = checked[f.key] = r.value;
          continue;
        }
      }
      if (f.required) errors.push({ path: `${prefix}.${f.key}`, message: "is required", code: "required" });
    }
  }
  if (errors.length) throw new ValidationError("Some custom field values are invalid", errors);
  const refs = refsOf(fields, checked);
  if (refs.length) await assertRefs(db, input.workspaceId, refs);
  return out;
}

/**
 * Audit rows for custom values: `custom.<key>: before → after` per changed key, instead of one opaque `custom`
 * entry. Takes the `changes` produced by `diff()` and expands its `custom` entry in place.
 */
export function expandCustomChanges(changes: Record<string, { from: unknown; to: unknown }>): Record<string, { from: unknown; to: unknown }> {
  const c = changes.custom;
  if (!c) return changes;
  const { custom: _, ...rest } = changes;
  const from = (c.from ?? {}) as Record<string, unknown>;
  const to = (c.to ?? {}) as Record<string, unknown>;
  for (const key of new Set([...Object.keys(from), ...Object.keys(to)])) {
    if (JSON.stringify(from[key] ?? null) !== JSON.stringify(to[key] ?? null)) rest[`custom.${key}`] = { from: from[key] ?? null, to: to[key] ?? null };
  }
  return rest;
}
