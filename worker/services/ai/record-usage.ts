import { sql } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { aiUsage } from "../../../db/schema";
import type { AiEngine } from "../../schemas/ai";
import { chargeTokens } from "./limits";
import type { RateLimiterNamespace } from "../../lib/services";

/**
 * Meters one AI request: the workspace's row for the UTC day (requests, tokens, estimated cost) and the token budget
 * in the rate limiter. Metering must not turn a delivered answer into an error, so failures are logged, not thrown.
 */
export async function recordUsage(input: { db: Database; limiter: RateLimiterNamespace; workspaceId: string; engine: AiEngine; at?: Date }): Promise<void> {
  const { db, limiter, workspaceId, engine } = input;
  const day = (input.at ?? new Date()).toISOString().slice(0, 10);
  const results = await Promise.allSettled([
    db.http
      .insert(aiUsage)
      .values({ workspaceId, day, requests: 1, inputTokens: engine.inputTokens, outputTokens: engine.outputTokens, costMicros: engine.estimatedCostMicros })
      .onConflictDoUpdate({
        target: [aiUsage.workspaceId, aiUsage.day],
        set: {
          requests: sql`${aiUsage.requests} + 1`,
          inputTokens: sql`${aiUsage.inputTokens} + excluded.input_tokens`,
          outputTokens: sql`${aiUsage.outputTokens} + excluded.output_tokens`,
          costMicros: sql`${aiUsage.costMicros} + excluded.cost_micros`,
        },
      }),
    chargeTokens(limiter, workspaceId, engine.inputTokens + engine.outputTokens),
  ]);
  for (const r of results) {
    if (r.status === "rejected") console.error(JSON.stringify({ level: "error", msg: "ai: metering failed", workspaceId, error: String(r.reason) }));
  }
}
