import { createRoute } from "@hono/zod-openapi";
import { problemResponses, router } from "../lib/router";
import { stageListSchema, stagesPutSchema } from "../schemas/stages";
import { listStages } from "../services/stages/list";
import { replaceStages } from "../services/stages/replace";
import { actorOf } from "./records";

const tags = ["Pipeline"];
const list = { description: "The stages in board order", content: { "application/json": { schema: stageListSchema } } };

// Everyone reads the stages; only ADMIN replaces them (worker/middleware/policy.ts).
export const stagesRoutes = router()
  .openapi(
    createRoute({ method: "get", path: "/pipeline/stages", tags, summary: "The pipeline's stages with their deal counts", responses: { 200: list, ...problemResponses(401) } }),
    async (c) => c.json({ stages: await listStages({ db: c.var.services.db, workspaceId: c.var.auth.workspaceId }) }, 200),
  )
  .openapi(
    createRoute({
      method: "put",
      path: "/pipeline/stages",
      tags,
      summary: "Replace the ordered stage list (ADMIN)",
      description:
        "Listed ids are kept (renamed, re-weighted, re-ordered); entries without id are added; stages left out are removed. " +
        "Removing a stage that holds deals answers 409 listing them unless `moveTo` names a target; the deals then move there with a stage_change activity.",
      request: { body: { content: { "application/json": { schema: stagesPutSchema } }, required: true } },
      responses: { 200: list, ...problemResponses(401, 403, 409, 422) },
    }),
    async (c) => c.json({ stages: await replaceStages({ db: c.var.services.db, actor: actorOf(c), body: c.req.valid("json") }) }, 200),
  );
