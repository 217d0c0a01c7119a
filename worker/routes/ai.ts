import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../app-env";
import { problemResponses, router } from "../lib/router";
import * as s from "../schemas/ai";
import { activitySchema } from "../schemas/records";
import { createSuggestedTask } from "../services/ai/create-suggested-task";
import { dealBrief } from "../services/ai/deal-brief";
import type { AiDeps } from "../services/ai/deps";
import { draftEmail } from "../services/ai/draft-email";
import { getUsage } from "../services/ai/get-usage";
import { getJob, latestSummary, listDeadLetters } from "../services/ai/jobs";
import { nextBestActions } from "../services/ai/next-best-actions";
import { requestSummary } from "../services/ai/request-summary";
import { retryDeadLetter } from "../services/ai/retry-dead-letter";
import { summaryVersions } from "../services/ai/summary-versions";
import { saveDraft, sendDraft } from "../services/ai/save-draft";
import { sendRecordEmail } from "../services/email/send";
import { actorOf } from "./records";

// Roles (worker/middleware/policy.ts): reads VIEWER, writes USER, usage and dead letters ADMIN. Every generating
// route counts against the caller's AI limits (429 + Retry-After when over).
const tags = ["AI"];
const uuidParam = (name: string) => z.string().openapi({ param: { name, in: "path" }, format: "uuid" });
const idParams = z.object({ id: uuidParam("id") });
const activityParams = z.object({ activityId: uuidParam("activityId") });
const opportunityParams = z.object({ opportunityId: uuidParam("opportunityId") });
const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });
const body = <T extends z.ZodType>(schema: T) => ({ body: { content: { "application/json": { schema } }, required: true } });

/** What the AI services need from a request (also /mcp's draft_email). */
export const aiDeps = (c: Context<AppEnv>): AiDeps => {
  const { db, limiter, queues } = c.var.services;
  return { db, limiter, queues, config: c.var.config, actor: actorOf(c) };
};
const ws = (c: Context<AppEnv>) => c.var.auth.workspaceId;

const summaryAccepted = z.object({
  jobId: z.uuid(),
  status: z.enum(s.aiJobStatuses),
  created: z.boolean().describe("false when a summary of this record was already in flight (that job is returned)"),
  job: s.aiJobSchema.omit({ result: true }),
});
const summaryWritten = summaryAccepted.extend({ job: s.aiJobSchema });

export const aiRoutes = router()
  .openapi(
    createRoute({
      method: "post",
      path: "/ai/summaries",
      tags,
      summary: "A fresh AI summary of a record: written at once offline, else queued for the provider",
      description:
        "Without a provider key the offline engine writes the `ai_summary` activity during the request: 200 with the finished job and its `result`. With one, answers 202 with a job id at once; the queue consumer writes the summary. Poll GET /api/ai/jobs/{id}.",
      request: body(s.summaryRequestSchema),
      responses: { 200: json(summaryWritten, "Written now (offline engine)"), 202: json(summaryAccepted, "Queued"), ...problemResponses(401, 403, 404, 422, 429, 503) },
    }),
    async (c) => {
      const r = await requestSummary(aiDeps(c), c.req.valid("json"));
      c.header("Location", `/api/ai/jobs/${r.job.id}`);
      if (r.written) return c.json({ jobId: r.job.id, status: r.job.status, created: r.created, job: r.job }, 200);
      return c.json({ jobId: r.job.id, status: r.job.status, created: r.created, job: r.job }, 202);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/ai/summaries",
      tags,
      summary: "The latest AI summary of a record, and the summary job still running for it",
      request: { query: s.summaryLatestQuerySchema },
      responses: { 200: json(s.summaryLatestSchema, "Latest summary"), ...problemResponses(400, 401, 404) },
    }),
    async (c) => {
      const q = c.req.valid("query");
      return c.json(await latestSummary({ db: c.var.services.db, workspaceId: ws(c), targetType: q.targetType, targetId: q.targetId }), 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/ai/summaries/versions",
      tags,
      summary: "Every summary of a record, newest first (the timeline shows the latest; these are its earlier versions)",
      request: { query: s.summaryLatestQuerySchema },
      responses: {
        200: json(z.object({ data: z.array(s.summaryResultSchema.extend({ requestedBy: z.object({ id: z.uuid(), name: z.string() }).nullable() })) }), "Summaries, newest first (at most 20)"),
        ...problemResponses(400, 401, 404),
      },
    }),
    async (c) => {
      const q = c.req.valid("query");
      return c.json(await summaryVersions({ db: c.var.services.db, workspaceId: ws(c), targetType: q.targetType, targetId: q.targetId }), 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/ai/jobs/{id}",
      tags,
      summary: "Status of an AI job, with its summary once it succeeded",
      request: { params: idParams },
      responses: { 200: json(s.aiJobSchema, "The job"), ...problemResponses(401, 404) },
    }),
    async (c) => c.json(await getJob({ db: c.var.services.db, workspaceId: ws(c), id: c.req.valid("param").id }), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/ai/dead-letters",
      tags,
      summary: "AI jobs the queue gave up on (ADMIN)",
      request: { query: s.deadLettersQuerySchema },
      responses: { 200: json(z.object({ data: z.array(s.deadLetterSchema) }), "Dead jobs, newest first"), ...problemResponses(400, 401, 403) },
    }),
    async (c) => c.json(await listDeadLetters({ db: c.var.services.db, workspaceId: ws(c), limit: c.req.valid("query").limit }), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/ai/dead-letters/{id}/retry",
      tags,
      summary: "Put a dead AI job back on the queue (ADMIN)",
      request: { params: idParams },
      responses: { 202: json(s.aiJobSchema.omit({ result: true }), "Queued again"), ...problemResponses(401, 403, 404, 409, 503) },
    }),
    async (c) => c.json(await retryDeadLetter({ db: c.var.services.db, queues: c.var.services.queues, workspaceId: ws(c), id: c.req.valid("param").id }), 202),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/ai/next-best-actions",
      tags,
      summary: "Ranked next best actions for a deal, each with rationale, citations and a one-click task",
      request: body(s.nextActionsRequestSchema),
      responses: { 200: json(s.nextActionsResultSchema, "Suggested actions (stored as an ai_next_actions activity)"), ...problemResponses(401, 403, 404, 422, 429) },
    }),
    async (c) => c.json(await nextBestActions(aiDeps(c), c.req.valid("json")), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/ai/next-best-actions/{activityId}/create-task",
      tags,
      summary: "Create the task of a suggested action, linked to the suggestion",
      description: "201 with the new task; 200 with the task already created from this action (no duplicate).",
      request: { params: activityParams, ...body(s.createSuggestedTaskSchema) },
      responses: { 201: json(activitySchema, "Task created"), 200: json(activitySchema, "Already created"), ...problemResponses(401, 403, 404, 422) },
    }),
    async (c) => {
      const { index, ...overrides } = c.req.valid("json");
      const { task, created } = await createSuggestedTask({ db: c.var.services.db, actor: actorOf(c), suggestionId: c.req.valid("param").activityId, index, overrides });
      return created ? c.json(task as never, 201) : c.json(task as never, 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/ai/draft-email",
      tags,
      summary: "Draft an e-mail about a deal or to a contact, grounded in its history",
      request: body(s.draftEmailRequestSchema),
      responses: { 200: json(s.emailDraftResultSchema, "The draft (stored as an ai_email_draft activity)"), ...problemResponses(401, 403, 404, 422, 429) },
    }),
    async (c) => c.json(await draftEmail(aiDeps(c), { ...c.req.valid("json"), senderName: c.var.auth.name ?? null }), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/ai/drafts/{activityId}/save",
      tags,
      summary: "Save edits to an AI e-mail draft",
      request: { params: activityParams, ...body(s.saveDraftSchema) },
      responses: { 200: json(s.emailDraftResultSchema, "The saved draft"), ...problemResponses(401, 403, 404, 409, 422) },
    }),
    async (c) => c.json(await saveDraft({ db: c.var.services.db, actor: actorOf(c), draftId: c.req.valid("param").activityId, patch: c.req.valid("json") }), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/ai/drafts/{activityId}/send",
      tags,
      summary: "Send an AI e-mail draft to its recipient through the mail provider (as POST /{contacts|opportunities}/{id}/emails with draftId does), logged as an outbound email activity",
      request: { params: activityParams, ...body(s.saveDraftSchema) },
      responses: {
        201: json(z.object({ draft: s.emailDraftResultSchema, email: activitySchema }), "Sent and logged"),
        ...problemResponses(401, 403, 404, 409, 422, 502),
      },
    }),
    async (c) => {
      const actor = actorOf(c);
      const { db, mailer } = c.var.services;
      const out = await sendDraft({
        db,
        actor,
        draftId: c.req.valid("param").activityId,
        patch: c.req.valid("json"),
        send: (e) => sendRecordEmail({ db, mailer, actor, secret: c.var.config.JWT_SECRET, inboundDomain: c.var.config.INBOUND_EMAIL_DOMAIN, ...e }),
      });
      return c.json(out as never, 201);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/ai/deal-brief/{opportunityId}",
      tags,
      summary: "A one-page deal brief: standing, people, history, risks, next steps — every line cited",
      description: "Reuses the last brief while nothing on the deal changed (cached: true); ?refresh=true generates a new one.",
      request: { params: opportunityParams, query: s.dealBriefQuerySchema },
      responses: { 200: json(s.dealBriefResultSchema, "The brief (stored as an ai_deal_brief activity)"), ...problemResponses(400, 401, 404, 429) },
    }),
    async (c) => {
      const refresh = ["true", "1"].includes(c.req.valid("query").refresh ?? "");
      return c.json(await dealBrief(aiDeps(c), { opportunityId: c.req.valid("param").opportunityId, refresh }), 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/ai/usage",
      tags,
      summary: "Metered AI usage per UTC day: requests, tokens, estimated cost (ADMIN)",
      request: { query: s.usageQuerySchema },
      responses: { 200: json(s.usageSchema, "Usage"), ...problemResponses(400, 401, 403) },
    }),
    async (c) => {
      const q = c.req.valid("query");
      return c.json(await getUsage({ db: c.var.services.db, limiter: c.var.services.limiter, config: c.var.config, workspaceId: ws(c), from: q.from, to: q.to }), 200);
    },
  );
