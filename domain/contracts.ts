/*
 * zod contracts derived from the declarations: create, update and output of each entity. Built on first use and
 * memoised — nothing here runs at module scope, so a Worker isolate that never validates an account never builds
 * its schema. Worker-only in practice (the SPA imports the declarations and the types below, never these values).
 */
import { z } from "zod";
import { currencySchema, dateOnlySchema, minorAmountSchema } from "../worker/schemas/common";
import type { EntityDecl, FieldDecl, FieldType } from "./field";

// ---------- value types (what the derived zod schemas infer to; the SPA uses these without zod) ----------

type Scalar<T extends FieldType> = T extends "number" | "money" | "percent"
  ? number
  : T extends "checkbox"
    ? boolean
    : T extends "multi_select"
      ? string[]
      : string;
type OptionValue<F> = F extends { options: readonly { value: infer V extends string }[] } ? V : never;
type InputOptionValue<F> = F extends { inputOptions: readonly (infer V extends string)[] } ? V : OptionValue<F>;
type Base<F extends FieldDecl, V> = [OptionValue<F>] extends [never] ? Scalar<F["type"]> : V;
type NotNull<F> = F extends { required: true } ? true : F extends { notNull: true } ? true : false;

export type OutputValue<F extends FieldDecl> = NotNull<F> extends true ? Base<F, OptionValue<F>> : Base<F, OptionValue<F>> | null;
type Writable<F> = F extends { readOnly: true } ? (F extends { updateOnly: true } ? true : false) : F extends { outputOnly: true } ? false : true;
type InKeys<Fs extends Record<string, FieldDecl>> = { [K in keyof Fs]: Writable<Fs[K]> extends true ? K : never }[keyof Fs];
type OutKeys<Fs extends Record<string, FieldDecl>> = { [K in keyof Fs]: Fs[K] extends { inputOnly: true } ? never : K }[keyof Fs];
type InputValue<F extends FieldDecl> = NotNull<F> extends true ? Base<F, InputOptionValue<F>> : Base<F, InputOptionValue<F>> | null;

export type CustomValues = Record<string, unknown>;
export type RecordBase = { id: string; createdAt: string; updatedAt: string; deletedAt: string | null; custom: CustomValues };

/** A record as the API answers it. */
export type RecordOf<E extends EntityDecl> = RecordBase & { [K in OutKeys<E["fields"]>]: OutputValue<E["fields"][K]> };
/** A create or update body (every field optional at the type level; the schema enforces required ones). */
export type InputOf<E extends EntityDecl> = { [K in InKeys<E["fields"]>]?: InputValue<E["fields"][K]> } & { custom?: CustomValues };

type Shape<T> = { [K in keyof T]-?: undefined extends T[K] ? z.ZodOptional<z.ZodType<Exclude<T[K], undefined>>> : z.ZodType<T[K]> };
/** The derived schemas with the declaration's types (the runtime objects come from `contractsOf`). */
export interface TypedContracts<E extends EntityDecl> {
  create: z.ZodObject<Shape<InputOf<E>>, z.core.$strict>;
  update: z.ZodObject<Shape<InputOf<E>>, z.core.$strict>;
  output: z.ZodObject<Shape<RecordOf<E>>>;
}

// ---------- zod per field ----------

const text = (max: number) => z.string().trim().max(max);
const uuid = () => z.uuid({ error: "must be a UUID" });
const iso = () => z.string().describe("ISO 8601 UTC timestamp");
const isoDateTime = () => z.iso.datetime({ offset: true, error: "must be an ISO 8601 date-time" });
const email = () =>
  // The pipe trims before checking; the meta keeps `format: email` in the published schema (a pipe documents its input).
  z.string().trim().toLowerCase().pipe(z.email({ error: "must be an e-mail address" })).meta({ format: "email" });

function optionValues(f: FieldDecl, forInput: boolean): [string, ...string[]] {
  const values = (forInput && f.inputOptions) || (f.options ?? []).map((o) => o.value);
  return values as [string, ...string[]];
}

/** The input schema of one field's value, before optional/nullable. */
function inputValue(key: string, f: FieldDecl, mode: "create" | "update"): z.ZodType {
  switch (f.type) {
    case "text":
    case "long_text":
    case "url":
    case "phone": {
      if (f.currency) return currencySchema;
      let s = text(f.max ?? 500);
      if (f.required) s = s.min(1, mode === "create" ? "is required" : "cannot be empty");
      else if (f.min) s = s.min(f.min);
      return s;
    }
    case "email":
      return email();
    case "number":
    case "percent": {
      let n = f.decimal ? z.number().finite() : z.number().int();
      if (f.type === "percent" || f.min !== undefined) n = n.min(f.min ?? 0);
      if (f.type === "percent" || f.max !== undefined) n = n.max(f.max ?? 100);
      return n;
    }
    case "money":
      return minorAmountSchema;
    case "date":
      return dateOnlySchema;
    case "datetime":
      return isoDateTime();
    case "checkbox":
      return z.boolean();
    case "single_select":
      return z.enum(optionValues(f, true));
    case "multi_select":
      return z.array(z.enum(optionValues(f, true)));
    case "user":
    case "record_link":
      return f.notNull ? z.uuid() : uuid();
  }
  throw new Error(`field ${key}: no input for type ${f.type as string}`);
}

function outputValue(f: FieldDecl): z.ZodType {
  switch (f.type) {
    case "number":
      return f.decimal ? z.number() : z.number().int();
    case "money":
    case "percent":
      return z.number().int();
    case "datetime":
      return iso();
    case "checkbox":
      return z.boolean();
    case "single_select":
      return z.enum(optionValues(f, false));
    case "multi_select":
      return z.array(z.string());
    case "user":
    case "record_link":
      return z.uuid();
    default:
      return z.string();
  }
}

const writable = (f: FieldDecl, mode: "create" | "update") => !f.outputOnly && (!f.readOnly || (mode === "update" && f.updateOnly));

function inputShape(e: EntityDecl, mode: "create" | "update"): Record<string, z.ZodType> {
  const shape: Record<string, z.ZodType> = {};
  for (const [key, f] of Object.entries(e.fields)) {
    if (!writable(f, mode)) continue;
    let s = inputValue(key, f, mode);
    if (f.required && mode === "create") {
      // required: as is
    } else if (f.required || f.notNull) s = s.optional();
    else s = s.nullable().optional();
    if (f.description) s = s.describe(f.description);
    shape[key] = s;
  }
  shape.custom = z
    .record(z.string(), z.unknown())
    .optional()
    .describe("Custom field values by key (see GET /api/meta); each is checked against the field's type");
  return shape;
}

function outputShape(e: EntityDecl): Record<string, z.ZodType> {
  const shape: Record<string, z.ZodType> = { id: z.uuid(), createdAt: iso(), updatedAt: iso(), deletedAt: iso().nullable() };
  for (const [key, f] of Object.entries(e.fields)) {
    if (f.inputOnly) continue;
    const v = outputValue(f);
    shape[key] = f.required || f.notNull ? v : v.nullable();
  }
  shape.custom = z.record(z.string(), z.unknown()).describe("Custom field values by key");
  return shape;
}

const needsNameOrEmail = (v: { name?: string; firstName?: string | null; lastName?: string | null; email?: string | null }) =>
  Boolean(v.name?.trim() || v.firstName?.trim() || v.lastName?.trim() || v.email?.trim());
const nameOrEmailIssue = { message: "a name or an email is required", path: ["name"] };

/** Inputs an entity takes beyond its fields: a deal's buying committee and the reason for a stage change. */
const extras: Record<string, { create?: () => Record<string, z.ZodType>; update?: () => Record<string, z.ZodType> }> = {
  opportunity: {
    create: () => ({
      pipelineId: z.uuid().optional().describe("The deal's pipeline (default: the workspace's default pipeline); stageId must belong to it"),
      contactIds: contactIds(),
    }),
    update: () => ({ stageChangeReason: stageChangeReasonSchema().optional().describe("Required when stageId changes"), contactIds: contactIds() }),
  },
};
const contactIds = () => z.array(z.uuid()).max(50).optional().describe("Contacts involved besides the primary one");
let reason: z.ZodType | undefined;
export const stageChangeReasonSchema = () =>
  (reason ??= z.union([
    text(2000).min(1, "is required"),
    z.strictObject({ text: text(2000).min(1, "is required"), code: text(100).optional() }),
  ]));

export interface Contracts {
  create: z.ZodObject;
  update: z.ZodObject;
  output: z.ZodObject;
}

// Keyed by the declaration object: a test fixture entity gets its own contracts.
const cache = new WeakMap<EntityDecl, Contracts>();

/** The entity's create, update and output schemas, built once per isolate on first use. */
export function contractsOf<E extends EntityDecl>(e: E): TypedContracts<E>;
export function contractsOf(e: EntityDecl): Contracts {
  const hit = cache.get(e);
  if (hit) return hit;
  const x = extras[e.key];
  const createObj = z.strictObject({ ...inputShape(e, "create"), ...x?.create?.() });
  const create = e.nameOrEmail ? createObj.refine(needsNameOrEmail, nameOrEmailIssue) : createObj;
  const update = z.strictObject({ ...inputShape(e, "update"), ...x?.update?.() });
  const output = z.object(outputShape(e)).meta({ id: e.label.replace(/\s/g, "") });
  const out = { create, update, output };
  cache.set(e, out);
  return out;
}
