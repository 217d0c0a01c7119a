import { createRoute, z } from "@hono/zod-openapi";
import { problemResponses, router } from "../lib/router";
import { pipelineCreateSchema, pipelineDeletedSchema, pipelineDeleteQuerySchema, pipelineInfoSchema, pipelineListSchema, pipelinePatchSchema } from "../schemas/pipelines";
import { stageListSchema, stagesPutSchema } from "../schemas/stages";
import { createPipeline } from "../services/pipelines/create";
import { listPipelines } from "../services/pipelines/read";
import { deletePipeline } from "../services/pipelines/remove";
import { updatePipeline } from "../services/pipelines/update";
import { replaceStages } from "../services/stages/replace";
import { actorOf } from "./records";

const tags = ["Pipelines"];
const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });
const body = <T extends z.ZodType>(schema: T) => ({ body: { content: { "application/json": { schema } }, required: true } });
const idParams = z.object({ id: z.uuid().openapi({ param: { name: "id", in: "path" } }) });

// Everyone reads the pipelines; only ADMIN changes them (worker/middleware/policy.ts).
export const pipelinesRoutes = router()
  .openapi(
    createRoute({ method: "get", path: "/pipelines", tags, summary: "The workspace's pipelines in order, each with its ordered stages and live deal counts", responses: { 200: json(pipelineListSchema, "The pipelines"), ...problemResponses(401) } }),
    async (c) => c.json({ pipelines: await listPipelines({ db: c.var.services.db, workspaceId: c.var.auth.workspaceId }) }, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/pipelines",
      tags,
      summary: "Add a pipeline (ADMIN)",
      description: "`key` defaults to a slug of the name; `stages` default to a standard set. `isDefault: true` makes it the workspace's default.",
      request: body(pipelineCreateSchema),
      responses: { 201: json(pipelineInfoSchema, "Created"), ...problemResponses(401, 403, 409, 422) },
    }),
    async (c) => c.json(await createPipeline({ db: c.var.services.db, actor: actorOf(c), body: c.req.valid("json") }), 201),
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/pipelines/{id}",
      tags,
      summary: "Rename, re-order or make a pipeline the default (ADMIN)",
      request: { params: idParams, ...body(pipelinePatchSchema) },
      responses: { 200: json(pipelineInfoSchema, "Updated"), ...problemResponses(400, 401, 403, 404, 409, 422) },
    }),
    async (c) => c.json(await updatePipeline({ db: c.var.services.db, actor: actorOf(c), id: c.req.valid("param").id, patch: c.req.valid("json") }), 200),
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/pipelines/{id}",
      tags,
      summary: "Delete a pipeline (ADMIN)",
      description: "Never the default or the last pipeline. One that holds deals answers 409 unless `moveTo` names a stage of another pipeline; the deals then move there with a stage_change activity.",
      request: { params: idParams, query: pipelineDeleteQuerySchema },
      responses: { 200: json(pipelineDeletedSchema, "Deleted"), ...problemResponses(400, 401, 403, 404, 409, 422) },
    }),
    async (c) => c.json(await deletePipeline({ db: c.var.services.db, actor: actorOf(c), id: c.req.valid("param").id, moveTo: c.req.valid("query").moveTo }), 200),
  )
  .openapi(
    createRoute({
      method: "put",
      path: "/pipelines/{id}/stages",
      tags,
      summary: "Replace one pipeline's ordered stage list (ADMIN)",
      description:
        "As PUT /api/pipeline/stages, for the named pipeline: listed ids are kept, entries without id are added, stages left out are removed " +
        "(409 while they hold deals unless `moveTo` names a target in this pipeline).",
      request: { params: idParams, ...body(stagesPutSchema) },
      responses: { 200: json(stageListSchema, "The stages in board order"), ...problemResponses(400, 401, 403, 404, 409, 422) },
    }),
    async (c) => c.json({ stages: await replaceStages({ db: c.var.services.db, actor: actorOf(c), body: c.req.valid("json"), pipelineId: c.req.valid("param").id }) }, 200),
  );
