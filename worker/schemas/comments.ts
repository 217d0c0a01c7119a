import { z } from "@hono/zod-openapi";

const person = z.object({ id: z.uuid(), name: z.string() });
const commentBase = z.object({
  id: z.uuid(),
  parentId: z.uuid().nullable().describe("The top-level comment a reply answers, or the timeline item a comment is on"),
  body: z.string().describe("Markdown subset (bold, italic, code, links, lists); mentions are written `@[Name](user:<id>)`"),
  author: person.nullable(),
  mentions: z.array(person),
  createdAt: z.string(),
  editedAt: z.string().nullable().describe("Set when the author edited it"),
});
export const commentSchema = commentBase.extend({ replies: z.array(commentBase).optional() }).meta({ id: "Comment" });
export const commentListSchema = z.object({ data: z.array(commentSchema) });
export const commentCreateSchema = z.strictObject({
  body: z.string().trim().min(1, "is empty").max(20_000),
  parentId: z.uuid().nullable().optional().describe("Reply to this comment (threads are one level deep)"),
});
export const commentUpdateSchema = z.strictObject({ body: z.string().trim().min(1, "is empty").max(20_000) });
