import { z } from "zod";
import { FIELD_TYPES } from "../../domain";

/** GET /api/meta: the field and layout metadata the SPA renders lists, detail pages, quick create and the import wizard from. */

let built: ReturnType<typeof build> | undefined;
/** Built on first use (zod schemas are not built at module scope). */
export const metaSchemas = () => (built ??= build());

function build() {
  const option = z.object({ value: z.string(), label: z.string(), color: z.string().nullable().optional() });
  const target = z.enum(["account", "contact", "lead", "opportunity", "user", "stage"]);
  const fieldMeta = z
    .object({
      key: z.string().describe("Core: the API field; custom: the key under `custom` (filters and sorts say `custom.<key>`)"),
      label: z.string(),
      type: z.enum(FIELD_TYPES),
      source: z.enum(["core", "custom"]),
      required: z.boolean(),
      readOnly: z.boolean(),
      options: z.array(option).optional(),
      target: target.optional(),
      helpText: z.string().optional(),
      filterable: z.boolean(),
      sortable: z.boolean(),
      showOnCard: z.boolean(),
      showInQuickCreate: z.boolean(),
      showInList: z.boolean(),
      showOnDetail: z.boolean(),
      importable: z.boolean(),
      exportable: z.boolean(),
      aiPrivate: z.boolean(),
      position: z.number(),
    })
    .meta({ id: "FieldMeta" });
  const entity = z.object({ label: z.string(), labelPlural: z.string(), fields: z.array(fieldMeta) });
  const stage = z.object({
    id: z.uuid(),
    key: z.string().nullable(),
    name: z.string(),
    position: z.number().int(),
    probability: z.number().int(),
    kind: z.enum(["open", "won", "lost"]),
    agingDays: z.number().int().nullable(),
  });
  const reason = z.object({ value: z.string(), label: z.string() });
  const meta = z
    .object({
      entities: z.object({ account: entity, contact: entity, lead: entity, opportunity: entity }),
      pipelines: z.array(z.object({ id: z.uuid(), key: z.string(), name: z.string(), isDefault: z.boolean(), stages: z.array(stage) })),
      reasonCodes: z.object({ won: z.array(reason), lost: z.array(reason), open: z.array(reason) }),
      features: z.record(z.string(), z.boolean()),
    })
    .meta({ id: "Meta" });
  return { meta, fieldMeta };
}
export type Meta = z.infer<ReturnType<typeof build>["meta"]>;
