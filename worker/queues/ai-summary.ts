import { loadConfig } from "../config";
import { createServices } from "../lib/services";
import { markJobDead, writeSummary } from "../services/ai/write-summary";
import type { QueueMessage } from "./messages";

type SummaryMessage = Extract<QueueMessage, { type: "ai.summary" }>;

/** The dead-letter queue of the AI queue (wrangler.toml): its messages end their job instead of retrying it. */
export const AI_DEAD_LETTER_QUEUE = "bespoke-crm-ai-dlq";

/**
 * Handles one `ai.summary` message from either the AI queue (write the summary) or its dead-letter queue (mark the
 * job dead). Throws to ask for a retry; the configuration is read from the env the consumer was given, so a test or
 * a deployment can point one batch at another provider.
 */
export async function handleAiSummary(message: SummaryMessage, env: Env, meta: { queue: string; attempts: number }): Promise<void> {
  const loaded = loadConfig(env);
  if (!loaded.ok) throw new Error(`misconfigured: ${loaded.problems.join("; ")}`);
  const config = loaded.config;
  const { db, limiter } = createServices(env, config);
  try {
    if (meta.queue === AI_DEAD_LETTER_QUEUE) {
      const marked = await markJobDead({ db, message, attempts: meta.attempts });
      console.error(JSON.stringify({ level: "error", msg: "ai: summary job dead-lettered", jobId: message.jobId, marked }));
      return;
    }
    const outcome = await writeSummary({ db, config, limiter, message, attempts: meta.attempts });
    console.log(JSON.stringify({ level: "info", msg: "ai: summary job", jobId: message.jobId, outcome, attempts: meta.attempts }));
  } finally {
    await db.close();
  }
}
