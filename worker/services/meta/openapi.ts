import type { Executor } from "../../../db/client";
import { entityDecl } from "../../../domain";
import type { CustomFieldType } from "../../schemas/custom-fields";
import { CUSTOM_FIELD_ENTITIES, listCustomFields, type CustomFieldRow } from "../custom-fields/registry";

type Schema = Record<string, unknown>;
type Doc = { paths?: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: Schema }> } }>>; components?: { schemas?: Record<string, Schema> } };

/** One custom value as JSON Schema, the way `checkValue` (services/custom-fields/values.ts) accepts and stores it. */
function valueSchema(f: CustomFieldRow): Schema {
  const options = f.options.map((o) => o.value);
  const base: Schema = (() => {
    switch (f.type as CustomFieldType) {
      case "text":
        return { type: "string", maxLength: 500 };
      case "long_text":
        return { type: "string", maxLength: 10_000 };
      case "url":
        return { type: "string", format: "uri", maxLength: 1000 };
      case "email":
        return { type: "string", format: "email", maxLength: 254 };
      case "phone":
        return { type: "string", maxLength: 50 };
      case "number":
        return { type: "number" };
      case "percent":
        return { type: "number", minimum: -1000, maximum: 1000 };
      case "money": {
        const currency = (f.settings as { currency?: string }).currency;
        return { type: "integer", description: `Minor units (cents)${currency ? ` of ${currency}` : ""}` };
      }
      case "checkbox":
        return { type: "boolean" };
      case "date":
        return { type: "string", format: "date" };
      case "datetime":
        return { type: "string", format: "date-time" };
      case "single_select":
        return { type: "string", enum: options };
      case "multi_select":
        return { type: "array", items: { type: "string", enum: options }, uniqueItems: true };
      case "user":
        return { type: "string", format: "uuid", description: "A user of the workspace" };
      case "record_link": {
        const target = (f.settings as { target?: string }).target;
        return { type: "string", format: "uuid", description: target ? `The id of a ${target}` : "A record's id" };
      }
      default:
        return {};
    }
  })();
  const description = [base.description, f.helpText].filter(Boolean).join(". ");
  return { ...base, title: f.label, ...(description ? { description } : {}) };
}

const orNull = (s: Schema): Schema => ({ anyOf: [s, { type: "null" }] });

/** The `custom` object of a record's output, create body and update body, with the workspace's fields as properties. */
function customObject(fields: CustomFieldRow[], mode: "output" | "create" | "update"): Schema {
  const properties = Object.fromEntries(fields.map((f) => [f.key, mode === "output" ? valueSchema(f) : orNull(valueSchema(f))]));
  // Create: a required field needs a value unless it has a default (the server fills it in).
  const required = mode === "create" ? fields.filter((f) => f.required && (f.defaultValue === null || f.defaultValue === undefined)).map((f) => f.key) : [];
  return {
    type: "object",
    description:
      mode === "output" ? "Custom field values by key (a key without a value is absent)"
      : mode === "create" ? "Custom field values by key; defaults fill what is left out"
      : "Custom field values to change, by key (others are kept); null clears one",
    properties,
    ...(required.length ? { required } : {}),
    additionalProperties: false,
  };
}

/** The schema object a JSON request body of `op` uses, followed through a `$ref` into the components. */
function bodySchema(doc: Doc, path: string, method: string): Schema | undefined {
  let s = doc.paths?.[path]?.[method]?.requestBody?.content?.["application/json"]?.schema;
  const ref = typeof s?.$ref === "string" ? s.$ref.replace("#/components/schemas/", "") : undefined;
  if (ref) s = doc.components?.schemas?.[ref];
  return s && typeof s.properties === "object" ? s : undefined;
}

/**
 * The OpenAPI document as this workspace sees it: each record's `custom` object — in the record (list items, detail,
 * create and update answers share the component) and in the create and update bodies — lists the workspace's custom
 * fields as typed properties (selects as enums, money as integer minor units, dates with their format), instead of
 * an open map. The rest of the document is the static one. `doc` is changed in place and returned.
 */
export async function workspaceOpenApi<D extends object>(input: { db: Executor; workspaceId: string; doc: D }): Promise<D> {
  const doc = input.doc as Doc;
  const fields = await listCustomFields(input.db, input.workspaceId);
  for (const entity of CUSTOM_FIELD_ENTITIES) {
    const decl = entityDecl(entity);
    const own = fields.filter((f) => f.entity === entity);
    const output = doc.components?.schemas?.[decl.label.replace(/\s/g, "")];
    const targets: [Schema | undefined, "output" | "create" | "update"][] = [
      [output, "output"],
      [bodySchema(doc, `/api/${decl.plural}`, "post"), "create"],
      [bodySchema(doc, `/api/${decl.plural}/{id}`, "patch"), "update"],
    ];
    for (const [schema, mode] of targets) {
      const props = schema?.properties as Record<string, Schema> | undefined;
      if (!props?.custom) continue;
      props.custom = customObject(own, mode);
      // A required custom field makes `custom` itself required on create.
      if (mode === "create" && (props.custom as { required?: string[] }).required) schema!.required = [...new Set([...((schema!.required as string[]) ?? []), "custom"])];
    }
  }
  return input.doc;
}
