import type { Executor } from "../../../db/client";
import { activities } from "../../../db/schema";
import type { AiRun } from "../../ai/engine";
import type { Feature } from "../../ai/features";
import { features } from "../../ai/features";
import type { Actor } from "../audit/record";

/**
 * Stores an AI output as an activity on the record's timeline, with what is needed to audit it later: provider,
 * model, latency, tokens, estimated cost, the cited ids (all of which were in the context) and the output itself.
 */
export async function storeAiOutput<F extends Feature>(
  db: Executor,
  input: {
    actor: Actor;
    run: AiRun<F>;
    target: { type: string; id: string };
    links: { opportunityId: string | null; accountId: string | null; contactId: string | null; leadId: string | null };
    subject: string;
    body: string;
    /** Feature-specific properties (signals, recipient, job id…). */
    extra?: Record<string, unknown>;
    at?: Date;
  },
) {
  const { run } = input;
  const [row] = await db
    .insert(activities)
    .values({
      workspaceId: input.actor.workspaceId,
      type: features[run.feature].activityType,
      subject: input.subject.slice(0, 500),
      body: input.body,
      actorId: input.actor.userId,
      ...input.links,
      happenedAt: input.at ?? new Date(),
      properties: {
        provider: run.engine.provider,
        model: run.engine.model,
        latencyMs: run.engine.latencyMs,
        inputTokens: run.engine.inputTokens,
        outputTokens: run.engine.outputTokens,
        estimatedCostMicros: run.engine.estimatedCostMicros,
        fallbackReason: run.engine.fallbackReason,
        attempts: run.attempts,
        citations: run.citations,
        sources: run.sources,
        target: input.target,
        output: run.output,
        ...input.extra,
      },
    })
    .returning();
  return row!;
}

/** Plain-text rendering of cited lines for the timeline (the structured output stays in properties). */
export const bullets = (lines: { text: string }[]) => lines.map((l) => `- ${l.text}`).join("\n");
