import { z } from "zod";

/** Custom field registry contracts (Settings → Fields, /api/fields). The SPA imports these; they import only zod. */

export const customFieldEntities = ["account", "contact", "lead", "opportunity"] as const;
export const customFieldTypes = [
  "text",
  "long_text",
  "number",
  "money",
  "percent",
  "date",
  "datetime",
  "checkbox",
  "single_select",
  "multi_select",
  "url",
  "email",
  "phone",
  "user",
  "record_link",
] as const;
export type CustomFieldType = (typeof customFieldTypes)[number];

/** Types whose values a list can filter and sort on (long text and multi select filter only by containment / not at all). */
export const sortableCustomTypes: readonly CustomFieldType[] = customFieldTypes.filter((t) => t !== "long_text" && t !== "multi_select");

/** A lowercase identifier, snake_case or camelCase: the key in `custom`, in `?custom.<key>=` and in CSV headers. */
export const customFieldKeySchema = z
  .string()
  .regex(/^[a-z][a-zA-Z0-9_]{0,31}$/, "must start with a lowercase letter and hold only letters, digits and _ (at most 32)");

export const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;

export const customFieldOptionSchema = z.strictObject({
  value: z.string().trim().min(1, "is required").max(100),
  label: z.string().trim().min(1, "is required").max(100),
  color: z.string().regex(HEX_COLOR, "must be a colour like #1e88e5").nullable().optional(),
  order: z.number().int().min(0).optional().describe("Display order; defaults to the position in the list"),
});
export type CustomFieldOption = z.infer<typeof customFieldOptionSchema>;

const settingsSchema = z
  .strictObject({
    target: z.enum(customFieldEntities).optional().describe("record_link: the entity it links to"),
    currency: z.string().regex(/^[A-Z]{3}$/, "must be a 3-letter ISO 4217 code").optional().describe("money: the currency"),
    aiPrivate: z.boolean().optional().describe("Keep this field's values out of the AI context"),
  })
  .describe("Type-specific settings");

const editable = {
  label: z.string().trim().min(1, "is required").max(80),
  options: z.array(customFieldOptionSchema).max(200).optional(),
  settings: settingsSchema.optional(),
  required: z.boolean().optional(),
  defaultValue: z.unknown().optional().describe("Applied on create when the field is not given; validated like a value"),
  helpText: z.string().trim().max(500).nullable().optional(),
  showOnCard: z.boolean().optional(),
  showInQuickCreate: z.boolean().optional(),
  filterable: z.boolean().optional().describe("Adds an index so list filters and sorts on this field stay fast"),
  position: z.number().int().min(0).max(10_000).optional(),
};

export const customFieldCreateSchema = z.strictObject({
  entity: z.enum(customFieldEntities, { error: "must be account, contact, lead or opportunity" }),
  key: customFieldKeySchema,
  type: z.enum(customFieldTypes, { error: `must be one of ${customFieldTypes.join(", ")}` }),
  ...editable,
});
export type CustomFieldCreate = z.infer<typeof customFieldCreateSchema>;

export const customFieldUpdateSchema = z.strictObject({
  version: z.number().int().min(1).describe("The version you edited (optimistic concurrency): 409 if it changed since"),
  label: editable.label.optional(),
  type: z.enum(customFieldTypes).optional().describe("A type change converts what converts and reports the rest"),
  options: editable.options,
  settings: editable.settings,
  required: editable.required,
  defaultValue: editable.defaultValue,
  helpText: editable.helpText,
  showOnCard: editable.showOnCard,
  showInQuickCreate: editable.showInQuickCreate,
  filterable: editable.filterable,
  position: editable.position,
  remapTo: z
    .record(z.string(), z.string().nullable())
    .optional()
    .describe("For select options removed while records still use them: old value → new value (null clears)"),
  dryRun: z.boolean().optional().describe("Report what a type change would convert without changing anything"),
});
export type CustomFieldUpdate = z.infer<typeof customFieldUpdateSchema>;

export const customFieldSchema = z
  .object({
    id: z.uuid(),
    entity: z.enum(customFieldEntities),
    key: z.string(),
    label: z.string(),
    type: z.enum(customFieldTypes),
    options: z.array(z.object({ value: z.string(), label: z.string(), color: z.string().nullable().optional(), order: z.number().int().optional() })),
    settings: z.record(z.string(), z.unknown()),
    required: z.boolean(),
    defaultValue: z.unknown().nullable(),
    helpText: z.string().nullable(),
    showOnCard: z.boolean(),
    showInQuickCreate: z.boolean(),
    filterable: z.boolean(),
    position: z.number().int(),
    source: z.enum(["config", "ui"]),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
    deletedAt: z.string().nullable(),
    restorableUntil: z.string().nullable().describe("Deleted fields: the last moment they can be restored"),
  })
  .meta({ id: "CustomField" });
export type CustomField = z.infer<typeof customFieldSchema>;

export const conversionReportSchema = z.object({
  from: z.enum(customFieldTypes),
  to: z.enum(customFieldTypes),
  converted: z.number().int().describe("Records whose value converted"),
  failed: z.number().int().describe("Records whose value did not convert: the value is removed and kept in the audit trail"),
  examples: z.array(z.object({ id: z.uuid(), value: z.unknown() })).describe("Up to 10 values that did not convert"),
  dryRun: z.boolean(),
});
export type ConversionReport = z.infer<typeof conversionReportSchema>;

export const customFieldUpdateResultSchema = z.object({ field: customFieldSchema, conversion: conversionReportSchema.nullable() });

export const customFieldListQuerySchema = z.object({
  entity: z.enum(customFieldEntities).optional(),
  deleted: z.enum(["true", "false"]).optional().describe("true lists deleted fields still restorable (the trash)"),
});
export const customFieldListSchema = z.object({ data: z.array(customFieldSchema) });
