import { sql } from "drizzle-orm";
import { rowsOf, type Database } from "../../../db/client";
import { fitScoreModel } from "./fit-model";
import { scoreOpenDeals } from "./score-open-deals";
import { rebuildForecastSnapshots, takeForecastSnapshot } from "./snapshot-forecast";

type Executor = Database["http"];

/**
 * The nightly insights run for one workspace (also POST /api/insights/refit): refit the win-score model, score every
 * open deal with it, take this week's forecast snapshot (after scoring, so it carries the scores) and rebuild missing
 * past weeks from history.
 */
export async function refreshInsights(input: { db: Executor; workspaceId: string; now?: Date }) {
  const { db, workspaceId, now } = input;
  const fitted = await fitScoreModel({ db, workspaceId, now });
  const scored = await scoreOpenDeals({ db, workspaceId, model: fitted.model, now });
  const snapshots = (await takeForecastSnapshot({ db, workspaceId, now })) + (await rebuildForecastSnapshots({ db, workspaceId, now }));
  return { version: fitted.version, kind: fitted.kind, scored, snapshots };
}

/** Every workspace's insights (worker/scheduled/maintenance.ts); returns how many workspaces were refreshed. */
export async function refreshAllInsights(input: { db: Executor; now?: Date }): Promise<number> {
  const res = await input.db.execute(sql`select id from workspaces order by id`);
  let done = 0;
  for (const w of rowsOf<{ id: string }>(res)) {
    await refreshInsights({ db: input.db, workspaceId: w.id, now: input.now });
    done++;
  }
  return done;
}
