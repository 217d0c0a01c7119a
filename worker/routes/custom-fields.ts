import { createRoute, z } from "@hono/zod-openapi";
import { problemResponses, router } from "../lib/router";
import {
  customFieldCreateSchema,
  customFieldListQuerySchema,
  customFieldListSchema,
  customFieldSchema,
  customFieldUpdateResultSchema,
  customFieldUpdateSchema,
} from "../schemas/custom-fields";
import { createField } from "../services/custom-fields/create";
import { listFields } from "../services/custom-fields/list";
import { deleteField, restoreField } from "../services/custom-fields/remove";
import { updateField } from "../services/custom-fields/update";
import { actorOf, idParams } from "./records";

const tags = ["Custom fields"];
const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });
const body = <T extends z.ZodType>(schema: T) => ({ body: { content: { "application/json": { schema } }, required: true } });

// Every role reads the registry (forms and lists need it); only ADMIN changes it (worker/middleware/policy.ts).
export const customFieldRoutes = router()
  .openapi(
    createRoute({ method: "get", path: "/fields", tags, summary: "Custom fields, per entity (deleted=true: the restorable trash)", request: { query: customFieldListQuerySchema }, responses: { 200: json(customFieldListSchema, "The fields"), ...problemResponses(400, 401) } }),
    async (c) => {
      const q = c.req.valid("query");
      return c.json({ data: await listFields({ db: c.var.services.db.http, workspaceId: c.var.auth.workspaceId, entity: q.entity, deleted: q.deleted === "true" }) }, 200);
    },
  )
  .openapi(
    createRoute({ method: "post", path: "/fields", tags, summary: "Add a custom field (ADMIN)", request: body(customFieldCreateSchema), responses: { 201: json(customFieldSchema, "Created"), ...problemResponses(401, 403, 409, 422) } }),
    async (c) => c.json(await createField({ db: c.var.services.db, actor: actorOf(c), body: c.req.valid("json") }), 201),
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/fields/{id}",
      tags,
      summary: "Edit a custom field (ADMIN); a type change converts stored values and reports the rest",
      request: { params: idParams, ...body(customFieldUpdateSchema) },
      responses: { 200: json(customFieldUpdateResultSchema, "Updated (or, with dryRun, what would happen)"), ...problemResponses(401, 403, 404, 409, 422) },
    }),
    async (c) => c.json(await updateField({ db: c.var.services.db, actor: actorOf(c), id: c.req.valid("param").id, body: c.req.valid("json") }), 200),
  )
  .openapi(
    createRoute({ method: "delete", path: "/fields/{id}", tags, summary: "Delete a custom field (ADMIN; restorable for 30 days, values kept)", request: { params: idParams }, responses: { 200: json(customFieldSchema, "Deleted"), ...problemResponses(401, 403, 404) } }),
    async (c) => c.json(await deleteField({ db: c.var.services.db, actor: actorOf(c), id: c.req.valid("param").id }), 200),
  )
  .openapi(
    createRoute({ method: "post", path: "/fields/{id}/restore", tags, summary: "Restore a deleted custom field (ADMIN; within 30 days, else 410)", request: { params: idParams }, responses: { 200: json(customFieldSchema, "Restored"), ...problemResponses(401, 403, 404, 409, 410) } }),
    async (c) => c.json(await restoreField({ db: c.var.services.db, actor: actorOf(c), id: c.req.valid("param").id }), 200),
  );
