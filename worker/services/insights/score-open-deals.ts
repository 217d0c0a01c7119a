import { sql, type SQL } from "drizzle-orm";
import { rowsOf } from "../../../db/client";
import { batchStep, type Transactional } from "./refresh";
import { FEATURES, featureQuery } from "./features";
import type { LogisticModel } from "./logistic";

/** Open deals scored per statement (each well inside the 10 s statement timeout at benchmark scale). */
const CHUNK = 20_000;

/** The calibrated score 0–100 as SQL over the `f_*` columns of featureQuery: round(100·σ(a·z + b)). */
export function scoreExpr(m: LogisticModel): SQL {
  const terms = FEATURES.map((f, j) => sql`${m.weights[j]!}::float8 * ((f_${sql.raw(f.key)} - ${m.means[j]!}::float8) / ${m.scales[j]!}::float8)`);
  const z = sql`(${m.intercept}::float8 + ${sql.join(terms, sql` + `)})`;
  return sql`round(100.0 / (1 + exp(-greatest(least(${m.platt.a}::float8 * ${z} + ${m.platt.b}::float8, 30), -30))))::int`;
}

/**
 * Writes `win_score` on every open deal of the workspace from the stored model: the features of a chunk of open deals
 * (keyset on id) are computed and turned into scores inside one UPDATE, so no deal travels to JavaScript. Closed
 * deals keep the score they had when they closed. Returns the number of deals scored.
 */
export async function scoreOpenDeals(input: { db: Transactional; workspaceId: string; model: LogisticModel; now?: Date }): Promise<number> {
  const { db, workspaceId, model } = input;
  const now = (input.now ?? new Date()).toISOString();
  let after = "00000000-0000-0000-0000-000000000000";
  let scored = 0;
  for (;;) {
    const pairs = sql`
      select o.id, ${now}::timestamptz as as_of from opportunities o
      where o.workspace_id = ${workspaceId} and o.deleted_at is null and o.id > ${after}::uuid
        and o.stage_id in (select id from pipeline_stages where workspace_id = ${workspaceId} and kind = 'open')
      order by o.id limit ${CHUNK}`;
    const res = await batchStep(db, (tx) => tx.execute(sql`
      with f as (${featureQuery({ workspaceId, pairs, live: true })}),
      s as (select f.id, ${scoreExpr(model)} as score from f),
      u as (
        update opportunities o set win_score = s.score from s
        where o.id = s.id and o.workspace_id = ${workspaceId} and o.win_score is distinct from s.score
      )
      select count(*)::int as n, max(id::text) as last from s`));
    const r = rowsOf<{ n: number; last: string | null }>(res)[0];
    const n = Number(r?.n ?? 0);
    scored += n;
    if (n < CHUNK || !r?.last) break;
    after = r.last;
  }
  return scored;
}
