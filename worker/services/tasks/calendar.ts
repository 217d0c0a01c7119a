import { sql } from "drizzle-orm";
import { rowsOf, type Database } from "../../../db/client";
import { ValidationError } from "../../lib/errors";
import { CALENDAR_MAX_DAYS, CALENDAR_MAX_ITEMS, type Calendar, type CalendarItem } from "../../schemas/tasks";
import { openTasksIn } from "./bounds";

type Row = Record<string, unknown>;
const str = (v: unknown) => (v === null || v === undefined ? null : String(v));

/**
 * Open tasks (by due date) and meetings (by when they happen) in a date range, for the week and month calendar. Two
 * index ranges: the open-task partial indexes and activities_meetings(_owner)_idx, each cut at CALENDAR_MAX_ITEMS.
 */
export async function getCalendar(input: { db: Database; workspaceId: string; ownerId: string | null; from: Date; to: Date }): Promise<Calendar> {
  const { db, workspaceId, ownerId, from, to } = input;
  if (!(from < to)) throw new ValidationError("to must be after from", [{ path: "to", message: "must be after from" }], 400);
  if (to.getTime() - from.getTime() > CALENDAR_MAX_DAYS * 86_400_000) {
    throw new ValidationError(`A calendar shows at most ${CALENDAR_MAX_DAYS} days`, [{ path: "to", message: `at most ${CALENDAR_MAX_DAYS} days after from` }], 400);
  }
  const f = sql`${from.toISOString()}::timestamptz`;
  const t = sql`${to.toISOString()}::timestamptz`;
  const n = CALENDAR_MAX_ITEMS + 1;
  const res = await db.http.execute(sql`
    select x.*, acc.name as account_name, con.name as contact_name, l.name as lead_name, opp.name as opportunity_name
    from (
      (select 'task' as kind, id, subject, due_at as at, owner_id, account_id, contact_id, lead_id, opportunity_id
       from activities where ${openTasksIn(workspaceId, ownerId)} and due_at >= ${f} and due_at < ${t}
       order by due_at, id limit ${n})
      union all
      (select 'meeting', id, subject, happened_at, owner_id, account_id, contact_id, lead_id, opportunity_id
       from activities where workspace_id = ${workspaceId}${ownerId ? sql` and owner_id = ${ownerId}` : sql``}
         and type = 'meeting' and deleted_at is null and happened_at >= ${f} and happened_at < ${t}
       order by happened_at, id limit ${n})
    ) x
    left join accounts acc on acc.id = x.account_id
    left join contacts con on con.id = x.contact_id
    left join leads l on l.id = x.lead_id
    left join opportunities opp on opp.id = x.opportunity_id
    order by x.at, x.id`);
  const rows = rowsOf<Row>(res);
  const tasks = rows.filter((r) => r.kind === "task").length;
  const truncated = tasks > CALENDAR_MAX_ITEMS || rows.length - tasks > CALENDAR_MAX_ITEMS;
  const items: CalendarItem[] = rows.map((r) => ({
    id: String(r.id),
    kind: r.kind === "meeting" ? "meeting" : "task",
    subject: str(r.subject),
    at: (r.at instanceof Date ? r.at : new Date(String(r.at))).toISOString(),
    ownerId: str(r.owner_id),
    target: r.opportunity_id
      ? { type: "opportunity", id: String(r.opportunity_id), name: str(r.opportunity_name) }
      : r.lead_id
        ? { type: "lead", id: String(r.lead_id), name: str(r.lead_name) }
        : r.contact_id
          ? { type: "contact", id: String(r.contact_id), name: str(r.contact_name) }
          : r.account_id
            ? { type: "account", id: String(r.account_id), name: str(r.account_name) }
            : null,
  }));
  return { items, truncated };
}
