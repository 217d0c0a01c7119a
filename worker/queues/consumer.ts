import { handleAiSummary } from "./ai-summary";
import { queueMessageSchema } from "./messages";
import { handleEventsBatch, isEventsQueue } from "./events";
import { handleWebhookBatch, isWebhookQueue } from "./webhooks";

/**
 * Acks per message; a failing message is retried with exponential backoff (2^attempts s) and lands in the
 * dead-letter queue after max_retries (wrangler.toml). The AI summary handler plugs in here.
 */
export async function handleQueue(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  // Webhook deliveries have their own queue, retry policy and dead-letter queue (worker/queues/webhooks.ts).
  if (isWebhookQueue(batch.queue)) return handleWebhookBatch(batch, env);
  // Domain events from the outbox relay: the one fan-out (worker/queues/events.ts).
  if (isEventsQueue(batch.queue)) return handleEventsBatch(batch, env);
  for (const msg of batch.messages) {
    const parsed = queueMessageSchema.safeParse(msg.body);
    if (!parsed.success) {
      console.error(JSON.stringify({ level: "error", msg: "queue: unparseable message dropped", queue: batch.queue, id: msg.id, issues: parsed.error.issues }));
      msg.ack();
      continue;
    }
    try {
      switch (parsed.data.type) {
        case "ai.summary":
          await handleAiSummary(parsed.data, env, { queue: batch.queue, attempts: msg.attempts });
          break;
        default:
          // No handler registered for this message type: retry rather than lose it.
          throw new Error(`no handler for ${(parsed.data as { type: string }).type}`);
      }
      msg.ack();
    } catch (err) {
      console.error(JSON.stringify({ level: "error", msg: "queue: message failed", id: msg.id, attempts: msg.attempts, error: String(err) }));
      msg.retry({ delaySeconds: Math.min(2 ** msg.attempts, 300) });
    }
  }
}
