import { z } from "zod";

/** Outbound webhook contracts. The SPA imports these; they import only zod. */

/** Every event an endpoint may subscribe to: the domain events the record services raise. */
export const webhookEventTypes = [
  "account.created", "account.updated", "account.deleted", "account.restored",
  "contact.created", "contact.updated", "contact.deleted", "contact.restored",
  "lead.created", "lead.updated", "lead.deleted", "lead.restored", "lead.converted",
  "opportunity.created", "opportunity.updated", "opportunity.deleted", "opportunity.restored", "opportunity.stage_changed",
  "activity.created", "activity.updated", "activity.deleted", "activity.restored",
] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];

export const deliveryStatuses = ["pending", "succeeded", "failed", "dead"] as const;

const url = z.string().trim().min(1, "is required").max(2000).describe("http(s) URL that receives POSTed events");
const events = z
  .array(z.enum(webhookEventTypes, { error: `must be one of: ${webhookEventTypes.join(", ")}` }))
  .min(1, "subscribe to at least one event")
  .max(webhookEventTypes.length)
  .transform((list) => [...new Set(list)]);
const description = z.string().trim().max(500).nullable().optional();

export const webhookCreateSchema = z.strictObject({ url, events, description });
export const webhookUpdateSchema = z.strictObject({
  url: url.optional(),
  events: events.optional(),
  active: z.boolean().optional().describe("false pauses deliveries; events raised meanwhile are not queued"),
  description,
});

export const webhookSchema = z
  .object({
    id: z.uuid(),
    url: z.string(),
    description: z.string().nullable(),
    events: z.array(z.string()),
    active: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: "WebhookEndpoint" });

export const webhookCreatedSchema = webhookSchema
  .extend({ secret: z.string().describe("Signing secret (whsec_…): shown only in this response; store it now") })
  .meta({ id: "WebhookEndpointCreated" });

export const webhookDeliverySchema = z
  .object({
    id: z.uuid(),
    endpointId: z.uuid(),
    eventId: z.uuid(),
    eventType: z.string(),
    status: z.enum(deliveryStatuses),
    attempts: z.number().int(),
    lastStatusCode: z.number().int().nullable(),
    lastError: z.string().nullable(),
    deliveredAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    payload: z.record(z.string(), z.unknown()).describe("The JSON body POSTed to the endpoint"),
  })
  .meta({ id: "WebhookDelivery" });

export const deliveriesQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
  status: z.enum(deliveryStatuses).optional(),
});
