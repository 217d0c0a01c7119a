import { createRoute, z } from "@hono/zod-openapi";
import { problemResponses, router } from "../lib/router";
import { automationContracts } from "../schemas/automations";
import { createAutomation } from "../services/automations/create";
import { dryRun } from "../services/automations/dry-run";
import { triggerByWebhook } from "../services/automations/hook";
import { listAutomations } from "../services/automations/list";
import { loadAutomation } from "../services/automations/load";
import { deleteAutomation } from "../services/automations/remove";
import { listRuns } from "../services/automations/runs";
import { lastRuns, serializeAutomation } from "../services/automations/serialize";
import { updateAutomation } from "../services/automations/update";
import { actorOf, idParams } from "./records";

// Reads: every role; writes: ADMIN (worker/middleware/policy.ts: /api/automations…); the inbound hook: its token.
const tags = ["Automations"];
const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });
const body = <T extends z.ZodType>(schema: T) => ({ content: { "application/json": { schema } }, required: true });
const k = automationContracts();

export const automationRoutes = router()
  .openapi(
    createRoute({ method: "get", path: "/automations", tags, summary: "Automation rules", responses: { 200: json(z.object({ data: z.array(k.automation) }), "Rules"), ...problemResponses(401) } }),
    async (c) => c.json(await listAutomations({ db: c.var.services.db, workspaceId: c.var.auth.workspaceId }), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/automations",
      tags,
      summary: "Create a rule (ADMIN): trigger → conditions (all must hold) → actions in order",
      description: "An inbound-webhook rule's token is in this response only: call POST /api/automations/{id}/webhook with header X-Bespoke-Token.",
      request: { body: body(k.create) },
      responses: { 201: json(k.created, "Created"), ...problemResponses(401, 403, 422) },
    }),
    async (c) => c.json(await createAutomation({ db: c.var.services.db, actor: actorOf(c), config: c.var.config, rule: c.req.valid("json") }), 201),
  )
  .openapi(
    createRoute({ method: "get", path: "/automations/{id}", tags, summary: "One rule", request: { params: idParams }, responses: { 200: json(k.automation, "The rule"), ...problemResponses(401, 404) } }),
    async (c) => {
      const row = await loadAutomation(c.var.services.db.http, c.var.auth.workspaceId, c.req.valid("param").id);
      return c.json(serializeAutomation(row, (await lastRuns(c.var.services.db.http, [row.id])).get(row.id) ?? null), 200);
    },
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/automations/{id}",
      tags,
      summary: "Edit a rule (ADMIN); {enabled: false} pauses it",
      request: { params: idParams, body: body(k.patch) },
      responses: { 200: json(k.created, "Updated"), ...problemResponses(401, 403, 404, 409, 422) },
    }),
    async (c) => c.json(await updateAutomation({ db: c.var.services.db, actor: actorOf(c), config: c.var.config, id: c.req.valid("param").id, patch: c.req.valid("json") }), 200),
  )
  .openapi(
    createRoute({ method: "delete", path: "/automations/{id}", tags, summary: "Delete a rule (ADMIN); runs in flight finish", request: { params: idParams }, responses: { 204: { description: "Deleted" }, ...problemResponses(401, 403, 404) } }),
    async (c) => {
      await deleteAutomation({ db: c.var.services.db, actor: actorOf(c), id: c.req.valid("param").id });
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/automations/{id}/runs",
      tags,
      summary: "The rule's run history, newest first: trigger, each step's result or error, durations",
      request: { params: idParams, query: k.runsQuery },
      responses: { 200: json(z.object({ data: z.array(k.run), nextCursor: z.string().nullable() }), "A page"), ...problemResponses(400, 401, 404) },
    }),
    async (c) => c.json(await listRuns({ db: c.var.services.db, workspaceId: c.var.auth.workspaceId, automationId: c.req.valid("param").id, query: c.req.valid("query") }), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/automations/{id}/dry-run",
      tags,
      summary: "What the rule would do for a record now (ADMIN); writes nothing",
      request: { params: idParams, body: body(k.dryRunBody) },
      responses: { 200: json(k.dryRun, "The plan"), ...problemResponses(401, 403, 404, 422) },
    }),
    async (c) => c.json(await dryRun({ db: c.var.services.db, workspaceId: c.var.auth.workspaceId, id: c.req.valid("param").id, recordId: c.req.valid("json").recordId }), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/automations/{id}/webhook",
      tags,
      summary: "Inbound webhook: fire the rule (header X-Bespoke-Token; Idempotency-Key makes a retry start one run)",
      request: { params: idParams, body: body(k.hookBody) },
      responses: {
        202: json(z.object({ status: z.string(), runId: z.string().nullable() }), "Accepted"),
        ...problemResponses(401, 404, 422),
      },
    }),
    async (c) =>
      c.json(
        await triggerByWebhook({
          db: c.var.services.db,
          runner: c.var.services.automations,
          id: c.req.valid("param").id,
          token: c.req.header("X-Bespoke-Token"),
          idempotencyKey: c.req.header("Idempotency-Key"),
          body: c.req.valid("json"),
        }),
        202,
      ),
  );
