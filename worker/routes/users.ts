import { createRoute, z } from "@hono/zod-openapi";
import { problemResponses, router } from "../lib/router";
import { userSchema } from "../schemas/common";
import { userCreateSchema, userListQuerySchema, userPageSchema, userUpdateSchema, userWithPasswordSchema } from "../schemas/users";
import { assertNotLocked, recordAttempt, type Bucket } from "../middleware/throttle";
import { createUser } from "../services/users/create";
import { EmailTakenError } from "../services/users/load";
import { deactivateUser } from "../services/users/deactivate";
import { getUser } from "../services/users/get";
import { listUsers } from "../services/users/list";
import { reactivateUser } from "../services/users/reactivate";
import { resetUserPassword } from "../services/users/reset-password";
import { updateUser } from "../services/users/update";
import { actorOf } from "./records";

// Everyone may read colleagues (owner pickers); every other call needs ADMIN (worker/middleware/policy.ts).
const tags = ["Users"];

/**
 * Refused addresses per workspace per hour. A 409 still tells an ADMIN that an address is registered somewhere
 * (sign-in is by e-mail, unique across workspaces, until users may belong to several); this caps how many addresses
 * one workspace can probe. Past it every create waits, whatever the address, so the 429 itself says nothing.
 */
const TAKEN_PER_HOUR = 10;
const idParams = z.object({ id: z.string().openapi({ param: { name: "id", in: "path" }, format: "uuid" }) });
const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });
const body = <T extends z.ZodType>(schema: T) => ({ body: { content: { "application/json": { schema } }, required: true } });

const action = (path: string, summary: string, description: string) =>
  createRoute({
    method: "post",
    path: `/users/{id}/${path}`,
    tags,
    summary,
    description,
    request: { params: idParams },
    responses: { 200: json(userSchema, "The user"), ...problemResponses(401, 403, 404, 409) },
  });

export const usersRoutes = router()
  .openapi(
    createRoute({
      method: "get",
      path: "/users",
      tags,
      summary: "List the workspace's users by name",
      request: { query: userListQuerySchema },
      responses: { 200: json(userPageSchema, "A page of users"), ...problemResponses(400, 401) },
    }),
    async (c) => c.json(await listUsers({ db: c.var.services.db, workspaceId: c.var.auth.workspaceId, query: c.req.valid("query") }), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/users",
      tags,
      summary: "Add a user (ADMIN)",
      description: "Without `password` a temporary one is generated, returned once, and must be changed at first sign-in.",
      request: body(userCreateSchema),
      responses: { 201: json(userWithPasswordSchema, "Created"), ...problemResponses(401, 403, 409, 422, 429) },
    }),
    async (c) => {
      const buckets: Bucket[] = [{ name: `users:taken:${c.var.auth.workspaceId}`, limit: TAKEN_PER_HOUR, windowSeconds: 3600 }];
      await assertNotLocked(c.var.services.limiter, buckets, "user-creation");
      try {
        return c.json(await createUser({ db: c.var.services.db, actor: actorOf(c), body: c.req.valid("json") }), 201);
      } catch (err) {
        if (err instanceof EmailTakenError) await recordAttempt(c.var.services.limiter, buckets);
        throw err;
      }
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/users/{id}",
      tags,
      summary: "One user",
      request: { params: idParams },
      responses: { 200: json(userSchema, "The user"), ...problemResponses(401, 404) },
    }),
    async (c) => c.json(await getUser({ db: c.var.services.db, workspaceId: c.var.auth.workspaceId, id: c.req.valid("param").id }), 200),
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/users/{id}",
      tags,
      summary: "Rename a user or change their role (ADMIN)",
      request: { params: idParams, ...body(userUpdateSchema) },
      responses: { 200: json(userSchema, "Updated"), ...problemResponses(401, 403, 404, 409, 422) },
    }),
    async (c) => c.json(await updateUser({ db: c.var.services.db, actor: actorOf(c), id: c.req.valid("param").id, patch: c.req.valid("json") }), 200),
  )
  .openapi(
    action("deactivate", "Deactivate a user (ADMIN)", "They can no longer sign in and their sessions end at once. The last active ADMIN cannot be deactivated."),
    async (c) => c.json(await deactivateUser({ db: c.var.services.db, actor: actorOf(c), id: c.req.valid("param").id }), 200),
  )
  .openapi(
    action("reactivate", "Reactivate a user (ADMIN)", "They can sign in again with their password."),
    async (c) => c.json(await reactivateUser({ db: c.var.services.db, actor: actorOf(c), id: c.req.valid("param").id }), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/users/{id}/reset-password",
      tags,
      summary: "Reset a user's password (ADMIN)",
      description: "Sets a generated temporary password (returned once) that must be changed at the next sign-in; the user's sessions end.",
      request: { params: idParams },
      responses: { 200: json(userWithPasswordSchema.extend({ temporaryPassword: z.string() }), "The user and their temporary password"), ...problemResponses(401, 403, 404) },
    }),
    async (c) => c.json(await resetUserPassword({ db: c.var.services.db, actor: actorOf(c), id: c.req.valid("param").id }), 200),
  );
