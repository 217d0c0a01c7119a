import { createRoute } from "@hono/zod-openapi";
import { problemResponses, router } from "../lib/router";
import { leadConvertResultSchema, leadConvertSchema } from "../schemas/leads";
import { convertLead } from "../services/leads/convert";
import { actorOf, idParams } from "./records";

const convertRoute = createRoute({
  method: "post",
  path: "/leads/{id}/convert",
  tags: ["Leads"],
  summary: "Convert a lead into an account, contact, opportunity and follow-up task (all or nothing)",
  request: { params: idParams, body: { content: { "application/json": { schema: leadConvertSchema } }, required: true } },
  responses: {
    201: { description: "The converted lead and the records it became", content: { "application/json": { schema: leadConvertResultSchema } } },
    ...problemResponses(401, 403, 404, 409, 422),
  },
});

/** Lead verbs beyond the generic record routes. */
export const leadConvertRoutes = router().openapi(convertRoute, async (c) => {
  const result = await convertLead({ db: c.var.services.db, actor: actorOf(c), id: c.req.valid("param").id, body: c.req.valid("json") });
  return c.json(result as never, 201);
});
