import type { Database } from "../../../db/client";
import { webhookEndpoints } from "../../../db/schema";
import type { Config } from "../../config";
import { resolvedHostProblem, urlSafetyProblem } from "../../lib/url-safety";
import { newWebhookSecret } from "../../lib/webhook-signature";
import { ValidationError } from "../../lib/errors";
import { recordAudit, type Actor } from "../audit/record";
import { serializeEndpoint } from "./serialize";

export type WebhookUrlConfig = Pick<Config, "ENVIRONMENT" | "WEBHOOK_DNS_RESOLVER">;

/**
 * Why the server must not call this URL, or null: non-http(s) anywhere; in production also private/loopback
 * destinations, by address, by well-known name, and by what the name resolves to (when a resolver is configured).
 */
export async function webhookUrlProblem(url: string, config: WebhookUrlConfig): Promise<string | null> {
  const allowPrivate = config.ENVIRONMENT !== "production";
  const problem = urlSafetyProblem(url, { allowPrivate });
  if (problem || allowPrivate || !config.WEBHOOK_DNS_RESOLVER) return problem;
  return resolvedHostProblem(url, config.WEBHOOK_DNS_RESOLVER);
}

export async function assertWebhookUrl(url: string, config: WebhookUrlConfig): Promise<void> {
  const problem = await webhookUrlProblem(url, config);
  if (problem) throw new ValidationError(`The webhook URL ${problem}`, [{ path: "url", message: problem }]);
}

/** Registers an endpoint. The signing secret is returned this once; lists and reads never show it again. */
export async function createWebhook(input: {
  db: Database;
  actor: Actor;
  config: WebhookUrlConfig;
  body: { url: string; events: string[]; description?: string | null };
}) {
  const { db, actor, body } = input;
  await assertWebhookUrl(body.url, input.config);
  const secret = newWebhookSecret();
  const row = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(webhookEndpoints)
      .values({ workspaceId: actor.workspaceId, url: body.url, events: body.events, description: body.description ?? null, secret, createdBy: actor.userId })
      .returning();
    await recordAudit(tx, actor, {
      action: "create",
      entityType: "webhook_endpoint",
      entityId: row!.id,
      changes: { url: { from: null, to: row!.url }, events: { from: null, to: row!.events }, description: { from: null, to: row!.description } },
    });
    return row!;
  });
  return { ...serializeEndpoint(row), secret };
}
