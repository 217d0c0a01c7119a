import { sql } from "drizzle-orm";
import { rowsOf, type Executor, type Tx } from "../../../db/client";
import { fitScoreModel } from "./fit-model";
import { scoreOpenDeals } from "./score-open-deals";
import { rebuildForecastSnapshots, takeForecastSnapshot } from "./snapshot-forecast";

/** Anything that runs a callback in a transaction: the Worker's Database, or drizzle's node-postgres handle (benchmark). */
export interface Transactional {
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
}

/**
 * A batch step in its own transaction, with JIT off (compiling these one-off plans costs more than running them) and
 * a statement timeout for batch work instead of the request's 10 s.
 */
export function batchStep<T>(db: Transactional, fn: (tx: Executor) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local jit = off`);
    await tx.execute(sql`set local statement_timeout = '300s'`);
    return fn(tx);
  });
}

/**
 * The nightly insights run for one workspace (also POST /api/insights/refit): refit the win-score model, score every
 * open deal with it (a transaction per chunk, so no edit waits long on a locked deal), take this week's forecast
 * snapshot (after scoring, so it carries the scores) and rebuild missing past weeks from history.
 */
export async function refreshInsights(input: { db: Transactional; workspaceId: string; now?: Date }) {
  const { db, workspaceId, now } = input;
  const fitted = await batchStep(db, (tx) => fitScoreModel({ db: tx, workspaceId, now }));
  const scored = await scoreOpenDeals({ db, workspaceId, model: fitted.model, now });
  const snapshots = await batchStep(db, async (tx) => (await takeForecastSnapshot({ db: tx, workspaceId, now })) + (await rebuildForecastSnapshots({ db: tx, workspaceId, now })));
  return { version: fitted.version, kind: fitted.kind, scored, snapshots };
}

/** Every workspace's insights (worker/scheduled/maintenance.ts); returns how many workspaces were refreshed. */
export async function refreshAllInsights(input: { db: Transactional & { http: Executor }; now?: Date }): Promise<number> {
  const res = await input.db.http.execute(sql`select id from workspaces order by id`);
  let done = 0;
  for (const w of rowsOf<{ id: string }>(res)) {
    await refreshInsights({ db: input.db, workspaceId: w.id, now: input.now });
    done++;
  }
  return done;
}
