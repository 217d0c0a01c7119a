import { createRoute, z } from "@hono/zod-openapi";
import { problemResponses, router } from "../lib/router";
import { commentCreateSchema, commentListSchema, commentSchema, commentUpdateSchema } from "../schemas/comments";
import { createComment } from "../services/comments/create";
import { listComments } from "../services/comments/list";
import { removeComment } from "../services/comments/remove";
import type { CommentTargetType } from "../services/comments/target";
import { updateComment } from "../services/comments/update";
import { actorOf, idParams } from "./records";

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });
const body = <T extends z.ZodType>(schema: T) => ({ body: { content: { "application/json": { schema } }, required: true } });
const commentParams = idParams.extend({ commentId: z.string().openapi({ param: { name: "commentId", in: "path" }, format: "uuid" }) });

const targets: { type: CommentTargetType; plural: string; tag: string }[] = [
  { type: "account", plural: "accounts", tag: "Accounts" },
  { type: "contact", plural: "contacts", tag: "Contacts" },
  { type: "lead", plural: "leads", tag: "Leads" },
  { type: "opportunity", plural: "opportunities", tag: "Opportunities" },
  { type: "activity", plural: "activities", tag: "Activities" },
];

/** GET/POST /api/{entity}/:id/comments and PATCH/DELETE /api/{entity}/:id/comments/:commentId for records and timeline items. */
function commentRoutes(t: (typeof targets)[number]) {
  const path = `/${t.plural}/{id}/comments`;
  const what = t.type === "activity" ? "timeline item" : t.type;
  return router()
    .openapi(
      createRoute({ method: "get", path, tags: [t.tag], summary: `Comments on a ${what}, threaded one level`, request: { params: idParams }, responses: { 200: json(commentListSchema, "Oldest first"), ...problemResponses(401, 404) } }),
      async (c) => c.json({ data: await listComments({ db: c.var.services.db, workspaceId: c.var.auth.workspaceId, type: t.type, id: c.req.valid("param").id }) }, 200),
    )
    .openapi(
      createRoute({
        method: "post",
        path,
        tags: [t.tag],
        summary: `Comment on a ${what} (mentions notify; mentioning someone without access is refused)`,
        request: { params: idParams, ...body(commentCreateSchema) },
        responses: { 201: json(commentSchema, "Created"), ...problemResponses(401, 403, 404, 422) },
      }),
      async (c) => {
        const { body: text, parentId } = c.req.valid("json");
        return c.json(await createComment({ db: c.var.services.db, actor: actorOf(c), type: t.type, id: c.req.valid("param").id, body: text, parentId }), 201);
      },
    )
    .openapi(
      createRoute({ method: "patch", path: `${path}/{commentId}`, tags: [t.tag], summary: "Edit your comment (marked edited)", request: { params: commentParams, ...body(commentUpdateSchema) }, responses: { 200: json(commentSchema, "Edited"), ...problemResponses(401, 403, 404, 422) } }),
      async (c) => {
        const { id, commentId } = c.req.valid("param");
        return c.json(await updateComment({ db: c.var.services.db, actor: actorOf(c), type: t.type, id, commentId, body: c.req.valid("json").body }), 200);
      },
    )
    .openapi(
      createRoute({ method: "delete", path: `${path}/{commentId}`, tags: [t.tag], summary: "Delete a comment and its replies (author or ADMIN)", request: { params: commentParams }, responses: { 200: json(z.object({ id: z.uuid(), deleted: z.number().int() }), "Deleted"), ...problemResponses(401, 403, 404) } }),
      async (c) => {
        const { id, commentId } = c.req.valid("param");
        return c.json(await removeComment({ db: c.var.services.db, actor: actorOf(c), role: c.var.auth.role, type: t.type, id, commentId }), 200);
      },
    );
}

export const [accountCommentRoutes, contactCommentRoutes, leadCommentRoutes, opportunityCommentRoutes, activityCommentRoutes] = targets.map(commentRoutes) as [
  ReturnType<typeof commentRoutes>, ReturnType<typeof commentRoutes>, ReturnType<typeof commentRoutes>, ReturnType<typeof commentRoutes>, ReturnType<typeof commentRoutes>,
];
