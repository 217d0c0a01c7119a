import { z } from "@hono/zod-openapi";

export const viewEntities = ["accounts", "contacts", "leads", "opportunities", "activities"] as const;

const columnSchema = z.object({ id: z.string().min(1).max(80), width: z.number().int().min(40).max(1200).optional() });
const filterSchema = z.object({
  field: z.string().min(1).max(80),
  op: z.string().min(1).max(20).describe("eq, gte, lte, empty, or a date preset operator (in: this_quarter, …)"),
  value: z.string().max(300).optional(),
});

const fields = {
  name: z.string().trim().min(1).max(80),
  columns: z.array(columnSchema).max(80),
  filters: z.array(filterSchema).max(30),
  sort: z.string().max(80).nullable(),
  groupBy: z.string().max(80).nullable(),
  shared: z.boolean().describe("Offered to everyone in the workspace (else private to its owner)"),
};

export const viewSchema = z
  .object({
    id: z.uuid(),
    entity: z.enum(viewEntities),
    ownerId: z.uuid(),
    ...fields,
    isDefault: z.boolean().describe("The caller's default view of this entity"),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: "SavedView" });

export const viewCreateSchema = z
  .object({ entity: z.enum(viewEntities), ...fields, columns: fields.columns.default([]), filters: fields.filters.default([]), sort: fields.sort.optional(), groupBy: fields.groupBy.optional(), shared: fields.shared.default(false), isDefault: z.boolean().optional() })
  .meta({ id: "SavedViewCreate" });

export const viewUpdateSchema = z
  .object({ ...fields, isDefault: z.boolean() })
  .partial()
  .meta({ id: "SavedViewUpdate" });

export const viewListQuerySchema = z.object({ entity: z.enum(viewEntities).optional() });

export type ViewEntity = (typeof viewEntities)[number];
export type ViewCreate = z.infer<typeof viewCreateSchema>;
export type ViewUpdate = z.infer<typeof viewUpdateSchema>;
