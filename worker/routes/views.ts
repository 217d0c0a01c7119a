import { createRoute, z } from "@hono/zod-openapi";
import { problemResponses, router } from "../lib/router";
import { viewCreateSchema, viewListQuerySchema, viewSchema, viewUpdateSchema } from "../schemas/views";
import { createView } from "../services/views/create";
import { listViews } from "../services/views/list";
import { deleteView } from "../services/views/remove";
import { updateView } from "../services/views/update";
import { actorOf, idParams } from "./records";

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });
const body = <T extends z.ZodType>(schema: T) => ({ body: { content: { "application/json": { schema } }, required: true } });

/** Saved list views: GET/POST /api/views, PATCH/DELETE /api/views/{id}. Every role keeps views of its own. */
export const viewRoutes = router()
  .openapi(
    createRoute({ method: "get", path: "/views", tags: ["Views"], summary: "My saved views and the workspace's shared ones", request: { query: viewListQuerySchema }, responses: { 200: json(z.object({ data: z.array(viewSchema) }), "Views"), ...problemResponses(400, 401) } }),
    async (c) => c.json(await listViews({ db: c.var.services.db, actor: actorOf(c), entity: c.req.valid("query").entity }), 200),
  )
  .openapi(
    createRoute({ method: "post", path: "/views", tags: ["Views"], summary: "Save a view (columns, filters, sort, grouping)", request: body(viewCreateSchema), responses: { 201: json(viewSchema, "Saved"), ...problemResponses(401, 422) } }),
    async (c) => c.json(await createView({ db: c.var.services.db, actor: actorOf(c), body: c.req.valid("json") }), 201),
  )
  .openapi(
    createRoute({ method: "patch", path: "/views/{id}", tags: ["Views"], summary: "Change a view (owner), or make it my default (anyone who sees it)", request: { params: idParams, ...body(viewUpdateSchema) }, responses: { 200: json(viewSchema, "Updated"), ...problemResponses(401, 403, 404, 422) } }),
    async (c) => c.json(await updateView({ db: c.var.services.db, actor: actorOf(c), id: c.req.valid("param").id, patch: c.req.valid("json") }), 200),
  )
  .openapi(
    createRoute({ method: "delete", path: "/views/{id}", tags: ["Views"], summary: "Delete a view (owner or ADMIN)", request: { params: idParams }, responses: { 204: { description: "Deleted" }, ...problemResponses(401, 403, 404) } }),
    async (c) => {
      await deleteView({ db: c.var.services.db, actor: actorOf(c), role: c.var.auth.role, id: c.req.valid("param").id });
      return c.body(null, 204);
    },
  );
