import type { Database } from "../../../db/client";
import { webhookEndpoints } from "../../../db/schema";
import type { Config } from "../../config";
import { urlSafetyProblem } from "../../lib/url-safety";
import { newWebhookSecret } from "../../lib/webhook-signature";
import { ValidationError } from "../../middleware/errors";
import { recordAudit, type Actor } from "../audit/record";
import { serializeEndpoint } from "./serialize";

/** Refuses URLs the server must not call: non-http(s) anywhere, private/loopback destinations in production. */
export function assertWebhookUrl(url: string, config: Pick<Config, "ENVIRONMENT">): void {
  const problem = urlSafetyProblem(url, { allowPrivate: config.ENVIRONMENT !== "production" });
  if (problem) throw new ValidationError(`The webhook URL ${problem}`, [{ path: "url", message: problem }]);
}

/** Registers an endpoint. The signing secret is returned this once; lists and reads never show it again. */
export async function createWebhook(input: {
  db: Database;
  actor: Actor;
  config: Pick<Config, "ENVIRONMENT">;
  body: { url: string; events: string[]; description?: string | null };
}) {
  const { db, actor, body } = input;
  assertWebhookUrl(body.url, input.config);
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
