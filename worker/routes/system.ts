import { createRoute } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import { router } from "../lib/router";
import { brandingSchema, healthSchema } from "../schemas/auth";

const healthRoute = createRoute({
  method: "get",
  path: "/health",
  tags: ["System"],
  summary: "Readiness: configuration valid and database reachable",
  security: [],
  responses: {
    200: { description: "Ready", content: { "application/json": { schema: healthSchema } } },
    503: { description: "Not ready", content: { "application/json": { schema: healthSchema } } },
  },
});

const brandingRoute = createRoute({
  method: "get",
  path: "/branding",
  tags: ["System"],
  summary: "Branding from configuration (public: the sign-in page needs it)",
  security: [],
  responses: { 200: { description: "Branding", content: { "application/json": { schema: brandingSchema } } } },
});

export const systemRoutes = router()
  .openapi(healthRoute, async (c) => {
    try {
      await c.var.services.db.http.execute(sql`select 1`);
      return c.json({ status: "ok" as const, db: "ok" as const }, 200);
    } catch (err) {
      console.error(JSON.stringify({ level: "error", requestId: c.var.requestId, msg: "health: database unreachable", error: String(err) }));
      return c.json({ status: "degraded" as const, db: "down" as const }, 503);
    }
  })
  .openapi(brandingRoute, (c) => {
    const cfg = c.var.config;
    return c.json({ productName: cfg.BRAND_NAME, accentColor: cfg.BRAND_ACCENT_COLOR, logoUrl: cfg.BRAND_LOGO_URL ?? null }, 200);
  });
