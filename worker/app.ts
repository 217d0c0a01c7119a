import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "./app-env";
import { apiKeyLimit } from "./middleware/api-key-limit";
import { auth, bearerCaller } from "./middleware/auth";
import { requestId, services } from "./middleware/context";
import { firstAdmin } from "./middleware/first-admin";
import { idempotency } from "./middleware/idempotency";
import { bodyLimits, corsMiddleware, jsonLimits, noStore, nulGuard, securityHeadersMiddleware } from "./middleware/hardening";
import { requestLog } from "./middleware/request-log";
import { eventRelay } from "./middleware/event-relay";
import { loginThrottle } from "./middleware/throttle";
import { problem, renderError } from "./middleware/errors";
import { aiRoutes } from "./routes/ai";
import { apiKeyRoutes } from "./routes/api-keys";
import { notificationRoutes } from "./routes/notifications";
import { accountAttachmentRoutes, attachmentRoutes, contactAttachmentRoutes, leadAttachmentRoutes, opportunityAttachmentRoutes } from "./routes/attachments";
import { auditRoutes } from "./routes/audit";
import { accountCommentRoutes, activityCommentRoutes, contactCommentRoutes, leadCommentRoutes, opportunityCommentRoutes } from "./routes/comments";
import { authRoutes } from "./routes/auth";
import { authSessionRoutes } from "./routes/auth-sessions";
import { brandingAssetRoutes, serveStatic } from "./routes/branding-assets";
import { changePasswordRoutes } from "./routes/change-password";
import { viewRoutes } from "./routes/views";
import { bulkRoutes } from "./routes/bulk";
import { customFieldRoutes } from "./routes/custom-fields";
import { dashboardRoutes } from "./routes/dashboard";
import { calendarRoutes, icsUploadRoutes } from "./routes/calendar";
import { contactEmailRoutes, emailRoutes, opportunityEmailRoutes } from "./routes/email";
import { devRoutes } from "./routes/dev";
import { leadConvertRoutes } from "./routes/leads";
import { mcpRoutes } from "./routes/mcp";
import { metaRoutes } from "./routes/meta";
import { passwordResetRoutes } from "./routes/password-reset";
import { importExportRoutes } from "./routes/import-export";
import { pipelineRoutes } from "./routes/pipeline";
import { reportRoutes } from "./routes/reports";
import { insightsRoutes } from "./routes/insights";
import { pipelinesRoutes } from "./routes/pipelines";
import { reasonCodeRoutes } from "./routes/reason-codes";
import { accountRoutes, activityRoutes, contactRoutes, leadRoutes, opportunityRoutes } from "./routes/records";
import { searchRoutes } from "./routes/search";
import { stagesRoutes } from "./routes/stages";
import { systemRoutes } from "./routes/system";
import { taskRoutes } from "./routes/tasks";
import { trashRoutes } from "./routes/trash";
import { usersRoutes } from "./routes/users";
import { webhookRoutes } from "./routes/webhooks";
import { automationRoutes } from "./routes/automations";
import { problemSchema } from "./schemas/common";
import { workspaceOpenApi } from "./services/meta/openapi";

const app = new OpenAPIHono<AppEnv>();

// Order matters: security headers wrap everything (assets and misconfiguration answers too); request id (for every
// log and problem); the request log; CORS before auth so preflights pass; config + per-request services; body size
// and JSON shape limits before anything parses a body; first admin on an empty database; then auth + role policy;
// then an API key's request budget (RateLimit-* headers); then no NUL characters anywhere in the input (after auth,
// so strangers still get 401 first). /mcp (the MCP endpoint) goes through the same chain as /api.
app.use("*", securityHeadersMiddleware);
const front = [requestId, requestLog, noStore, corsMiddleware, services, bodyLimits, jsonLimits, firstAdmin, auth, apiKeyLimit, nulGuard] as const;
app.use("/api/*", ...front);
app.use("/mcp", ...front);
// After auth (keys are per workspace and principal), before everything that acts: a replayed POST runs nothing below.
app.use("/api/*", idempotency);
// After the handler: the outbox rows the request committed go to the EVENTS queue (waitUntil, after the response);
// its consumer fans them out to webhooks, notifications, AI summaries and automations (worker/queues/events.ts).
app.use("/api/*", eventRelay);
app.use("/mcp", eventRelay);
app.use("/api/auth/login", loginThrottle);

const routes = app
  .route("/api", systemRoutes)
  .route("/api/auth", authRoutes)
  .route("/api/auth", authSessionRoutes)
  .route("/api/auth", changePasswordRoutes)
  .route("/api/auth", passwordResetRoutes)
  .route("/api", devRoutes)
  .route("/api", usersRoutes)
  .route("/api", auditRoutes)
  .route("/api", stagesRoutes)
  .route("/api", metaRoutes)
  // The board before /opportunities/{id}, so "pipeline" is never taken for an id.
  .route("/api", pipelineRoutes)
  .route("/api", pipelinesRoutes)
  .route("/api", reasonCodeRoutes)
  .route("/api", accountRoutes)
  .route("/api", contactRoutes)
  .route("/api", leadConvertRoutes)
  .route("/api", leadRoutes)
  .route("/api", opportunityRoutes)
  .route("/api", activityRoutes)
  .route("/api", searchRoutes)
  .route("/api", dashboardRoutes)
  .route("/api", taskRoutes)
  .route("/api", trashRoutes)
  .route("/api", reportRoutes)
  .route("/api", insightsRoutes)
  .route("/api", accountAttachmentRoutes)
  .route("/api", contactAttachmentRoutes)
  .route("/api", leadAttachmentRoutes)
  .route("/api", opportunityAttachmentRoutes)
  .route("/api", attachmentRoutes)
  .route("/api", accountCommentRoutes)
  .route("/api", contactCommentRoutes)
  .route("/api", leadCommentRoutes)
  .route("/api", opportunityCommentRoutes)
  .route("/api", activityCommentRoutes)
  .route("/api", emailRoutes)
  .route("/api", contactEmailRoutes)
  .route("/api", opportunityEmailRoutes)
  .route("/api", calendarRoutes)
  .route("/api", icsUploadRoutes[0])
  .route("/api", icsUploadRoutes[1])
  .route("/api", icsUploadRoutes[2])
  .route("/api", icsUploadRoutes[3])
  .route("/api", apiKeyRoutes)
  .route("/api", notificationRoutes)
  .route("/api", importExportRoutes)
  .route("/api", webhookRoutes)
  .route("/api", automationRoutes)
  .route("/api", customFieldRoutes)
  .route("/api", aiRoutes)
  .route("/api", viewRoutes)
  .route("/api", bulkRoutes);

app.openAPIRegistry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer", bearerFormat: "JWT or API key" });
app.openAPIRegistry.register("Problem", problemSchema);
// The contract. Public; a caller who sends its token or API key gets its workspace's document, where each record's
// `custom` object lists the workspace's custom fields as typed properties (services/meta/openapi.ts).
app.get("/api/openapi.json", async (c) => {
  const doc = app.getOpenAPI31Document({
    openapi: "3.1.0",
    info: { title: `${c.var.config?.BRAND_NAME ?? "Bespoke CRM"} API`, version: "1.0.0" },
    servers: [{ url: new URL(c.req.url).origin }],
    security: [{ bearer: [] }],
  });
  // A credential that does not authenticate gets the public document, as no credential does (the route is public).
  const who = await bearerCaller(c).catch(() => null);
  if (!who) return c.json(doc);
  c.header("Vary", "Authorization");
  return c.json(await workspaceOpenApi({ db: c.var.services.db.http, workspaceId: who.workspaceId, doc }));
});

// The Model Context Protocol endpoint for AI assistants (worker/mcp/): tools over the same service verbs as REST.
app.route("/", mcpRoutes);

// Outside /api: the manifest and favicon generated from BRAND_* (wrangler.toml run_worker_first lists them).
app.route("/", brandingAssetRoutes);

app.notFound((c) =>
  c.req.path.startsWith("/api/")
    ? problem(c, 404, "Not Found", `No route for ${c.req.method} ${c.req.path}`)
    : serveStatic(c),
);
app.onError(renderError);

export type AppType = typeof routes;
export { app };
