import { createRoute } from "@hono/zod-openapi";
import { problemResponses, router } from "../lib/router";
import { auditPageSchema, auditQuerySchema } from "../schemas/audit";
import { listAudit } from "../services/audit/list";

// ADMIN only (worker/middleware/policy.ts): the trail shows every colleague's changes.
export const auditRoutes = router().openapi(
  createRoute({
    method: "get",
    path: "/audit",
    tags: ["Audit"],
    summary: "The audit trail, newest first (ADMIN)",
    description: "Every mutation with its actor, request id and field-level before → after. Filters combine with AND.",
    request: { query: auditQuerySchema },
    responses: { 200: { description: "A page of entries", content: { "application/json": { schema: auditPageSchema } } }, ...problemResponses(400, 401, 403) },
  }),
  async (c) => c.json(await listAudit({ db: c.var.services.db, workspaceId: c.var.auth.workspaceId, query: c.req.valid("query") }), 200),
);
