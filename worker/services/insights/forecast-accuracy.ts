import { sql } from "drizzle-orm";
import { rowsOf, type Executor as PgExecutor } from "../../../db/client";
import type { ForecastAccuracy } from "../../schemas/insights";

type Executor = PgExecutor;
const HORIZONS = [8, 4, 1];
const int = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v)));

/**
 * For each of the last `months` complete months: what the forecast snapshot taken 8, 4 and 1 weeks before the month
 * began predicted for deals closing in it — the weighted pipeline (amount × probability), the score-weighted pipeline
 * (amount × win score) and the committed pipeline (probability ≥ 75, as the forecast report) — against the amount
 * actually won with a close in the month; MAPE per horizon and method over the months that had wins.
 *
 * Index use: `forecast_snapshots_ws_close_idx` (workspace, week, close date); won deals by close time through
 * `opportunities_ws_closed_idx`.
 */
export async function forecastAccuracy(input: { db: Executor; workspaceId: string; currency?: string; months: number; now?: Date }): Promise<ForecastAccuracy> {
  const { db, workspaceId, months } = input;
  const now = (input.now ?? new Date()).toISOString();
  let currency = input.currency;
  if (!currency) {
    const c = await db.execute(sql`select currency from opportunities where workspace_id = ${workspaceId} and deleted_at is null group by 1 order by count(*) desc limit 1`);
    currency = String(rowsOf(c)[0]?.currency ?? "USD");
  }
  const horizons = sql.join(HORIZONS.map((h) => sql`(${h}::int)`), sql`, `);
  const res = await db.execute(sql`
    with months as (
      select m::date as m, (m + interval '1 month')::date as e
      from generate_series(date_trunc('month', ${now}::timestamptz at time zone 'UTC') - make_interval(months => ${months}),
        date_trunc('month', ${now}::timestamptz at time zone 'UTC') - interval '1 month', interval '1 month') m
    ), h(h) as (values ${horizons}),
    snap as (
      select mo.m, mo.e, h.h, (select max(f.week) from forecast_snapshots f where f.workspace_id = ${workspaceId} and f.week <= mo.m - h.h * 7) as week
      from months mo cross join h
    ), pred as (
      select s.m, s.h, s.week, sum(f.amount * f.probability / 100.0) as weighted, sum(f.amount * f.score / 100.0) as score_weighted,
        count(f.amount) filter (where f.score is null) as unscored, coalesce(sum(f.amount) filter (where f.probability >= 75), 0) as committed
      from snap s left join forecast_snapshots f on f.workspace_id = ${workspaceId} and f.week = s.week and f.currency = ${currency}
        and f.close_date >= s.m and f.close_date < s.e
      group by 1, 2, 3
    ), actual as (
      select mo.m, coalesce(sum(o.amount), 0) as won
      from months mo left join opportunities o on o.workspace_id = ${workspaceId} and o.deleted_at is null and o.currency = ${currency}
        and o.closed_at >= mo.m and o.closed_at < mo.e and o.stage_id in (select id from pipeline_stages where workspace_id = ${workspaceId} and kind = 'won')
      group by 1
    )
    select p.m::text as m, (p.m + interval '1 month')::date::text as e, p.h, p.week::text as week, p.weighted, p.score_weighted, p.unscored, p.committed, a.won
    from pred p join actual a on a.m = p.m order by p.m, p.h desc`);
  const periods = new Map<string, ForecastAccuracy["periods"][number]>();
  for (const r of rowsOf(res)) {
    const key = String(r.m);
    const period = periods.get(key) ?? { period: { from: key, to: String(r.e) }, actual: int(r.won) ?? 0, predictions: {} };
    const has = r.week !== null;
    period.predictions[String(r.h)] = {
      snapshotWeek: (r.week as string | null) ?? null,
      weighted: has ? (int(r.weighted) ?? 0) : null,
      scoreWeighted: has && Number(r.unscored) === 0 ? (int(r.score_weighted) ?? 0) : null,
      committed: has ? (int(r.committed) ?? 0) : null,
    };
    periods.set(key, period);
  }
  const list = [...periods.values()];
  const mape: ForecastAccuracy["mape"] = {};
  for (const h of HORIZONS) {
    const err = (pick: (p: ForecastAccuracy["periods"][number]["predictions"][string]) => number | null) => {
      const e = list.flatMap((p) => {
        const v = p.predictions[String(h)];
        const x = v ? pick(v) : null;
        return p.actual > 0 && x !== null ? [Math.abs(x - p.actual) / p.actual] : [];
      });
      return e.length ? e.reduce((a, b) => a + b, 0) / e.length : null;
    };
    mape[String(h)] = { weighted: err((v) => v.weighted), scoreWeighted: err((v) => v.scoreWeighted), committed: err((v) => v.committed) };
  }
  return { currency, horizons: HORIZONS, periods: list, mape };
}
