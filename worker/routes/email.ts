import { createRoute, z } from "@hono/zod-openapi";
import { problemResponses, router } from "../lib/router";
import { emailCaptureSchema, emailSettingsSchema, issuedAddressSchema, sendEmailSchema, sentEmailSchema } from "../schemas/capture";
import { issueCaptureToken } from "../services/capture-tokens/issue";
import { revokeCaptureToken } from "../services/capture-tokens/revoke";
import { captureTokenStatus } from "../services/capture-tokens/status";
import { inboundAddress } from "../services/email/addresses";
import { sendRecordEmail } from "../services/email/send";
import { emailSettings } from "../services/email/settings";
import { updateEmailSettings } from "../services/email/update-settings";
import { ValidationError } from "../lib/errors";
import { actorOf, idParams } from "./records";

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });
const body = <T extends z.ZodType>(schema: T) => ({ body: { content: { "application/json": { schema } }, required: true } });
const scope = z.object({ scope: z.enum(["me", "workspace"]).openapi({ param: { name: "scope", in: "path" } }) });

export const emailRoutes = router()
  .openapi(
    createRoute({ method: "get", path: "/email/capture", tags: ["E-mail"], summary: "Inbound e-mail capture: your address, the workspace's, and its settings", responses: { 200: json(emailCaptureSchema, "Status"), ...problemResponses(401) } }),
    async (c) => {
      const { db } = c.var.services;
      const [tokens, settings] = await Promise.all([captureTokenStatus(db.http, c.var.auth.workspaceId, c.var.auth.userId), emailSettings(db.http, c.var.auth.workspaceId)]);
      const domain = c.var.config.INBOUND_EMAIL_DOMAIN ?? null;
      return c.json({ enabled: !!domain, domain, me: tokens.inbound_user ?? null, workspace: tokens.inbound_workspace ?? null, createLeads: settings.createLeads }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/email/capture/{scope}",
      tags: ["E-mail"],
      summary: "Make (or replace) an inbound address: `me` (yours) or `workspace` (ADMIN). The address is shown once.",
      request: { params: scope },
      responses: { 201: json(issuedAddressSchema, "The new address; the previous one stops working"), ...problemResponses(401, 403, 422) },
    }),
    async (c) => {
      const domain = c.var.config.INBOUND_EMAIL_DOMAIN;
      if (!domain) throw new ValidationError("E-mail capture is off: set INBOUND_EMAIL_DOMAIN", [{ path: "scope", message: "no inbound domain configured" }]);
      const kind = c.req.valid("param").scope === "me" ? "inbound_user" : "inbound_workspace";
      const { token, createdAt } = await issueCaptureToken({ db: c.var.services.db, actor: actorOf(c), kind });
      return c.json({ address: inboundAddress(token, domain), createdAt }, 201);
    },
  )
  .openapi(
    createRoute({ method: "delete", path: "/email/capture/{scope}", tags: ["E-mail"], summary: "Revoke an inbound address (`me`, or `workspace` for ADMIN)", request: { params: scope }, responses: { 200: json(z.object({ revoked: z.number().int() }), "Revoked"), ...problemResponses(401, 403) } }),
    async (c) => c.json(await revokeCaptureToken({ db: c.var.services.db, actor: actorOf(c), kind: c.req.valid("param").scope === "me" ? "inbound_user" : "inbound_workspace" }), 200),
  )
  .openapi(
    createRoute({ method: "put", path: "/email/settings", tags: ["E-mail"], summary: "E-mail capture settings (ADMIN)", request: body(emailSettingsSchema), responses: { 200: json(emailSettingsSchema, "Saved"), ...problemResponses(401, 403, 422) } }),
    async (c) => c.json(await updateEmailSettings({ db: c.var.services.db, actor: actorOf(c), patch: c.req.valid("json") }), 200),
  );

/** POST /api/{contacts|opportunities}/:id/emails: the plain composer. */
function sendRoute(type: "contact" | "opportunity", plural: string, tag: string) {
  return router().openapi(
    createRoute({
      method: "post",
      path: `/${plural}/{id}/emails`,
      tags: [tag],
      summary: `Send an e-mail from this ${type === "contact" ? "contact" : "deal"}, logged as an outbound e-mail activity`,
      request: { params: idParams, ...body(sendEmailSchema) },
      responses: { 201: json(sentEmailSchema, "Sent and logged"), ...problemResponses(401, 403, 404, 422, 502) },
    }),
    async (c) => {
      const b = c.req.valid("json");
      const out = await sendRecordEmail({
        db: c.var.services.db,
        mailer: c.var.services.mailer,
        actor: actorOf(c),
        secret: c.var.config.JWT_SECRET,
        inboundDomain: c.var.config.INBOUND_EMAIL_DOMAIN,
        type,
        id: c.req.valid("param").id,
        ...b,
      });
      return c.json(out, 201);
    },
  );
}
export const contactEmailRoutes = sendRoute("contact", "contacts", "Contacts");
export const opportunityEmailRoutes = sendRoute("opportunity", "opportunities", "Opportunities");
