import { createRoute, z } from "@hono/zod-openapi";
import { problemResponses, router } from "../lib/router";
import {
  deliveriesQuerySchema, webhookCreatedSchema, webhookCreateSchema, webhookDeliverySchema, webhookSchema, webhookUpdateSchema,
} from "../schemas/webhooks";
import { createWebhook } from "../services/webhooks/create";
import { listDeliveries } from "../services/webhooks/deliveries";
import { loadEndpoint } from "../services/webhooks/load";
import { listWebhooks } from "../services/webhooks/list";
import { redeliver } from "../services/webhooks/redeliver";
import { deleteWebhook } from "../services/webhooks/remove";
import { serializeEndpoint } from "../services/webhooks/serialize";
import { updateWebhook } from "../services/webhooks/update";
import { actorOf, idParams } from "./records";

// ADMIN only (worker/middleware/policy.ts: /api/webhooks…).
const tags = ["Webhooks"];
const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });
const body = <T extends z.ZodType>(schema: T) => ({ content: { "application/json": { schema } }, required: true });

export const webhookRoutes = router()
  .openapi(
    createRoute({ method: "get", path: "/webhooks", tags, summary: "Webhook endpoints (ADMIN)", responses: { 200: json(z.object({ data: z.array(webhookSchema) }), "Endpoints"), ...problemResponses(401, 403) } }),
    async (c) => c.json(await listWebhooks({ db: c.var.services.db, workspaceId: c.var.auth.workspaceId }), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/webhooks",
      tags,
      summary: "Register an endpoint; the signing secret is in this response only",
      description:
        "Each event is POSTed as JSON {id, type, createdAt, workspaceId, data} with Bespoke-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, \"<t>.<body>\")>, " +
        "Bespoke-Event-Id and Bespoke-Event-Type headers. A 2xx answer within 10 s is a success; anything else is retried with backoff.",
      request: { body: body(webhookCreateSchema) },
      responses: { 201: json(webhookCreatedSchema, "Created, with its secret"), ...problemResponses(401, 403, 422) },
    }),
    async (c) => c.json(await createWebhook({ db: c.var.services.db, actor: actorOf(c), config: c.var.config, body: c.req.valid("json") }), 201),
  )
  .openapi(
    createRoute({ method: "get", path: "/webhooks/{id}", tags, summary: "One endpoint", request: { params: idParams }, responses: { 200: json(webhookSchema, "The endpoint"), ...problemResponses(401, 403, 404) } }),
    async (c) => c.json(serializeEndpoint(await loadEndpoint(c.var.services.db.http, c.var.auth.workspaceId, c.req.valid("param").id)), 200),
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/webhooks/{id}",
      tags,
      summary: "Edit an endpoint: url, events, active (pause/resume), description",
      request: { params: idParams, body: body(webhookUpdateSchema) },
      responses: { 200: json(webhookSchema, "Updated"), ...problemResponses(401, 403, 404, 422) },
    }),
    async (c) => c.json(await updateWebhook({ db: c.var.services.db, actor: actorOf(c), config: c.var.config, id: c.req.valid("param").id, patch: c.req.valid("json") }), 200),
  )
  .openapi(
    createRoute({ method: "delete", path: "/webhooks/{id}", tags, summary: "Remove an endpoint (queued deliveries are not sent)", request: { params: idParams }, responses: { 204: { description: "Deleted" }, ...problemResponses(401, 403, 404) } }),
    async (c) => {
      await deleteWebhook({ db: c.var.services.db, actor: actorOf(c), id: c.req.valid("param").id });
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/webhooks/{id}/deliveries",
      tags,
      summary: "The endpoint's delivery log, newest first",
      request: { params: idParams, query: deliveriesQuerySchema },
      responses: { 200: json(z.object({ data: z.array(webhookDeliverySchema), nextCursor: z.string().nullable() }), "A page"), ...problemResponses(400, 401, 403, 404) },
    }),
    async (c) =>
      c.json(await listDeliveries({ db: c.var.services.db, workspaceId: c.var.auth.workspaceId, endpointId: c.req.valid("param").id, query: c.req.valid("query") }), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/webhooks/deliveries/{id}/redeliver",
      tags,
      summary: "Send a delivery again (status back to pending; attempts continue)",
      request: { params: idParams },
      responses: { 202: json(webhookDeliverySchema, "Queued"), ...problemResponses(401, 403, 404, 409) },
    }),
    async (c) => c.json(await redeliver({ db: c.var.services.db, actor: actorOf(c), queue: c.var.services.queues.webhooks, id: c.req.valid("param").id }), 202),
  );
