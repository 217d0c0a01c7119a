import { sql } from "drizzle-orm";
import { rowsOf, type Database } from "../../../db/client";
import type { ForecastReport, ReportFilters } from "../../schemas/reports";
import { dealWhere, num, periodOf, type Period } from "./filters";

/** Probability (the deal's own, else its stage's) from which an open deal counts as committed. */
export const COMMITTED_FROM = 75;

/** This month (UTC) and the five after it. */
function nextSixMonths(now = new Date()): Period {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const iso = (d: Date) => d.toISOString().slice(0, 10);
  return { from: iso(new Date(Date.UTC(y, m, 1))), to: iso(new Date(Date.UTC(y, m + 6, 1))) };
}

/**
 * Forecast by expected close month and currency over open deals with close_date in [from, to): best case = every open
 * amount, committed = deals whose probability (the deal's own, else its stage's) is at least 75, weighted =
 * amount × probability / 100 (rounded per deal to minor units). Default period: this month and the next five.
 *
 * Index use: `opportunities_ws_close_idx` (workspace, close_date, id) for the period.
 */
export async function forecast(input: { db: Database; workspaceId: string; query: ReportFilters; now?: Date }): Promise<ForecastReport> {
  const { db, workspaceId, query } = input;
  const period = periodOf(query, () => nextSixMonths(input.now));
  const res = await db.http.execute(sql`
    select to_char(o.close_date, 'YYYY-MM') as month, o.currency, count(*)::int as n,
      coalesce(sum(o.amount) filter (where coalesce(o.probability, s.probability) >= ${COMMITTED_FROM}), 0) as committed,
      coalesce(sum(o.amount), 0) as best_case,
      coalesce(sum(round(coalesce(o.amount, 0) * coalesce(o.probability, s.probability) / 100.0)), 0) as weighted
    from opportunities o join pipeline_stages s on s.id = o.stage_id
    where ${dealWhere(workspaceId, query)} and s.kind = 'open'
      and o.close_date >= ${period.from}::date and o.close_date < ${period.to}::date
    group by 1, 2
    order by 1, 2`);
  const months = rowsOf<Record<string, unknown>>(res).map((r) => ({
    month: String(r.month),
    currency: String(r.currency),
    count: num(r.n),
    committed: num(r.committed),
    bestCase: num(r.best_case),
    weighted: num(r.weighted),
  }));
  return { period, committedFrom: COMMITTED_FROM, months };
}
