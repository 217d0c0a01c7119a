import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../app-env";
import { customParams, problemResponses, router } from "../lib/router";
import { ValidationError, zodToFieldErrors } from "../lib/errors";
import {
  entityOptions, entitySpecificOptions, exportLinkSchema, exportQuerySchema, importEntities, type ExportQuery, importMappingSchema, importOptionsSchema, importResultSchema, type ImportEntity,
} from "../schemas/import-export";
import { createExportLink } from "../services/export/link";
import { exportQuery, exportRecords } from "../services/export/stream";
import { listCustomFields, type CustomFieldEntity } from "../services/custom-fields/registry";
import { recordAudit } from "../services/audit/record";
import { importRecords } from "../services/import/run";
import { entityByPlural } from "../services/records/entities";
import { actorOf } from "./records";

const importForm = z.object({
  file: z.instanceof(File, { message: "attach the CSV file as the form field \"file\"" }).openapi({ type: "string", format: "binary" }),
  mapping: z.string().optional().openapi({ description: 'JSON {"<csv header>": "<field>"}; without it, headers that are field names map to themselves' }),
  options: z.string().optional().openapi({
    description:
      "JSON ImportOptions: dryRun, duplicates (update|skip|create), importSessionId, createMissingAccounts, dateFormat, amountUnit, currency, valueMap. " +
      "An unknown option is a 422 naming it (options.<name>); an option that does not apply to the entity (currency for contacts) is ignored and listed in ignoredOptions",
  }),
});

/** A JSON form field, parsed and validated, with errors named after the field (`options.dateFormat`). */
function jsonField<T extends z.ZodType>(name: string, raw: string | undefined, schema: T): { value: z.output<T>; sent: unknown } | undefined {
  if (raw === undefined || raw.trim() === "") return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new ValidationError(`The form field "${name}" is not valid JSON`, [{ path: name, message: "not valid JSON" }]);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new ValidationError(
      `The form field "${name}" is invalid`,
      zodToFieldErrors(parsed.error).map((e) => ({ ...e, path: e.path === "(body)" ? name : `${name}.${e.path}` })),
    );
  }
  return { value: parsed.data, sent: value };
}

/**
 * Options that exist but mean nothing for this entity (a currency for contacts) fall back to their defaults and are
 * named in the reply, instead of failing the file: a client may send one set of options to every entity.
 */
function applicableOptions(entity: ImportEntity, field: { value: z.output<typeof importOptionsSchema>; sent: unknown } | undefined) {
  const defaults = importOptionsSchema.parse({});
  if (!field) return { options: defaults, ignoredOptions: [] };
  const applies = new Set<string>(entityOptions[entity]);
  const sent = Object.keys(field.sent as object);
  const ignoredOptions = entitySpecificOptions.filter((o) => sent.includes(o) && !applies.has(o));
  const options = { ...field.value };
  for (const o of ignoredOptions) Object.assign(options, { [o]: defaults[o] });
  return { options, ignoredOptions };
}

const importRoute = createRoute({
  method: "post",
  path: "/import/{entity}",
  tags: ["Import / export"],
  summary: "Import a CSV file (multipart/form-data: file, mapping, options)",
  description:
    "Rows are validated like POST /api/{entity}; bad rows are reported by spreadsheet row number (header = row 1) and column and skipped, " +
    "good rows are written. A row whose externalId matches a record updates it, so importing the same file twice creates nothing the " +
    "second time (its rows count as unchanged). dryRun validates and counts without writing.",
  request: {
    params: z.object({ entity: z.enum(importEntities).openapi({ param: { name: "entity", in: "path" } }) }),
    body: { content: { "multipart/form-data": { schema: importForm } }, required: true },
  },
  responses: {
    200: { description: "What was (or, in a dry run, would be) imported", content: { "application/json": { schema: importResultSchema } } },
    ...problemResponses(400, 401, 403, 413, 415, 422),
  },
});

const exportRoute = (entity: ImportEntity) =>
  createRoute({
    method: "get",
    path: `/export/${entity}.csv`,
    tags: ["Import / export"],
    summary: `The ${entityByPlural[entity]!.label.toLowerCase()} list as CSV (same filters and sort as the list), in the import's columns`,
    request: { query: exportQuerySchema },
    responses: {
      200: { description: "RFC 4180 CSV, UTF-8, streamed", content: { "text/csv": { schema: z.string() } } },
      ...problemResponses(400, 401),
    },
  });

const exportHandler = (entity: ImportEntity) =>
  async (c: Context<AppEnv>) => {
    const { auth, services, requestId } = c.var;
    const query = c.req.valid("query" as never) as ExportQuery;
    const label = entityByPlural[entity]!;
    // Built (and a bad sort refused with a 400) before the audit entry and before any byte is sent.
    const customFields = await listCustomFields(services.db.http, auth.workspaceId, label.type as CustomFieldEntity);
    const custom = customParams(c);
    const sql = exportQuery(entity, auth.workspaceId, query, { fields: customFields, params: custom });
    // Exports copy the book of business out of the CRM: who did it, and which slice, belongs in the trail.
    const { bom: _bom, download: _download, ...filters } = { ...query, ...custom };
    await recordAudit(services.db.http, actorOf(c), { action: "export", entityType: label.type, entityId: null, changes: { filters: { from: null, to: filters } } });
    const stream = exportRecords({ db: services.db, query: sql, entity, bom: query.bom === "true", requestId, customFields });
    const day = services.clock.now().toISOString().slice(0, 10);
    return c.body(stream, 200, {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${entity}-${day}.csv"`,
      "Cache-Control": "no-store",
    });
  };

const exportLinkRoute = createRoute({
  method: "get",
  path: "/export/{entity}/link",
  tags: ["Import / export"],
  summary: "A one-minute download link for the export with these filters (for a browser navigation, which sends no Authorization header)",
  request: {
    params: z.object({ entity: z.enum(importEntities).openapi({ param: { name: "entity", in: "path" } }) }),
    query: exportQuerySchema,
  },
  responses: {
    200: { description: "The link", content: { "application/json": { schema: exportLinkSchema } } },
    ...problemResponses(400, 401),
  },
});

export const importExportRoutes = router()
  .openapi(importRoute, async (c) => {
    const { entity } = c.req.valid("param");
    const form = c.req.valid("form");
    const mapping = jsonField("mapping", form.mapping, importMappingSchema)?.value;
    const { options, ignoredOptions } = applicableOptions(entity, jsonField("options", form.options, importOptionsSchema));
    const result = await importRecords({
      db: c.var.services.db,
      actor: actorOf(c),
      entity,
      file: form.file.stream(),
      // Control characters (a NUL above all) cannot go into the audit entry's JSON.
      fileName: form.file.name.replace(/[\u0000-\u001f\u007f]/g, "") || `${entity}.csv`,
      mapping,
      options,
      ignoredOptions,
    });
    return c.json(result, 200);
  })
  .openapi(exportLinkRoute, async (c) => {
    const { entity } = c.req.valid("param");
    const query = c.req.valid("query");
    // Refuse a bad sort or custom filter now, not when the browser follows the link.
    const customFields = await listCustomFields(c.var.services.db.http, c.var.auth.workspaceId, entityByPlural[entity]!.type as CustomFieldEntity);
    exportQuery(entity, c.var.auth.workspaceId, query, { fields: customFields, params: customParams(c) });
    const search = new URL(c.req.url).searchParams;
    const link = await createExportLink({ db: c.var.services.db.http, actor: c.var.auth, entity, search, secret: c.var.config.JWT_SECRET });
    return c.json(link, 200);
  })
  .openapi(exportRoute("accounts"), exportHandler("accounts") as never)
  .openapi(exportRoute("contacts"), exportHandler("contacts") as never)
  .openapi(exportRoute("leads"), exportHandler("leads") as never)
  .openapi(exportRoute("opportunities"), exportHandler("opportunities") as never);
