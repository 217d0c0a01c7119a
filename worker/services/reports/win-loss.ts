import { sql, type SQL } from "drizzle-orm";
import { rowsOf, type Database } from "../../../db/client";
import type { WinLossGroup, WinLossQuery, WinLossReport } from "../../schemas/reports";
import { addMoney, dealWhere, lastYear, num, periodOf, utcDay } from "./filters";

type Row = { key: string | null; label: string | null; currency: string; won: number; won_amount: string | null; lost: number; lost_amount: string | null };

/** The group key of a closed deal `c` (a row of the `closed` CTE below), and its label given the key `k.key`. */
const KEYS: Record<WinLossQuery["groupBy"], { key: SQL; label: (ws: string) => SQL }> = {
  owner: { key: sql`c.owner_id::text`, label: (ws) => sql`(select u.name from users u where u.id = k.key::uuid and u.workspace_id = ${ws})` },
  account: { key: sql`c.account_id::text`, label: (ws) => sql`(select a.name from accounts a where a.id = k.key::uuid and a.workspace_id = ${ws})` },
  pipeline: { key: sql`c.pipeline_id::text`, label: (ws) => sql`(select p.name from pipelines p where p.id = k.key::uuid and p.workspace_id = ${ws})` },
  source: { key: sql`nullif(btrim(c.source), '')`, label: () => sql`k.key` },
  month: { key: sql`to_char(c.closed_at at time zone 'UTC', 'YYYY-MM')`, label: () => sql`k.key` },
  // A code may be both a won and a lost reason; the label of either will do.
  reason: {
    key: sql`coalesce(c.reason, 'unspecified')`,
    label: (ws) => sql`coalesce((select r.label from reason_codes r where r.workspace_id = ${ws} and r.value = k.key and r.deleted_at is null order by r.kind desc limit 1), case when k.key = 'unspecified' then 'Unspecified' else k.key end)`,
  },
};

/**
 * Win/loss by owner, account, reason, pipeline, source or close month: closed deals are those in a won or lost stage
 * with `closed_at` in [from, to). A deal's reason is the `reasonCode` of its last stage-change activity into the stage
 * it closed in ("unspecified" when none). Counts are per group; amounts per group and currency.
 *
 * Index use: `opportunities_ws_closed_idx` (workspace, closed_at) INCLUDE the grouped columns: an index-only range; the reason is one probe per closed
 * deal into the partial `activities_stage_changes_idx` (opportunity, happened_at).
 */
export async function winLoss(input: { db: Database; workspaceId: string; query: WinLossQuery; now?: Date }): Promise<WinLossReport> {
  const { db, workspaceId, query } = input;
  const period = periodOf(query, () => lastYear(input.now));
  const g = KEYS[query.groupBy];
  const reason =
    query.groupBy === "reason"
      ? sql`(select a.properties->>'reasonCode' from activities a
              where a.opportunity_id = o.id and a.workspace_id = o.workspace_id and a.type = 'stage_change' and a.deleted_at is null
                and a.properties->>'toStageId' = o.stage_id::text
              order by a.happened_at desc, a.id desc limit 1)`
      : sql`null::text`;
  const res = await db.http.execute(sql`
    with closed as (
      select o.workspace_id, o.owner_id, o.account_id, o.source, o.closed_at, o.amount, o.currency, s.kind, s.pipeline_id, ${reason} as reason
      from opportunities o join pipeline_stages s on s.id = o.stage_id
      where ${dealWhere(workspaceId, query)}
        and o.closed_at >= ${utcDay(period.from)} and o.closed_at < ${utcDay(period.to)}
        and o.closed_at is not null and s.kind in ('won', 'lost')
    ), grouped as (
      select ${g.key} as key, c.currency,
        count(*) filter (where c.kind = 'won')::int as won, sum(c.amount) filter (where c.kind = 'won') as won_amount,
        count(*) filter (where c.kind = 'lost')::int as lost, sum(c.amount) filter (where c.kind = 'lost') as lost_amount
      from closed c
      group by 1, 2
    )
    select k.*, ${g.label(workspaceId)} as label from grouped k`);

  const groups = new Map<string, WinLossGroup>();
  const total = emptyGroup(null, "Total");
  for (const r of rowsOf<Row>(res)) {
    const id = r.key ?? "\u0000none";
    let grp = groups.get(id);
    if (!grp) groups.set(id, (grp = emptyGroup(r.key, r.label ?? noneLabel(query.groupBy))));
    for (const target of [grp, total]) {
      target.won.count += num(r.won);
      target.lost.count += num(r.lost);
      if (r.won) addMoney(target.won.amounts, r.currency, num(r.won_amount));
      if (r.lost) addMoney(target.lost.amounts, r.currency, num(r.lost_amount));
    }
  }
  const list = [...groups.values()].map(withRate);
  list.sort(query.groupBy === "month" ? (a, b) => (a.key ?? "").localeCompare(b.key ?? "") : (a, b) => b.won.count + b.lost.count - (a.won.count + a.lost.count) || a.label.localeCompare(b.label));
  return { groupBy: query.groupBy, period, groups: list, total: withRate(total) };
}

function emptyGroup(key: string | null, label: string): WinLossGroup {
  return { key, label, won: { count: 0, amounts: [] }, lost: { count: 0, amounts: [] }, winRate: null };
}

function withRate(g: WinLossGroup): WinLossGroup {
  const n = g.won.count + g.lost.count;
  return { ...g, winRate: n ? g.won.count / n : null };
}

function noneLabel(groupBy: WinLossQuery["groupBy"]): string {
  return { owner: "No owner", account: "No account", pipeline: "No pipeline", source: "No source", month: "—", reason: "Unspecified" }[groupBy];
}
