import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../app-env";
import { DEFAULT_UPLOAD_TYPES } from "../config";
import { problemResponses, router } from "../lib/router";
import { ProblemError, ValidationError } from "../lib/errors";
import { attachmentListSchema, attachmentSchema } from "../schemas/attachments";
import { contentDisposition } from "../services/attachments/content-type";
import { openAttachment } from "../services/attachments/download";
import { listAttachments } from "../services/attachments/list";
import type { AttachmentParentType } from "../services/attachments/parent";
import { assertUploadRate } from "../services/attachments/limits";
import { removeAttachment } from "../services/attachments/remove";
import { uploadAttachment } from "../services/attachments/upload";
import { actorOf, idParams } from "./records";

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });

/** Reads the single `file` part of a multipart body (the body itself was size-limited by the bodyLimits middleware). */
async function fileFromForm(c: Context<AppEnv>): Promise<File> {
  const type = c.req.header("Content-Type") ?? "";
  if (!/^multipart\/form-data\b/i.test(type)) {
    throw new ProblemError(415, "Unsupported Media Type", "Send the file as multipart/form-data with a part named `file`");
  }
  let form: Record<string, unknown>;
  try {
    form = await c.req.parseBody({ all: true });
  } catch {
    throw new ValidationError("The multipart body could not be read", [{ path: "(body)", message: "malformed multipart/form-data" }], 400);
  }
  const file = form.file;
  if (Array.isArray(file)) throw new ValidationError("Send one file per request", [{ path: "file", message: "more than one file" }]);
  if (!(file instanceof File)) throw new ValidationError("A file is required", [{ path: "file", message: "is required: a file part named `file`" }]);
  return file;
}

const parents: { type: AttachmentParentType; plural: string; tag: string }[] = [
  { type: "account", plural: "accounts", tag: "Accounts" },
  { type: "contact", plural: "contacts", tag: "Contacts" },
  { type: "lead", plural: "leads", tag: "Leads" },
  { type: "opportunity", plural: "opportunities", tag: "Opportunities" },
];

/** Upload and list per parent type, for the four record types that carry files. */
function parentRoutes(p: (typeof parents)[number]) {
  return router()
    .openapi(
      createRoute({
        method: "post",
        path: `/${p.plural}/{id}/attachments`,
        tags: [p.tag, "Attachments"],
        summary: `Attach a file to a ${p.type} (multipart/form-data, part \`file\`)`,
        description:
          "Limits: UPLOAD_MAX_BYTES (413), the workspace's UPLOAD_WORKSPACE_QUOTA_BYTES (413), UPLOADS_PER_MINUTE per uploader (429), an allowlist of content types checked against the file's first bytes and name (415), no empty files (422).",
        request: {
          params: idParams,
          // A plain schema (not zod): documents the body without a validator that would parse 25 MB before the
          // cheaper checks (record exists, declared size) have run.
          body: {
            required: true,
            content: { "multipart/form-data": { schema: { type: "object", properties: { file: { type: "string", format: "binary" } }, required: ["file"] } } },
          },
        },
        responses: { 201: json(attachmentSchema, "Stored"), ...problemResponses(400, 401, 403, 404, 413, 415, 422, 429, 503) },
      }),
      async (c) => {
        const { auth, config, services } = c.var;
        const recordId = c.req.valid("param").id;
        await assertUploadRate({ limiter: services.limiter, config, workspaceId: auth.workspaceId, principal: auth.via === "api_key" ? `key:${auth.apiKeyId}` : `user:${auth.userId}` });
        const file = await fileFromForm(c);
        const created = await uploadAttachment({
          db: services.db,
          store: services.storage,
          actor: actorOf(c),
          parentType: p.type,
          recordId,
          file,
          maxBytes: config.UPLOAD_MAX_BYTES,
          quotaBytes: config.UPLOAD_WORKSPACE_QUOTA_BYTES,
          allowedTypes: config.UPLOAD_ALLOWED_TYPES,
        });
        c.header("Location", created.downloadUrl);
        return c.json(created, 201);
      },
    )
    .openapi(
      createRoute({
        method: "get",
        path: `/${p.plural}/{id}/attachments`,
        tags: [p.tag, "Attachments"],
        summary: `Files attached to a ${p.type}, newest first`,
        request: { params: idParams },
        responses: { 200: json(attachmentListSchema, "The files"), ...problemResponses(401, 404) },
      }),
      async (c) => {
        const items = await listAttachments({ db: c.var.services.db, workspaceId: c.var.auth.workspaceId, parentType: p.type, recordId: c.req.valid("param").id });
        return c.json({ data: items }, 200);
      },
    );
}

export const accountAttachmentRoutes = parentRoutes(parents[0]!);
export const contactAttachmentRoutes = parentRoutes(parents[1]!);
export const leadAttachmentRoutes = parentRoutes(parents[2]!);
export const opportunityAttachmentRoutes = parentRoutes(parents[3]!);

export const attachmentRoutes = router()
  .openapi(
    createRoute({
      method: "get",
      path: "/attachments/{id}/download",
      tags: ["Attachments"],
      summary: "Download a file (streamed; Content-Disposition: attachment)",
      request: { params: idParams },
      responses: {
        200: {
          description: "The file's bytes, with the Content-Type checked at upload (one of UPLOAD_ALLOWED_TYPES; the defaults are listed)",
          content: Object.fromEntries(DEFAULT_UPLOAD_TYPES.map((t) => [t, { schema: { type: "string", format: "binary" } }])),
        },
        ...problemResponses(401, 404, 503),
      },
    }),
    async (c) => {
      const { row, object } = await openAttachment({
        db: c.var.services.db,
        store: c.var.services.storage,
        workspaceId: c.var.auth.workspaceId,
        id: c.req.valid("param").id,
        requestId: c.var.requestId,
      });
      return c.body(object.body, 200, {
        // The type checked at upload, never a guess from the bytes: with nosniff and `attachment` a browser saves the
        // file instead of rendering it in the app's origin.
        "Content-Type": row.contentType,
        "Content-Length": String(object.size),
        "Content-Disposition": contentDisposition(row.filename),
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store",
        "Content-Security-Policy": "default-src 'none'; sandbox",
      });
    },
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/attachments/{id}",
      tags: ["Attachments"],
      summary: "Delete a file (ADMIN any file; USER only files they uploaded)",
      request: { params: idParams },
      responses: { 204: { description: "Deleted" }, ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      await removeAttachment({
        db: c.var.services.db,
        store: c.var.services.storage,
        actor: actorOf(c),
        role: c.var.auth.role,
        id: c.req.valid("param").id,
      });
      return c.body(null, 204);
    },
  );
