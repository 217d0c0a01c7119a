import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../app-env";
import { createServices } from "../lib/services";
import { problemResponses, router } from "../lib/router";
import { bulkCreateSchema, bulkEntities, bulkJobSchema } from "../schemas/bulk";
import { createBulkJob } from "../services/bulk/create";
import { getBulkJob } from "../services/bulk/get";
import { runBulkJob } from "../services/bulk/run";
import { relayOutbox } from "../events/outbox";
import { actorOf, idParams } from "./records";

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });
const params = z.object({ entity: z.enum(bulkEntities).openapi({ param: { name: "entity", in: "path" } }) });

/**
 * Runs the job after the response, on a database handle of its own (the request's closes with the response), and
 * relays the outbox rows its record verbs wrote (the cron's sweep sends them anyway if this isolate dies first).
 */
function inBackground(c: Context<AppEnv>, jobId: string) {
  const outbox: number[] = [];
  const actor = { ...actorOf(c), outbox };
  const services = createServices(c.env, c.var.config, { statementTimeoutMs: c.var.config.DB_STATEMENT_TIMEOUT_MS });
  const work = (async () => {
    try {
      await runBulkJob({ db: services.db, actor, id: jobId });
      if (outbox.length) await relayOutbox({ db: services.db, queue: services.queues.events, ids: outbox });
    } catch (err) {
      console.error(JSON.stringify({ level: "error", msg: "bulk job failed", job: jobId, error: String(err) }));
    } finally {
      await services.db.close();
    }
  })();
  try {
    c.executionCtx.waitUntil(work);
  } catch {
    return work;
  }
}

/** POST /api/bulk/{entity} starts a bulk change (202 with the job); GET /api/bulk/jobs/{id} reports its progress. */
export const bulkRoutes = router()
  .openapi(
    createRoute({
      method: "post",
      path: "/bulk/{entity}",
      tags: ["Bulk"],
      summary: "Change or delete many records as one job (a selection, or every record matching a filter); each record is audited",
      request: { params, body: { content: { "application/json": { schema: bulkCreateSchema } }, required: true } },
      responses: { 202: json(bulkJobSchema, "Started"), ...problemResponses(400, 401, 403, 422) },
    }),
    async (c) => {
      const job = await createBulkJob({ db: c.var.services.db, actor: actorOf(c), role: c.var.auth.role, entity: c.req.valid("param").entity, body: c.req.valid("json") });
      await inBackground(c, job.id);
      return c.json(job, 202);
    },
  )
  .openapi(
    createRoute({ method: "get", path: "/bulk/jobs/{id}", tags: ["Bulk"], summary: "A bulk job's progress and per-record failures", request: { params: idParams }, responses: { 200: json(bulkJobSchema, "The job"), ...problemResponses(401, 404) } }),
    async (c) => c.json(await getBulkJob({ db: c.var.services.db, actor: actorOf(c), id: c.req.valid("param").id }), 200),
  );
