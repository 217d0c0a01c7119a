import type { WebhookEventType } from "../../worker/schemas/webhooks";

/**
 * Events an endpoint may subscribe to: mirrors `webhookEventTypes` in worker/schemas/webhooks.ts (kept here so the
 * settings page does not pull zod into the browser; tests/node/import-mapping.test.ts checks they agree).
 */
export const WEBHOOK_EVENTS: readonly WebhookEventType[] = [
  "account.created", "account.updated", "account.deleted", "account.restored",
  "contact.created", "contact.updated", "contact.deleted", "contact.restored",
  "lead.created", "lead.updated", "lead.deleted", "lead.restored", "lead.converted",
  "opportunity.created", "opportunity.updated", "opportunity.deleted", "opportunity.restored", "opportunity.stage_changed",
  "activity.created", "activity.updated", "activity.deleted", "activity.restored",
];

