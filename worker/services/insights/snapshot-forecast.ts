import { sql } from "drizzle-orm";
import { rowsOf, type Executor as PgExecutor } from "../../../db/client";

type Executor = PgExecutor;

/**
 * This week's forecast snapshot: every open deal's stage, amount, close date, probability and score, filed under the
 * Monday (UTC) of `now`. The first run of a week wins (later nightly runs leave it), so the snapshot is the week's start.
 * Returns the rows written.
 */
export async function takeForecastSnapshot(input: { db: Executor; workspaceId: string; now?: Date }): Promise<number> {
  const { db, workspaceId } = input;
  const now = (input.now ?? new Date()).toISOString();
  const res = await db.execute(sql`
    insert into forecast_snapshots (workspace_id, week, opportunity_id, stage_id, owner_id, amount, currency, close_date, probability, score, source)
    select o.workspace_id, date_trunc('week', ${now}::timestamptz at time zone 'UTC')::date, o.id, o.stage_id, o.owner_id, o.amount, o.currency,
      o.close_date, coalesce(o.probability, s.probability), o.win_score, 'cron'
    from opportunities o join pipeline_stages s on s.id = o.stage_id
    where o.workspace_id = ${workspaceId} and o.deleted_at is null and s.kind = 'open'
    on conflict do nothing
    returning 1`);
  return rowsOf(res).length;
}

/**
 * Snapshots for the past `weeks` Mondays that have none, rebuilt from history so a new install has a past on day one:
 * the stage a deal stood in from its stage-change activities, its amount and close date then from the audit log (the
 * `from` of the first later edit, else today's value), the stage's probability. The score is left empty: replaying
 * today's model over the past would grade it on deals it was fitted on.
 */
export async function rebuildForecastSnapshots(input: { db: Executor; workspaceId: string; weeks?: number; now?: Date }): Promise<number> {
  const { db, workspaceId } = input;
  const now = (input.now ?? new Date()).toISOString();
  const sc = sql`b.opportunity_id = o.id and b.type = 'stage_change' and b.deleted_at is null`;
  const res = await db.execute(sql`
    with weeks as (
      select g as w from generate_series(date_trunc('week', ${now}::timestamptz at time zone 'UTC') - make_interval(weeks => ${input.weeks ?? 26}),
        date_trunc('week', ${now}::timestamptz at time zone 'UTC') - interval '7 days', interval '7 days') g
      where not exists (select 1 from forecast_snapshots f where f.workspace_id = ${workspaceId} and f.week = g::date)
    ), at as (
      select w.w, o.id, o.owner_id, o.currency,
        coalesce((prev.to_id)::uuid, (nxt.from_id)::uuid, o.stage_id) as stage_id,
        case when ae.v is null then o.amount when jsonb_typeof(ae.v) = 'null' then null when jsonb_typeof(ae.v) = 'number' then (ae.v #>> '{}')::bigint end as amount,
        case when ce.found then ce.v::date else o.close_date end as close_date
      from weeks w
      join opportunities o on o.workspace_id = ${workspaceId} and o.deleted_at is null and o.created_at <= w.w and (o.closed_at is null or o.closed_at > w.w)
      left join lateral (select b.properties->>'toStageId' as to_id from activities b where ${sc} and b.happened_at <= w.w order by b.happened_at desc, b.id desc limit 1) prev on true
      left join lateral (select b.properties->>'fromStageId' as from_id from activities b where ${sc} and b.happened_at > w.w order by b.happened_at, b.id limit 1) nxt on true
      left join lateral (select l.changes->'amount'->'from' as v from audit_log l where l.workspace_id = ${workspaceId} and l.entity_type = 'opportunity'
        and l.entity_id = o.id and l.changes ? 'amount' and l.at > w.w order by l.at limit 1) ae on true
      left join lateral (select true as found, l.changes->'closeDate'->>'from' as v from audit_log l where l.workspace_id = ${workspaceId}
        and l.entity_type = 'opportunity' and l.entity_id = o.id and l.changes ? 'closeDate' and l.at > w.w order by l.at limit 1) ce on true
    )
    insert into forecast_snapshots (workspace_id, week, opportunity_id, stage_id, owner_id, amount, currency, close_date, probability, score, source)
    select ${workspaceId}, at.w::date, at.id, at.stage_id, at.owner_id, at.amount, at.currency, at.close_date, s.probability, null, 'rebuilt'
    from at join pipeline_stages s on s.id = at.stage_id and s.kind = 'open'
    on conflict do nothing
    returning 1`);
  return rowsOf(res).length;
}
