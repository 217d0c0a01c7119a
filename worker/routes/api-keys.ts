import { createRoute } from "@hono/zod-openapi";
import { problemResponses, router } from "../lib/router";
import { apiKeyCreatedSchema, apiKeyCreateSchema, apiKeyListSchema, apiKeySchema } from "../schemas/api-keys";
import { createApiKey } from "../services/api-keys/create";
import { listApiKeys } from "../services/api-keys/list";
import { revokeApiKey } from "../services/api-keys/revoke";
import { actorOf, idParams } from "./records";

/** ADMIN only (policy table), and only for people signed in: an API key cannot manage keys (auth middleware). */
export const apiKeyRoutes = router()
  .openapi(
    createRoute({
      method: "post",
      path: "/api-keys",
      tags: ["API keys"],
      summary: "Create an API key (the secret is in this response only)",
      request: { body: { content: { "application/json": { schema: apiKeyCreateSchema } }, required: true } },
      responses: { 201: { description: "Created", content: { "application/json": { schema: apiKeyCreatedSchema } } }, ...problemResponses(401, 403, 422) },
    }),
    async (c) => {
      const { name, role } = c.req.valid("json");
      const created = await createApiKey({ db: c.var.services.db, actor: actorOf(c), name, role });
      // The one response that carries the secret must not be kept by any cache.
      c.header("Cache-Control", "no-store");
      return c.json(created, 201);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/api-keys",
      tags: ["API keys"],
      summary: "List the workspace's API keys (never their secrets)",
      responses: { 200: { description: "Keys, newest first", content: { "application/json": { schema: apiKeyListSchema } } }, ...problemResponses(401, 403) },
    }),
    async (c) => c.json({ data: await listApiKeys({ db: c.var.services.db, workspaceId: c.var.auth.workspaceId }) }, 200),
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/api-keys/{id}",
      tags: ["API keys"],
      summary: "Revoke an API key (it stops working at once)",
      request: { params: idParams },
      responses: { 200: { description: "Revoked", content: { "application/json": { schema: apiKeySchema } } }, ...problemResponses(401, 403, 404) },
    }),
    async (c) => c.json(await revokeApiKey({ db: c.var.services.db, actor: actorOf(c), id: c.req.valid("param").id }), 200),
  );
