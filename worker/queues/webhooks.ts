import { z } from "zod";
import { loadConfig } from "../config";
import { createServices } from "../lib/services";
import { deliverOnce, markDead, retryDelaySeconds } from "../services/webhooks/deliver";

/** Queue names as in wrangler.toml; the queue handler dispatches on them. */
export const WEBHOOK_QUEUE = "bespoke-crm-webhooks";
export const WEBHOOK_DLQ = "bespoke-crm-webhooks-dlq";

export const isWebhookQueue = (name: string) => name === WEBHOOK_QUEUE || name === WEBHOOK_DLQ;

const webhookMessageSchema = z.object({ type: z.literal("webhook.deliver"), deliveryId: z.uuid() });

/**
 * Webhook deliveries. Each message is one delivery attempt, acked or retried on its own (a slow receiver does not
 * hold back the others: the batch's attempts run concurrently). A failed attempt is retried after
 * min(2^attempts × 5 s, 1 h), attempts being the delivery's own count (manual redeliveries continue it); after
 * max_retries the queue moves the message to the dead-letter queue, whose consumer marks the delivery dead.
 */
export async function handleWebhookBatch(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const loaded = loadConfig(env);
  if (!loaded.ok) {
    console.error(JSON.stringify({ level: "error", msg: "webhooks: misconfigured, retrying batch", problems: loaded.problems }));
    batch.retryAll({ delaySeconds: 60 });
    return;
  }
  const { config } = loaded;
  const { db } = createServices(env, config);
  const deadLetters = batch.queue === WEBHOOK_DLQ;
  try {
    await Promise.all(
      batch.messages.map(async (msg) => {
        const parsed = webhookMessageSchema.safeParse(msg.body);
        if (!parsed.success) {
          console.error(JSON.stringify({ level: "error", msg: "webhooks: unparseable message dropped", queue: batch.queue, id: msg.id }));
          msg.ack();
          return;
        }
        const { deliveryId } = parsed.data;
        try {
          if (deadLetters) {
            await markDead(db, deliveryId);
            msg.ack();
            return;
          }
          const outcome = await deliverOnce({ db, deliveryId, config });
          if (outcome.kind === "failed") {
            console.warn(JSON.stringify({ level: "warn", msg: "webhook delivery failed", deliveryId, attempts: outcome.attempts, error: outcome.error }));
            msg.retry({ delaySeconds: retryDelaySeconds(outcome.attempts) });
          } else msg.ack();
        } catch (err) {
          // Our side failed (database unreachable): nothing was recorded, so retry on the queue's own count.
          console.error(JSON.stringify({ level: "error", msg: "webhooks: message failed", deliveryId, attempts: msg.attempts, error: String(err) }));
          msg.retry({ delaySeconds: retryDelaySeconds(msg.attempts) });
        }
      }),
    );
  } finally {
    await db.close();
  }
}
