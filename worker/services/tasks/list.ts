import { sql } from "drizzle-orm";
import { rowsOf, type Database } from "../../../db/client";
import { decodeCursor, encodeCursor } from "../../lib/cursor";
import type { TaskGroup, TaskItem, TaskPage } from "../../schemas/tasks";
import { groupRange, openTasksIn, type TaskBounds } from "./bounds";

type Row = Record<string, unknown>;

/**
 * One page of a Tasks-page group, due first, keyset on (due_at, id) — or on id for "No date", whose due_at is NULL.
 * Either way an ordered range of the open-task partial index: page 1,000 costs what page 1 costs. "No date" also
 * orders by `due_at, id` (all NULL, so by id): Postgres does not treat `due_at is null` as fixing the first key, and
 * `order by id` alone made it walk the primary key over all 5M activities (79 s at benchmark scale).
 */
export async function listTasks(input: {
  db: Database;
  workspaceId: string;
  ownerId: string | null;
  group: TaskGroup;
  bounds: TaskBounds;
  limit: number;
  cursor?: string;
}): Promise<TaskPage> {
  const { db, workspaceId, ownerId, group, bounds, limit } = input;
  const k = input.cursor ? decodeCursor(input.cursor) : undefined;
  const noDate = group === "none";
  const after = !k ? sql`` : noDate ? sql` and id > ${k.id}::uuid` : sql` and (due_at, id) > (${String(k.value)}::timestamptz, ${k.id}::uuid)`;
  const res = await db.http.execute(sql`
    select t.*, t.due_at::text as cursor_at, u.name as owner_name,
           acc.name as account_name, con.name as contact_name, l.name as lead_name, opp.name as opportunity_name
    from (select id, subject, body, due_at, owner_id, account_id, contact_id, lead_id, opportunity_id, updated_at
          from activities
          where ${openTasksIn(workspaceId, ownerId)} and ${groupRange(group, bounds)}${after}
          order by due_at, id limit ${limit + 1}) t
    left join users u on u.id = t.owner_id
    left join accounts acc on acc.id = t.account_id
    left join contacts con on con.id = t.contact_id
    left join leads l on l.id = t.lead_id
    left join opportunities opp on opp.id = t.opportunity_id
    order by t.due_at, t.id`);
  const rows = rowsOf<Row>(res);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    data: page.map(toItem),
    nextCursor: rows.length > limit && last ? encodeCursor({ value: noDate ? null : String(last.cursor_at), id: String(last.id) }) : null,
  };
}

const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : v === null || v === undefined ? null : new Date(String(v)).toISOString());
const str = (v: unknown) => (v === null || v === undefined ? null : String(v));

function toItem(r: Row): TaskItem {
  const target = r.opportunity_id
    ? { type: "opportunity" as const, id: String(r.opportunity_id), name: str(r.opportunity_name) }
    : r.lead_id
      ? { type: "lead" as const, id: String(r.lead_id), name: str(r.lead_name) }
      : r.contact_id
        ? { type: "contact" as const, id: String(r.contact_id), name: str(r.contact_name) }
        : r.account_id
          ? { type: "account" as const, id: String(r.account_id), name: str(r.account_name) }
          : null;
  return {
    id: String(r.id),
    subject: str(r.subject),
    body: str(r.body),
    dueAt: iso(r.due_at),
    ownerId: str(r.owner_id),
    ownerName: str(r.owner_name),
    accountId: str(r.account_id),
    contactId: str(r.contact_id),
    leadId: str(r.lead_id),
    opportunityId: str(r.opportunity_id),
    target,
    updatedAt: iso(r.updated_at)!,
  };
}
