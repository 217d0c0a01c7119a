import { createRoute, z } from "@hono/zod-openapi";
import { problemResponses, router } from "../lib/router";
import { reasonCodesPutSchema, reasonCodesSchema } from "../schemas/reason-codes";
import { listReasonCodes } from "../services/reason-codes/list";
import { replaceReasonCodes } from "../services/reason-codes/replace";
import { actorOf } from "./records";

const tags = ["Pipelines"];
const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });

export const reasonCodeRoutes = router()
  .openapi(
    createRoute({ method: "get", path: "/reason-codes", tags, summary: "Reason codes offered on a stage change, per kind of target stage", responses: { 200: json(reasonCodesSchema, "The codes"), ...problemResponses(401) } }),
    async (c) => c.json(await listReasonCodes({ db: c.var.services.db, workspaceId: c.var.auth.workspaceId }), 200),
  )
  .openapi(
    createRoute({
      method: "put",
      path: "/reason-codes",
      tags,
      summary: "Replace the reason codes of the kinds named (ADMIN)",
      request: { body: { content: { "application/json": { schema: reasonCodesPutSchema } }, required: true } },
      responses: { 200: json(reasonCodesSchema, "The codes"), ...problemResponses(401, 403, 422) },
    }),
    async (c) => c.json(await replaceReasonCodes({ db: c.var.services.db, actor: actorOf(c), body: c.req.valid("json") }), 200),
  );
