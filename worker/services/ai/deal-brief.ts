import { sql } from "drizzle-orm";
import { rowsOf } from "../../../db/client";
import { activities } from "../../../db/schema";
import { buildContext } from "../../ai/context";
import { runAi } from "../../ai/engine";
import type { DealBriefResult } from "../../schemas/ai";
import { NotFoundError } from "../../lib/errors";
import { activityLinks, type AiDeps } from "./deps";
import { enforceAiLimits } from "./limits";
import { recordUsage } from "./record-usage";
import { dealBriefResult } from "./results";
import { bullets, storeAiOutput } from "./store-output";
import { isUuid } from "../../lib/uuid";

const BRIEF_MAX_AGE_HOURS = 24;

/**
 * A one-page brief of a deal (standing, people, history, risks, next steps; every line cited), stored as an
 * `ai_deal_brief` activity. Opening the brief again reuses the last one while nothing on the deal has changed since
 * (and it is under a day old), so reloading a page neither costs tokens nor counts against the limits.
 */
export async function dealBrief(deps: AiDeps, input: { opportunityId: string; refresh?: boolean }): Promise<DealBriefResult> {
  const { db, config, limiter, actor } = deps;
  const id = input.opportunityId;
  if (!isUuid(id)) throw new NotFoundError("Opportunity");
  if (!input.refresh) {
    const res = await db.http.execute(sql`
      select b.id from activities b
      join opportunities o on o.id = b.opportunity_id and o.workspace_id = ${actor.workspaceId} and o.deleted_at is null
      where b.workspace_id = ${actor.workspaceId} and b.opportunity_id = ${id} and b.type = 'ai_deal_brief' and b.deleted_at is null
        and b.happened_at > now() - make_interval(hours => ${BRIEF_MAX_AGE_HOURS})
        and b.happened_at >= o.updated_at
        and not exists (select 1 from activities a where a.opportunity_id = ${id} and a.type not like 'ai\\_%'
                        and greatest(a.created_at, a.updated_at) > b.happened_at)
      order by b.happened_at desc limit 1`);
    const hit = rowsOf<{ id: string }>(res)[0];
    if (hit) {
      const [row] = await db.http.select().from(activities).where(sql`${activities.id} = ${hit.id}`);
      if (row) return dealBriefResult(row, true);
    }
  }
  await enforceAiLimits({ limiter, config, workspaceId: actor.workspaceId, userId: actor.userId });
  const ctx = await buildContext({ db, workspaceId: actor.workspaceId, target: { type: "opportunity", id }, privateFields: config.AI_PRIVATE_FIELDS });
  const run = await runAi({ feature: "deal_brief", ctx, args: {}, config, interactive: true });
  try {
    const s = run.output;
    const row = await storeAiOutput(db.http, {
      actor,
      run,
      target: ctx.target,
      links: activityLinks(ctx),
      subject: `Deal brief: ${ctx.target.name}`,
      body: [
        ["Where it stands", s.standing],
        ["Who is involved", s.people],
        ["What happened", s.history],
        ["Risks", s.risks],
        ["Next steps", s.nextSteps],
      ].map(([title, lines]) => `${title}\n${bullets(lines as { text: string }[])}`).join("\n\n"),
      extra: { signals: ctx.signals },
    });
    return dealBriefResult(row, false);
  } finally {
    await recordUsage({ db, limiter, workspaceId: actor.workspaceId, engine: run.engine });
  }
}
