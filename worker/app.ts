import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "./app-env";
import { auth } from "./middleware/auth";
import { requestId, services } from "./middleware/context";
import { problem, renderError } from "./middleware/errors";
import { auditRoutes } from "./routes/audit";
import { authRoutes } from "./routes/auth";
import { brandingAssetRoutes } from "./routes/branding-assets";
import { changePasswordRoutes } from "./routes/change-password";
import { leadConvertRoutes } from "./routes/leads";
import { pipelineRoutes } from "./routes/pipeline";
import { accountRoutes, activityRoutes, contactRoutes, leadRoutes, opportunityRoutes } from "./routes/records";
import { stagesRoutes } from "./routes/stages";
import { systemRoutes } from "./routes/system";
import { usersRoutes } from "./routes/users";
import { problemSchema } from "./schemas/common";

const app = new OpenAPIHono<AppEnv>();

// Order matters: request id (for every log and problem), config + per-request services, then auth + role policy.
app.use("/api/*", requestId, services, auth);

const routes = app
  .route("/api", systemRoutes)
  .route("/api/auth", authRoutes)
  .route("/api/auth", changePasswordRoutes)
  .route("/api", usersRoutes)
  .route("/api", auditRoutes)
  .route("/api", stagesRoutes)
  // The board before /opportunities/{id}, so "pipeline" is never taken for an id.
  .route("/api", pipelineRoutes)
  .route("/api", accountRoutes)
  .route("/api", contactRoutes)
  .route("/api", leadConvertRoutes)
  .route("/api", leadRoutes)
  .route("/api", opportunityRoutes)
  .route("/api", activityRoutes);

app.openAPIRegistry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer", bearerFormat: "JWT or API key" });
app.openAPIRegistry.register("Problem", problemSchema);
app.doc31("/api/openapi.json", (c) => ({
  openapi: "3.1.0",
  info: { title: `${c.var.config?.BRAND_NAME ?? "Bespoke CRM"} API`, version: "1.0.0" },
  servers: [{ url: new URL(c.req.url).origin }],
  security: [{ bearer: [] }],
}));

// Outside /api: the manifest and favicon generated from BRAND_* (wrangler.toml run_worker_first lists them).
app.route("/", brandingAssetRoutes);

app.notFound((c) =>
  c.req.path.startsWith("/api/")
    ? problem(c, 404, "Not Found", `No route for ${c.req.method} ${c.req.path}`)
    : c.env.ASSETS.fetch(c.req.raw),
);
app.onError(renderError);

export type AppType = typeof routes;
export { app };
