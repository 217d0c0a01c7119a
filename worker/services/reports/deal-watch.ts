import { sql } from "drizzle-orm";
import { rowsOf, type Database } from "../../../db/client";
import type { DealWatch, ReportFilters } from "../../schemas/reports";
import { addMoney, dealWhere, num } from "./filters";
import { isRotting } from "../pipeline/aging";

const iso = (d: Date) => d.toISOString().slice(0, 10);

/**
 * The dashboard's "closing this month" (open deals with a close date in the current UTC month) and "slipped since last
 * week" (open deals whose close date an edit moved later during the last 7 days, read from the audit log's
 * `changes.closeDate`). Each total carries its period.
 *
 * Index use: `opportunities_ws_close_idx` (workspace, close_date) for the month; `audit_ws_at_idx` (workspace, at)
 * for the week's edits.
 */
export async function dealWatch(input: { db: Database; workspaceId: string; query: ReportFilters; now?: Date }): Promise<DealWatch> {
  const { db, workspaceId, query } = input;
  const now = input.now ?? new Date();
  const month = { from: iso(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1))), to: iso(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1))) };
  const week = { from: new Date(now.getTime() - 7 * 86_400_000).toISOString(), to: now.toISOString() };
  const where = dealWhere(workspaceId, query);
  const [closing, slipped, rotting] = await Promise.all([
    db.http.execute(sql`
      select o.currency, count(*)::int as n, coalesce(sum(o.amount), 0) as amount
      from opportunities o join pipeline_stages s on s.id = o.stage_id
      where ${where} and s.kind = 'open' and o.close_date >= ${month.from}::date and o.close_date < ${month.to}::date
      group by 1`),
    db.http.execute(sql`
      with moved as (
        select l.entity_id as id, min(l.changes->'closeDate'->>'from') as first_from, max(l.at) as last_at
        from audit_log l
        where l.workspace_id = ${workspaceId} and l.at >= ${week.from}::timestamptz and l.at < ${week.to}::timestamptz
          and l.entity_type = 'opportunity' and l.changes ? 'closeDate'
        group by 1
      )
      select o.id, o.name, m.first_from as from_date, o.close_date::text as to_date, o.currency, o.amount
      from moved m join opportunities o on o.id = m.id join pipeline_stages s on s.id = o.stage_id
      where ${where} and s.kind = 'open' and o.close_date is not null
        and m.first_from is not null and o.close_date > m.first_from::date
      order by m.last_at desc`),
    // Per open stage with a limit, a range of `opportunities_stage_entered_idx` (workspace, stage, stage_entered_at).
    db.http.execute(sql`
      select coalesce(sum(n.c), 0)::int as n from pipeline_stages s
      cross join lateral (select count(*) as c from opportunities o
        where ${where} and o.stage_id = s.id and ${isRotting}) n
      where s.workspace_id = ${workspaceId} and s.deleted_at is null and s.kind = 'open'
        ${query.pipelineId ? sql`and s.pipeline_id = ${query.pipelineId}` : sql``}`),
  ]);
  const amounts: DealWatch["closingThisMonth"]["amounts"] = [];
  let count = 0;
  for (const r of rowsOf<Record<string, unknown>>(closing)) {
    count += num(r.n);
    addMoney(amounts, String(r.currency), num(r.amount));
  }
  const deals = rowsOf<Record<string, unknown>>(slipped).map((r) => ({
    id: String(r.id),
    name: String(r.name),
    from: (r.from_date as string | null) ?? null,
    to: String(r.to_date),
    currency: String(r.currency),
    amount: r.amount === null ? null : num(r.amount),
  }));
  return { rotting: { asOf: now.toISOString(), count: num(rowsOf<Record<string, unknown>>(rotting)[0]?.n) }, closingThisMonth: { period: month, count, amounts }, slipped: { period: { from: week.from, to: week.to }, count: deals.length, deals: deals.slice(0, 20) } };
}
