import { createRoute } from "@hono/zod-openapi";
import { problemResponses, router } from "../lib/router";
import { metaSchemas } from "../schemas/meta";
import { getMeta } from "../services/meta/get";

// Every role reads it (VIEWER included): it describes the workspace's fields, not its data.
export const metaRoutes = router().openapi(
  createRoute({
    method: "get",
    path: "/meta",
    tags: ["Meta"],
    summary: "Fields (core and custom), pipelines with their stages and reason codes of the workspace",
    responses: { 200: { description: "The workspace's metadata", content: { "application/json": { schema: metaSchemas().meta } } }, ...problemResponses(401) },
  }),
  async (c) => c.json(await getMeta({ db: c.var.services.db, workspaceId: c.var.auth.workspaceId }), 200),
);
