import { z } from "@hono/zod-openapi";

const tokenStatus = z.object({ prefix: z.string(), createdAt: z.string() }).nullable();
export const emailCaptureSchema = z
  .object({
    enabled: z.boolean().describe("false when INBOUND_EMAIL_DOMAIN is not set"),
    domain: z.string().nullable(),
    me: tokenStatus.describe("Your own inbound address (the secret is shown only when made)"),
    workspace: tokenStatus.describe("The workspace's shared inbound address"),
    createLeads: z.boolean().describe("Unknown senders create a lead instead of being refused"),
  })
  .meta({ id: "EmailCapture" });
export const issuedAddressSchema = z.object({ address: z.email(), createdAt: z.string() }).meta({ id: "InboundAddress" });
export const emailSettingsSchema = z.strictObject({ createLeads: z.boolean() });
export const sendEmailSchema = z.strictObject({
  to: z.string().trim().min(3).max(320),
  cc: z.array(z.string().trim().max(320)).max(20).optional(),
  subject: z.string().trim().min(1, "is empty").max(500),
  text: z.string().trim().min(1, "is empty").max(50_000),
  inReplyTo: z.string().max(600).nullable().optional().describe("Message-ID of the e-mail this answers"),
  draftId: z.uuid({ error: "must be a UUID" }).optional().describe("The AI draft (ai_email_draft activity of this record) this e-mail sends: it is marked sent and linked to the logged e-mail"),
});
export const sentEmailSchema = z.object({ emailId: z.uuid(), messageId: z.string(), activityIds: z.array(z.uuid()) }).meta({ id: "SentEmail" });

export const calendarFeedSchema = z.object({ feed: tokenStatus }).meta({ id: "CalendarFeed" });
export const issuedFeedSchema = z.object({ url: z.string(), createdAt: z.string() }).meta({ id: "CalendarFeedUrl" });
