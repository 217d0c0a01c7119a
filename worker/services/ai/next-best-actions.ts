import { buildContext } from "../../ai/context";
import { runAi } from "../../ai/engine";
import type { NextActionsResult } from "../../schemas/ai";
import { activityLinks, type AiDeps } from "./deps";
import { enforceAiLimits } from "./limits";
import { recordUsage } from "./record-usage";
import { nextActionsResult } from "./results";
import { storeAiOutput } from "./store-output";

/**
 * Ranked next best actions for a deal, from its health signals (days in stage vs. the stage's norm, silence,
 * overdue tasks, close-date slips, missing next step, engaged contacts). Stored as an `ai_next_actions` activity;
 * each action carries the task that one click creates.
 */
export async function nextBestActions(deps: AiDeps, input: { opportunityId: string }): Promise<NextActionsResult> {
  const { db, config, limiter, actor } = deps;
  await enforceAiLimits({ limiter, config, workspaceId: actor.workspaceId, userId: actor.userId });
  const ctx = await buildContext({ db, workspaceId: actor.workspaceId, target: { type: "opportunity", id: input.opportunityId }, privateFields: config.AI_PRIVATE_FIELDS });
  const run = await runAi({ feature: "next_actions", ctx, args: {}, config, interactive: true });
  try {
    const row = await storeAiOutput(db.http, {
      actor,
      run,
      target: ctx.target,
      links: activityLinks(ctx),
      subject: `Next best actions: ${ctx.target.name}`,
      body: run.output.actions.map((a, i) => `${i + 1}. ${a.title} (${a.priority}) — ${a.rationale}`).join("\n"),
      extra: { signals: ctx.signals, taskOwnerId: ctx.opportunity?.owner?.id ?? actor.userId },
    });
    return nextActionsResult(row);
  } finally {
    await recordUsage({ db, limiter, workspaceId: actor.workspaceId, engine: run.engine });
  }
}
