import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../app-env";
import { customParams, problemResponses, router } from "../lib/router";
import { ValidationError } from "../lib/errors";
import * as s from "../schemas/records";
import type { Actor } from "../services/audit/record";
import { createRecord } from "../services/records/create";
import { getRecordDetail } from "../services/records/detail";
import { entities, type EntityDef, type EntityType } from "../services/records/entities";
import { listRecords } from "../services/records/list";
import { summarizeRecords } from "../services/records/summary";
import { restoreRecord, softDeleteRecord } from "../services/records/remove";
import { getTimeline } from "../services/records/timeline";
import { updateRecord } from "../services/records/update";
import { updateOpportunity } from "../services/opportunities/update";

/** The acting user for services; the outbox rows its mutations write are relayed after the response. */
export function actorOf(c: Context<AppEnv>): Actor {
  return { userId: c.var.auth.userId, workspaceId: c.var.auth.workspaceId, requestId: c.var.requestId, outbox: c.var.outbox, apiKeyId: c.var.auth.apiKeyId ?? null };
}

export const idParams = z.object({ id: z.string().openapi({ param: { name: "id", in: "path" }, format: "uuid" }) });
const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });
const body = <T extends z.ZodType>(schema: T) => ({ body: { content: { "application/json": { schema } }, required: true } });
export const timelineQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50), cursor: z.string().max(500).optional(), ai: s.aiFeedParam });

/** The entity's contracts: records' derived from domain/ (memoised), activities' hand-written. */
function contractsFor(type: EntityType): { create: z.ZodType; update: z.ZodType; item: z.ZodObject } {
  if (type === "activity") return { create: s.activityCreateSchema, update: s.activityUpdateSchema, item: s.activitySchema };
  const c = s.recordContracts(type);
  return { create: c.create, update: c.update, item: c.output };
}

/** If-Match: "3" or W/"3" → 3; `*` (any current version) → no check. */
function ifMatchVersion(header: string | undefined): number | undefined {
  if (!header || header.trim() === "*") return undefined;
  const m = /^(?:W\/)?"?(\d+)"?$/.exec(header.trim());
  if (!m) throw new ValidationError("If-Match must carry the record's version, e.g. \"3\"", [{ path: "If-Match", message: "not a version" }], 400);
  return Number(m[1]);
}

/** The same seven routes for each record type; the entity definition supplies what differs. */
function recordRoutes<T extends EntityType>(type: T) {
  const def: EntityDef = entities[type];
  const c = contractsFor(type);
  const tag = def.plural[0]!.toUpperCase() + def.plural.slice(1);
  const path = `/${def.plural}`;
  const withTimeline = type !== "activity";

  const app = router()
    .openapi(
      createRoute({ method: "get", path, tags: [tag], summary: `List ${def.plural}`, request: { query: s.listQuerySchema }, responses: { 200: json(s.pageSchema(
        type === "activity" ? s.activityListItemSchema
        : type === "contact" || type === "opportunity" ? c.item.extend({ accountName: z.string().nullable() })
        : c.item,
      ), "A page"), ...problemResponses(400, 401) } }),
      async (ctx) => {
        return ctx.json(await listRecords({ db: ctx.var.services.db, workspaceId: ctx.var.auth.workspaceId, def, query: ctx.req.valid("query"), custom: customParams(ctx) }) as never, 200);
      },
    )
    .openapi(
      createRoute({
        method: "get",
        path: `${path}/summary`,
        tags: [tag],
        summary: `Count and money totals of the ${def.plural} a list's filters select, optionally per value of a field (groupBy)`,
        request: { query: s.listQuerySchema.extend({ groupBy: z.string().max(80).optional().describe("A select, owner or stage field, or custom.<key>") }) },
        responses: { 200: json(s.listSummarySchema, "Totals"), ...problemResponses(400, 401) },
      }),
      async (ctx) => {
        const custom = Object.fromEntries(Object.entries(ctx.req.query()).filter(([k]) => k.startsWith("custom.")));
        const { groupBy, ...query } = ctx.req.valid("query");
        return ctx.json(await summarizeRecords({ db: ctx.var.services.db, workspaceId: ctx.var.auth.workspaceId, def, query, custom, groupBy }), 200);
      },
    )
    .openapi(
      createRoute({ method: "post", path, tags: [tag], summary: `Create a ${def.label.toLowerCase()}`, request: body(c.create), responses: { 201: json(c.item, "Created"), ...problemResponses(401, 403, 409, 422) } }),
      async (ctx) => ctx.json(await createRecord({ db: ctx.var.services.db, actor: actorOf(ctx), def, body: ctx.req.valid("json") as Record<string, unknown> }) as never, 201),
    )
    .openapi(
      createRoute({ method: "get", path: `${path}/{id}`, tags: [tag], summary: `A ${def.label.toLowerCase()} with its related records`, request: { params: idParams }, responses: { 200: json(c.item.extend({ related: z.record(z.string(), z.unknown()) }), "The record"), ...problemResponses(401, 404) } }),
      async (ctx) => {
        const out = await getRecordDetail({ db: ctx.var.services.db, workspaceId: ctx.var.auth.workspaceId, def, id: ctx.req.valid("param").id });
        // The version to send back in If-Match when editing.
        if (type === "opportunity") ctx.header("ETag", `"${(out as { version?: number }).version}"`);
        return ctx.json(out as never, 200);
      },
    )
    .openapi(
      createRoute({
        method: "patch",
        path: `${path}/{id}`,
        tags: [tag],
        summary: `Edit a ${def.label.toLowerCase()} (partial)`,
        request: { params: idParams, body: body(c.update).body, ...(type === "opportunity" ? { headers: z.object({ "if-match": z.string().optional() }) } : {}) },
        responses: { 200: json(c.item, "Updated"), ...problemResponses(400, 401, 403, 404, 409, 422) },
      }),
      async (ctx) => {
        const id = ctx.req.valid("param").id;
        const patch = ctx.req.valid("json") as Record<string, unknown>;
        const { db } = ctx.var.services;
        const out =
          type === "opportunity"
            ? await updateOpportunity({ db, actor: actorOf(ctx), id, patch, expectedVersion: ifMatchVersion(ctx.req.header("If-Match")) })
            : await updateRecord({ db, actor: actorOf(ctx), def, id, body: patch });
        if (type === "opportunity") ctx.header("ETag", `"${(out as { version?: number }).version}"`);
        return ctx.json(out as never, 200);
      },
    )
    .openapi(
      createRoute({ method: "delete", path: `${path}/{id}`, tags: [tag], summary: `Move a ${def.label.toLowerCase()} to the trash (soft delete)`, request: { params: idParams }, responses: { 200: json(c.item, "Deleted"), ...problemResponses(401, 403, 404) } }),
      async (ctx) => ctx.json(await softDeleteRecord({ db: ctx.var.services.db, actor: actorOf(ctx), def, id: ctx.req.valid("param").id }) as never, 200),
    )
    .openapi(
      createRoute({ method: "post", path: `${path}/{id}/restore`, tags: [tag], summary: `Restore a deleted ${def.label.toLowerCase()}`, request: { params: idParams }, responses: { 200: json(c.item, "Restored"), ...problemResponses(401, 403, 404) } }),
      async (ctx) => ctx.json(await restoreRecord({ db: ctx.var.services.db, actor: actorOf(ctx), def, id: ctx.req.valid("param").id }) as never, 200),
    );
  if (!withTimeline) return app;
  return app.openapi(
    createRoute({
      method: "get",
      path: `${path}/{id}/timeline`,
      tags: [tag],
      summary: `Activities on this ${def.label.toLowerCase()}${type === "account" ? ", its contacts and its opportunities" : ""}, newest first`,
      request: { params: idParams, query: timelineQuery },
      responses: { 200: json(s.pageSchema(s.timelineItemSchema), "A page of the timeline"), ...problemResponses(400, 401, 404) },
    }),
    async (ctx) => {
      const { limit, cursor, ai } = ctx.req.valid("query");
      return ctx.json(await getTimeline({ db: ctx.var.services.db, workspaceId: ctx.var.auth.workspaceId, def, id: ctx.req.valid("param").id, limit, cursor, ai: ai ?? "latest" }) as never, 200);
    },
  );
}

export const accountRoutes = recordRoutes("account");
export const contactRoutes = recordRoutes("contact");
export const leadRoutes = recordRoutes("lead");
export const opportunityRoutes = recordRoutes("opportunity");
export const activityRoutes = recordRoutes("activity");
