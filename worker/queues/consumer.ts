import { queueMessageSchema } from "./messages";

/**
 * Acks per message; a failing message is retried with exponential backoff (2^attempts s) and lands in the
 * dead-letter queue after max_retries (wrangler.toml). The AI summary handler plugs in here.
 */
export async function handleQueue(batch: MessageBatch<unknown>, _env: Env): Promise<void> {
  for (const msg of batch.messages) {
    const parsed = queueMessageSchema.safeParse(msg.body);
    if (!parsed.success) {
      console.error(JSON.stringify({ level: "error", msg: "queue: unparseable message dropped", queue: batch.queue, id: msg.id, issues: parsed.error.issues }));
      msg.ack();
      continue;
    }
    try {
      // No handler registered for this message type yet: retry rather than lose it.
      throw new Error(`no handler for ${parsed.data.type}`);
    } catch (err) {
      console.error(JSON.stringify({ level: "error", msg: "queue: message failed", id: msg.id, attempts: msg.attempts, error: String(err) }));
      msg.retry({ delaySeconds: Math.min(2 ** msg.attempts, 300) });
    }
  }
}
