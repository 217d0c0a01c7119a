import { sql, type SQL } from "drizzle-orm";

/**
 * The win score's signals, computed set-based in SQL for many (deal, as-of moment) pairs at once: a whole board, every
 * open deal of a workspace (nightly), or every closed deal replayed at past Mondays (training). Every signal reads only
 * what had happened by `as_of` — stage-change activities give the stage a deal stood in, the audit log the edits made
 * by then, closed deals count only if they closed before — so a deal's outcome never leaks into its own features.
 *
 * Each feature is already transformed (logs, caps) so the model is linear in it; `FEATURES` names them in the order of
 * the `f_*` columns the query returns.
 */
export const FEATURES = [
  { key: "stage", label: "Stage probability" },
  { key: "days_in_stage", label: "Days in stage" },
  { key: "since_inbound", label: "Days since the last inbound touch" },
  { key: "since_outbound", label: "Days since the last outbound touch" },
  { key: "recent", label: "Activity in the last 14 days" },
  { key: "pushes", label: "Close-date pushes" },
  { key: "amount_down", label: "Amount lowered" },
  { key: "amount_up", label: "Amount raised" },
  { key: "prob_moves", label: "Probability changes (up − down)" },
  { key: "backward", label: "Backward stage moves" },
  { key: "owner_changes", label: "Owner changes" },
  { key: "contacts", label: "Engaged contacts" },
  { key: "roles", label: "Contacts with a role" },
  { key: "open_tasks", label: "Open tasks" },
  { key: "account_won", label: "Deals won with the account" },
  { key: "account_lost", label: "Deals lost with the account" },
  { key: "owner_rate", label: "Owner's win rate" },
  { key: "segment_rate", label: "Segment's win rate" },
  { key: "age", label: "Deal age" },
] as const;
export type FeatureKey = (typeof FEATURES)[number]["key"];

const INTERACTION = sql`('call', 'email', 'meeting')`;
/** A win rate smoothed toward the workspace's base rate (K pseudo-deals), as log-odds relative to the base rate. */
const K = 5;
const rateExpr = (w: SQL, n: SQL) =>
  sql`(ln(greatest(least((coalesce(${w}, 0) + ${K} * br.rate) / (coalesce(${n}, 0) + ${K}), 0.98), 0.02) / (1 - greatest(least((coalesce(${w}, 0) + ${K} * br.rate) / (coalesce(${n}, 0) + ${K}), 0.98), 0.02)))
      - ln(br.rate / (1 - br.rate)))`;

export interface FeatureQueryOptions {
  workspaceId: string;
  /** A query yielding `(id uuid, as_of timestamptz)`: the deals and the moments they are seen at. */
  pairs: SQL;
  /** The pairs are open deals seen now: their stage is the current one (no history walk). */
  live?: boolean;
  /** Also return the ids each signal rests on (one deal's reasons; not for whole boards). */
  cite?: boolean;
}

/**
 * Columns: id, as_of, stage_id, stage_probability, won (null while open), closed_at, the raw facts the reasons quote
 * (days_in_stage, days_since_in, days_since_out, pushes, …) and the transformed features `f_<key>`.
 *
 * Index use: stage-change probes through `activities_stage_changes_idx` (historical pairs only), a deal's activities
 * through `activities_opportunity_tl_idx`, its edits through `audit_entity_idx`, the account's other deals through
 * `opportunities_account_idx`; closed deals once per distinct as-of moment for the owner/segment win rates.
 */
export function featureQuery(o: FeatureQueryOptions): SQL {
  const ws = o.workspaceId;
  const sc = sql`b.opportunity_id = p.id and b.type = 'stage_change' and b.deleted_at is null`;
  const stageAt = o.live
    ? sql`o.stage_id as stage_id, o.stage_entered_at as entered_at`
    : sql`coalesce((prev.to_id)::uuid, (nxt.from_id)::uuid, o.stage_id) as stage_id, coalesce(prev.happened_at, o.created_at) as entered_at`;
  const stageJoins = o.live
    ? sql``
    : sql`left join lateral (select b.properties->>'toStageId' as to_id, b.happened_at from activities b
            where ${sc} and b.happened_at <= p.as_of order by b.happened_at desc, b.id desc limit 1) prev on true
          left join lateral (select b.properties->>'fromStageId' as from_id from activities b
            where ${sc} and b.happened_at > p.as_of order by b.happened_at, b.id limit 1) nxt on true`;
  const cite = (expr: SQL) => (o.cite ? sql`, ${expr}` : sql``);
  return sql`
    with p as (${o.pairs}),
    st as (select id, pipeline_id, position, probability, kind from pipeline_stages where workspace_id = ${ws}),
    d as (
      select p.id, p.as_of, o.owner_id, o.account_id, o.amount, o.created_at, o.closed_at,
        coalesce(acc.industry, 'size ' || floor(log(greatest(coalesce(o.amount, 0), 1)::numeric))::text) as segment,
        cur.kind as now_kind, ${stageAt}
      from p
      join opportunities o on o.id = p.id and o.workspace_id = ${ws}
      join st cur on cur.id = o.stage_id
      left join accounts acc on acc.id = o.account_id
      ${stageJoins}
    ),
    acts as (
      select p.id, p.as_of,
        max(a.happened_at) filter (where a.type in ${INTERACTION} and (a.properties->>'direction' = 'inbound' or a.type = 'meeting')) as last_in,
        max(a.happened_at) filter (where a.type in ${INTERACTION} and coalesce(a.properties->>'direction', 'outbound') <> 'inbound') as last_out,
        count(distinct a.contact_id) filter (where a.type in ${INTERACTION}) as contacts,
        count(*) filter (where a.type in ${INTERACTION} and a.happened_at > p.as_of - interval '14 days') as recent,
        count(*) filter (where a.type = 'task' and (a.completed_at is null or a.completed_at > p.as_of)) as open_tasks,
        count(*) filter (where a.type = 'stage_change' and tp.kind = 'open' and tp.pipeline_id = fp.pipeline_id and tp.position < fp.position) as backward
        ${cite(sql`(array_agg(a.id order by a.happened_at desc) filter (where a.type in ${INTERACTION} and (a.properties->>'direction' = 'inbound' or a.type = 'meeting')))[1] as last_in_id,
          (array_agg(a.id order by a.happened_at desc) filter (where a.type in ${INTERACTION} and coalesce(a.properties->>'direction', 'outbound') <> 'inbound'))[1] as last_out_id,
          array_remove(array_agg(distinct a.contact_id) filter (where a.type in ${INTERACTION}), null) as contact_ids,
          array_agg(a.id) filter (where a.type = 'task' and (a.completed_at is null or a.completed_at > p.as_of)) as task_ids,
          array_agg(a.id) filter (where a.type = 'stage_change' and tp.kind = 'open' and tp.pipeline_id = fp.pipeline_id and tp.position < fp.position) as backward_ids`)}
      from p
      join activities a on a.opportunity_id = p.id and a.deleted_at is null and a.happened_at <= p.as_of
      left join st fp on a.type = 'stage_change' and fp.id::text = a.properties->>'fromStageId'
      left join st tp on a.type = 'stage_change' and tp.id::text = a.properties->>'toStageId'
      group by 1, 2
    ),
    aud as (
      select p.id, p.as_of,
        count(*) filter (where l.changes->'closeDate'->>'from' is not null and l.changes->'closeDate'->>'to' > l.changes->'closeDate'->>'from') as pushes,
        count(*) filter (where case when jsonb_typeof(l.changes->'amount'->'from') = 'number' and jsonb_typeof(l.changes->'amount'->'to') = 'number'
          then (l.changes->'amount'->>'to')::numeric < (l.changes->'amount'->>'from')::numeric end) as amount_down,
        count(*) filter (where case when jsonb_typeof(l.changes->'amount'->'from') = 'number' and jsonb_typeof(l.changes->'amount'->'to') = 'number'
          then (l.changes->'amount'->>'to')::numeric > (l.changes->'amount'->>'from')::numeric end) as amount_up,
        coalesce(sum(case when jsonb_typeof(l.changes->'probability'->'from') = 'number' and jsonb_typeof(l.changes->'probability'->'to') = 'number'
          then sign((l.changes->'probability'->>'to')::numeric - (l.changes->'probability'->>'from')::numeric) end), 0) as prob_moves,
        count(*) filter (where l.changes ? 'ownerId') as owner_changes
        ${cite(sql`array_agg(l.id) filter (where l.changes->'closeDate'->>'from' is not null and l.changes->'closeDate'->>'to' > l.changes->'closeDate'->>'from') as push_ids,
          array_agg(l.id) filter (where l.changes ? 'amount' or l.changes ? 'probability' or l.changes ? 'ownerId') as edit_ids`)}
      from p
      join audit_log l on l.workspace_id = ${ws} and l.entity_type = 'opportunity' and l.entity_id = p.id and l.at <= p.as_of and l.action = 'update'
      group by 1, 2
    ),
    roles as (
      select p.id, p.as_of, count(*) filter (where oc.role is not null and oc.role <> '') as roles
      from p join opportunity_contacts oc on oc.opportunity_id = p.id and oc.created_at <= p.as_of
      group by 1, 2
    ),
    closed as (
      select o.id, o.owner_id, o.account_id, o.closed_at, s.kind = 'won' as won,
        coalesce(acc.industry, 'size ' || floor(log(greatest(coalesce(o.amount, 0), 1)::numeric))::text) as segment
      from opportunities o join st s on s.id = o.stage_id left join accounts acc on acc.id = o.account_id
      where o.workspace_id = ${ws} and o.deleted_at is null and s.kind <> 'open' and o.closed_at is not null
    ),
    asofs as (select distinct as_of from p),
    base as (
      select t.as_of, (count(c.id) filter (where c.won) + 1.0) / (count(c.id) + 2.0) as rate
      from asofs t left join closed c on c.closed_at < t.as_of group by 1
    ),
    owner_rate as (
      select t.as_of, c.owner_id, count(*) as n, count(*) filter (where c.won) as w
      from asofs t join closed c on c.closed_at < t.as_of group by 1, 2
    ),
    segment_rate as (
      select t.as_of, c.segment, count(*) as n, count(*) filter (where c.won) as w
      from asofs t join closed c on c.closed_at < t.as_of group by 1, 2
    ),
    acct as (
      select d.id, d.as_of, count(*) filter (where c.won) as won, count(*) filter (where not c.won) as lost
        ${cite(sql`array_agg(c.id order by c.closed_at desc) as account_deal_ids`)}
      from d join closed c on c.account_id = d.account_id and c.id <> d.id and c.closed_at < d.as_of
      group by 1, 2
    ),
    x as (
      select d.*, s.probability as stage_probability, s.kind as stage_kind,
        case when d.now_kind = 'open' then null else d.now_kind = 'won' end as won,
        greatest(0, extract(epoch from d.as_of - d.entered_at) / 86400.0) as days_in_stage,
        greatest(0, extract(epoch from d.as_of - d.created_at) / 86400.0) as age_days,
        extract(epoch from d.as_of - ac.last_in) / 86400.0 as days_since_in,
        extract(epoch from d.as_of - ac.last_out) / 86400.0 as days_since_out,
        coalesce(ac.recent, 0) as recent, coalesce(ac.contacts, 0) as contacts, coalesce(ac.open_tasks, 0) as open_tasks,
        coalesce(ac.backward, 0) as backward, coalesce(au.pushes, 0) as pushes, coalesce(au.amount_down, 0) as amount_down,
        coalesce(au.amount_up, 0) as amount_up, coalesce(au.prob_moves, 0) as prob_moves, coalesce(au.owner_changes, 0) as owner_changes,
        coalesce(r.roles, 0) as roles, coalesce(ak.won, 0) as account_won, coalesce(ak.lost, 0) as account_lost,
        coalesce(orr.n, 0) as owner_closed, coalesce(orr.w, 0) as owner_won, coalesce(sr.n, 0) as segment_closed, coalesce(sr.w, 0) as segment_won,
        br.rate as base_rate,
        ${rateExpr(sql`orr.w`, sql`orr.n`)} as f_owner_rate,
        ${rateExpr(sql`sr.w`, sql`sr.n`)} as f_segment_rate
        ${cite(sql`ac.last_in_id, ac.last_out_id, ac.contact_ids, ac.task_ids, ac.backward_ids, au.push_ids, au.edit_ids, ak.account_deal_ids`)}
      from d
      join st s on s.id = d.stage_id
      join base br on br.as_of = d.as_of
      left join acts ac on ac.id = d.id and ac.as_of = d.as_of
      left join aud au on au.id = d.id and au.as_of = d.as_of
      left join roles r on r.id = d.id and r.as_of = d.as_of
      left join acct ak on ak.id = d.id and ak.as_of = d.as_of
      left join owner_rate orr on orr.as_of = d.as_of and orr.owner_id = d.owner_id
      left join segment_rate sr on sr.as_of = d.as_of and sr.segment = d.segment
    )
    select x.*,
      ln(greatest(least(x.stage_probability / 100.0, 0.97), 0.03) / (1 - greatest(least(x.stage_probability / 100.0, 0.97), 0.03))) as f_stage,
      ln(1 + x.days_in_stage) as f_days_in_stage,
      ln(1 + least(coalesce(x.days_since_in, x.age_days + 30), 365)) as f_since_inbound,
      ln(1 + least(coalesce(x.days_since_out, x.age_days + 30), 365)) as f_since_outbound,
      ln(1 + x.recent) as f_recent,
      least(x.pushes, 5) as f_pushes,
      least(x.amount_down, 3) as f_amount_down,
      least(x.amount_up, 3) as f_amount_up,
      greatest(least(x.prob_moves, 3), -3) as f_prob_moves,
      least(x.backward, 3) as f_backward,
      least(x.owner_changes, 3) as f_owner_changes,
      ln(1 + x.contacts) as f_contacts,
      least(x.roles, 4) as f_roles,
      least(x.open_tasks, 3) as f_open_tasks,
      least(x.account_won, 3) as f_account_won,
      least(x.account_lost, 3) as f_account_lost,
      ln(1 + x.age_days) as f_age
    from x`;
}

/** A row's feature vector in `FEATURES` order. */
export const featureVector = (r: Record<string, unknown>): number[] => FEATURES.map((f) => Number(r[`f_${f.key}`] ?? 0));
