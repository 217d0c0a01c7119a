import { sql, type SQL } from "drizzle-orm";
import { rowsOf, type Executor as PgExecutor } from "../../../db/client";

type Executor = PgExecutor;

/**
 * The slip detector: a deal whose close date falls within the next 30 days is flagged as likely to push it when it
 * has been pushed before, or nobody on the buyer's side has been heard from (inbound call, e-mail, meeting) in 14 days.
 * `slipRule` is that rule over a deal `d` with `close_at` (its close date at `w`), `pushes` (before `w`) and `last_in`.
 */
export const slipRule = sql`(d.close_at is not null and d.close_at <= (d.w + interval '30 days')::date
  and (d.pushes > 0 or d.last_in is null or d.last_in < d.w - interval '14 days'))`;

export interface SlipFigures {
  weeks: number;
  /** Deals with a close date within 30 days, counted once per Monday they were seen. */
  candidates: number;
  flagged: number;
  slipped: number;
  precision: number | null;
  recall: number | null;
}

/** Deals as they stood at each Monday `w` (pairs query with `w`): their close date then, pushes before, last inbound touch. */
export function dealsAt(workspaceId: string, pairs: SQL): SQL {
  return sql`
    select p.w, o.id, o.closed_at,
      coalesce(nx.from_date, case when nx.found then null else o.close_date end) as close_at,
      (select count(*) from audit_log l where l.workspace_id = ${workspaceId} and l.entity_type = 'opportunity' and l.entity_id = o.id
        and l.at <= p.w and l.changes->'closeDate'->>'to' > l.changes->'closeDate'->>'from') as pushes,
      (select max(a.happened_at) from activities a where a.opportunity_id = o.id and a.deleted_at is null and a.happened_at <= p.w
        and a.type in ('call', 'email', 'meeting') and (a.properties->>'direction' = 'inbound' or a.type = 'meeting')) as last_in
    from (${pairs}) p
    join opportunities o on o.id = p.id
    left join lateral (
      select true as found, (l.changes->'closeDate'->>'from')::date as from_date from audit_log l
      where l.workspace_id = ${workspaceId} and l.entity_type = 'opportunity' and l.entity_id = o.id and l.changes ? 'closeDate' and l.at > p.w
      order by l.at limit 1
    ) nx on true`;
}

/**
 * Backtest over the Mondays of the last 26 weeks (ending 5 weeks ago, so every outcome is known): a deal slipped when
 * its close date was pushed within 30 days, or it was still open a week after the close date it had then.
 */
export async function slipBacktest(db: Executor, workspaceId: string, now: Date): Promise<SlipFigures> {
  const pairs = sql`
    select o.id, w.w from generate_series(date_trunc('week', ${now.toISOString()}::timestamptz) - interval '26 weeks',
        date_trunc('week', ${now.toISOString()}::timestamptz) - interval '5 weeks', interval '7 days') w(w)
    join opportunities o on o.workspace_id = ${workspaceId} and o.deleted_at is null and o.created_at <= w.w and (o.closed_at is null or o.closed_at > w.w)`;
  const res = await db.execute(sql`
    with d as (${dealsAt(workspaceId, pairs)})
    select count(*)::int as candidates,
      count(*) filter (where ${slipRule})::int as flagged,
      count(*) filter (where s.slipped)::int as slipped,
      count(*) filter (where s.slipped and ${slipRule})::int as hits,
      count(distinct d.w)::int as weeks
    from d
    cross join lateral (select
      exists (select 1 from audit_log l where l.workspace_id = ${workspaceId} and l.entity_type = 'opportunity' and l.entity_id = d.id
        and l.at > d.w and l.at <= d.w + interval '30 days' and l.changes->'closeDate'->>'to' > l.changes->'closeDate'->>'from')
      or (d.closed_at is null or d.closed_at > d.close_at + interval '7 days') as slipped) s
    where d.close_at is not null and d.close_at <= (d.w + interval '30 days')::date`);
  const r = rowsOf<Record<string, number>>(res)[0] ?? {};
  const flagged = Number(r.flagged ?? 0);
  const slipped = Number(r.slipped ?? 0);
  const hits = Number(r.hits ?? 0);
  return {
    weeks: Number(r.weeks ?? 0),
    candidates: Number(r.candidates ?? 0),
    flagged,
    slipped,
    precision: flagged ? hits / flagged : null,
    recall: slipped ? hits / slipped : null,
  };
}
