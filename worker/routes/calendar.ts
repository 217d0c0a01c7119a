import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../app-env";
import { NotFoundError, ValidationError } from "../lib/errors";
import { problemResponses, router } from "../lib/router";
import { calendarFeedSchema, issuedFeedSchema } from "../schemas/capture";
import { calendarFeed } from "../services/calendar/feed";
import { importIcsMeeting } from "../services/calendar/import-ics";
import { issueCaptureToken } from "../services/capture-tokens/issue";
import { revokeCaptureToken } from "../services/capture-tokens/revoke";
import { captureTokenStatus } from "../services/capture-tokens/status";
import { actorOf, idParams } from "./records";

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });
const MAX_ICS = 1024 * 1024;

/** The feed's public URL: the API's own origin (the SPA and the API share it unless APP_URL says otherwise). */
const feedUrl = (c: Context<AppEnv>, token: string) => `${new URL(c.req.url).origin}/api/calendar/${token}/feed.ics`;

export const calendarRoutes = router()
  .openapi(
    createRoute({ method: "get", path: "/calendar/feed", tags: ["Calendar"], summary: "Your private calendar feed (whether one exists; the URL is shown only when made)", responses: { 200: json(calendarFeedSchema, "Status"), ...problemResponses(401) } }),
    async (c) => c.json({ feed: (await captureTokenStatus(c.var.services.db.http, c.var.auth.workspaceId, c.var.auth.userId)).ics ?? null }, 200),
  )
  .openapi(
    createRoute({ method: "post", path: "/calendar/feed", tags: ["Calendar"], summary: "Make (or replace) your private ICS feed URL; the previous URL stops working", responses: { 201: json(issuedFeedSchema, "The URL, shown once"), ...problemResponses(401) } }),
    async (c) => {
      const { token, createdAt } = await issueCaptureToken({ db: c.var.services.db, actor: actorOf(c), kind: "ics" });
      return c.json({ url: feedUrl(c, token), createdAt }, 201);
    },
  )
  .openapi(
    createRoute({ method: "delete", path: "/calendar/feed", tags: ["Calendar"], summary: "Revoke your ICS feed URL", responses: { 200: json(z.object({ revoked: z.number().int() }), "Revoked"), ...problemResponses(401) } }),
    async (c) => c.json(await revokeCaptureToken({ db: c.var.services.db, actor: actorOf(c), kind: "ics" }), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/calendar/{token}/feed.ics",
      tags: ["Calendar"],
      summary: "A user's tasks and meetings as iCalendar (the secret URL is the credential)",
      security: [],
      request: { params: z.object({ token: z.string().openapi({ param: { name: "token", in: "path" } }) }) },
      responses: { 200: { description: "text/calendar", content: { "text/calendar": { schema: z.string() } } }, ...problemResponses(404) },
    }),
    async (c) => {
      const ics = await calendarFeed({ db: c.var.services.db, token: c.req.valid("param").token, appUrl: c.var.config.APP_URL ?? new URL(c.req.url).origin, brand: c.var.config.BRAND_NAME });
      if (ics === null) throw new NotFoundError("Calendar feed");
      return c.body(ics, 200, { "Content-Type": "text/calendar; charset=utf-8", "Content-Disposition": 'inline; filename="crm.ics"' });
    },
  );

/** POST /api/{entity}/:id/meetings/ics: an uploaded invitation (multipart `file`, or a text/calendar body) becomes a meeting. */
function icsRoute(type: "account" | "contact" | "lead" | "opportunity", plural: string, tag: string) {
  return router().openapi(
    createRoute({
      method: "post",
      path: `/${plural}/{id}/meetings/ics`,
      tags: [tag],
      summary: "Log a meeting from an .ics invitation (attendees linked to contacts)",
      request: { params: idParams },
      responses: { 201: json(z.record(z.string(), z.unknown()), "The meeting activity"), ...problemResponses(401, 403, 404, 413, 422) },
    }),
    async (c) => {
      const ct = c.req.header("Content-Type") ?? "";
      let text: string;
      if (/^multipart\/form-data/i.test(ct)) {
        const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
        const file = (form as Record<string, unknown>).file;
        if (!(file instanceof File)) throw new ValidationError("Send the invitation as a file part named `file`", [{ path: "file", message: "is required" }]);
        if (file.size > MAX_ICS) throw new ValidationError(`The invitation is larger than ${MAX_ICS} bytes`, [{ path: "file", message: "too large" }], 413);
        text = await file.text();
      } else {
        text = await c.req.text();
        if (text.length > MAX_ICS) throw new ValidationError(`The invitation is larger than ${MAX_ICS} bytes`, [{ path: "file", message: "too large" }], 413);
      }
      return c.json(await importIcsMeeting({ db: c.var.services.db, actor: actorOf(c), type, id: c.req.valid("param").id, ics: text }), 201);
    },
  );
}
export const icsUploadRoutes = [
  icsRoute("account", "accounts", "Accounts"),
  icsRoute("contact", "contacts", "Contacts"),
  icsRoute("lead", "leads", "Leads"),
  icsRoute("opportunity", "opportunities", "Opportunities"),
] as const;
