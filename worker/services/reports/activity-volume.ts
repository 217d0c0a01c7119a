import { sql } from "drizzle-orm";
import { rowsOf, type Database } from "../../../db/client";
import { humanActivityTypes, type ActivityVolumeReport, type ReportFilters } from "../../schemas/reports";
import { num, periodOf, utcDay, type Period } from "./filters";

/** The twelve ISO weeks up to and including this one (UTC). */
function lastTwelveWeeks(now = new Date()): Period {
  const day = 86_400_000;
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const monday = today - ((new Date(today).getUTCDay() + 6) % 7) * day;
  const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
  return { from: iso(monday - 11 * 7 * day), to: iso(monday + 7 * day) };
}

/**
 * Logged activities (call, email, meeting, note, task) per ISO week, owner and type, happened_at in [from, to).
 * `pipelineId` / `currency` keep only activities on deals of that pipeline / currency. Default: the last 12 weeks.
 *
 * Index use: `activities_ws_volume_idx` (workspace, happened_at) INCLUDE (owner_id, type, opportunity_id): an
 * index-only range over the period.
 */
export async function activityVolume(input: { db: Database; workspaceId: string; query: ReportFilters; now?: Date }): Promise<ActivityVolumeReport> {
  const { db, workspaceId, query } = input;
  const period = periodOf(query, () => lastTwelveWeeks(input.now));
  const byDeal = query.pipelineId || query.currency;
  const types = sql.join(humanActivityTypes.map((t) => sql`${t}`), sql`, `);
  // Grouped on the raw week (a timestamp) and named afterwards: formatting 500k rows before grouping cost more than the scan.
  const res = await db.http.execute(sql`
    select to_char(g.week, 'YYYY-MM-DD') as week, g.owner_id, g.type, g.n,
      (select u.name from users u where u.id = g.owner_id and u.workspace_id = ${workspaceId}) as owner_name
    from (
      select date_trunc('week', a.happened_at at time zone 'UTC') as week, a.owner_id, a.type, count(*)::int as n
      from activities a
      ${byDeal ? sql`join opportunities o on o.id = a.opportunity_id and o.workspace_id = a.workspace_id join pipeline_stages s on s.id = o.stage_id` : sql``}
      where a.workspace_id = ${workspaceId} and a.deleted_at is null and a.type in (${types})
        and a.happened_at >= ${utcDay(period.from)} and a.happened_at < ${utcDay(period.to)}
        ${query.ownerId ? sql`and a.owner_id = ${query.ownerId}` : sql``}
        ${query.pipelineId ? sql`and s.pipeline_id = ${query.pipelineId}` : sql``}
        ${query.currency ? sql`and o.currency = ${query.currency}` : sql``}
      group by 1, 2, 3
    ) g
    order by g.week, owner_name, g.type`);
  const rows = rowsOf<Record<string, unknown>>(res).map((r) => ({
    week: String(r.week),
    ownerId: (r.owner_id as string | null) ?? null,
    ownerName: (r.owner_name as string | null) ?? "No owner",
    type: String(r.type),
    count: num(r.n),
  }));
  return { period, rows };
}
