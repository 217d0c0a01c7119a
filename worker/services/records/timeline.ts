import { sql, type SQL } from "drizzle-orm";
import { rowsOf, type Database } from "../../../db/client";
import { decodeCursor, encodeCursor } from "../../lib/cursor";
import type { EntityDef } from "./entities";
import { loadRecord } from "./load";

type Row = Record<string, unknown>;

/**
 * Activities newest first with who did what on which record. An account's timeline also holds its contacts' and
 * opportunities' activities: one index range scan per source, merged — never a scan of the whole table. Comments are
 * not items of their own: a record's are in its comments panel, an item's are counted on it (`commentCount`).
 */
export async function getTimeline(input: { db: Database; workspaceId: string; def: EntityDef; id: string; limit: number; cursor?: string; ai?: "show" | "latest" | "hide" }) {
  const { db, workspaceId, def, id, limit } = input;
  await loadRecord(db.http, def, workspaceId, id);
  const k = input.cursor ? decodeCursor(input.cursor) : undefined;
  const after = sql`${k ? sql` and (a.happened_at, a.id) < (${k.value}::timestamptz, ${k.id}::uuid)` : sql``}${aiFeedFilter(input.ai ?? "show", sql`a`)}`;
  const branch = (cond: SQL) =>
    sql`(select a.* from activities a where ${cond} and a.workspace_id = ${workspaceId} and a.deleted_at is null and a.type <> 'comment'${after}
         order by a.happened_at desc, a.id desc limit ${limit + 1})`;
  let source: SQL;
  switch (def.type) {
    case "account":
      source = sql`${branch(sql`a.account_id = ${id}`)}
        union ${branch(sql`a.contact_id in (select c.id from contacts c where c.account_id = ${id})`)}
        union ${branch(sql`a.opportunity_id in (select o.id from opportunities o where o.account_id = ${id})`)}`;
      break;
    case "contact":
      source = branch(sql`a.contact_id = ${id}`);
      break;
    case "lead":
      source = branch(sql`a.lead_id = ${id}`);
      break;
    default:
      source = branch(sql`a.opportunity_id = ${id}`);
  }
  const res = await db.http.execute(sql`
    select t.*, t.happened_at::text as cursor_at, u.name as actor_name,
           acc.name as account_name, con.name as contact_name, l.name as lead_name, opp.name as opportunity_name,
           -- Comments live under their item (activities_comments_parent_idx), not on the timeline itself.
           (select count(*)::int + coalesce(sum((select count(*) from activities r where r.parent_id = c.id and r.type = 'comment' and r.deleted_at is null)), 0)::int
              from activities c where c.parent_id = t.id and c.type = 'comment' and c.deleted_at is null) as comment_count
    from (${source}) t
    left join users u on u.id = t.actor_id
    left join accounts acc on acc.id = t.account_id
    left join contacts con on con.id = t.contact_id
    left join leads l on l.id = t.lead_id
    left join opportunities opp on opp.id = t.opportunity_id
    order by t.happened_at desc, t.id desc
    limit ${limit + 1}`);
  const rows = rowsOf(res);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    data: page.map(toItem),
    nextCursor: rows.length > limit && last ? encodeCursor({ value: String(last.cursor_at), id: String(last.id) }) : null,
  };
}

const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : v === null || v === undefined ? null : new Date(String(v)).toISOString());

function toItem(r: Row) {
  // The most specific record the activity is about: a deal before its account.
  const target = r.opportunity_id
    ? { type: "opportunity" as const, id: r.opportunity_id, name: r.opportunity_name }
    : r.lead_id
      ? { type: "lead" as const, id: r.lead_id, name: r.lead_name }
      : r.contact_id
        ? { type: "contact" as const, id: r.contact_id, name: r.contact_name }
        : { type: "account" as const, id: r.account_id, name: r.account_name };
  return {
    id: r.id,
    type: r.type,
    subject: r.subject ?? null,
    body: r.body ?? null,
    properties: r.properties ?? {},
    actorId: r.actor_id ?? null,
    accountId: r.account_id ?? null,
    contactId: r.contact_id ?? null,
    leadId: r.lead_id ?? null,
    opportunityId: r.opportunity_id ?? null,
    happenedAt: iso(r.happened_at),
    dueAt: iso(r.due_at),
    completedAt: iso(r.completed_at),
    ownerId: r.owner_id ?? null,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
    deletedAt: null,
    actor: r.actor_id ? { id: r.actor_id, name: r.actor_name ?? "" } : null,
    target: { ...target, name: target.name ?? null },
    commentCount: Number(r.comment_count ?? 0),
  };
}

/**
 * AI outputs in a feed: "hide" leaves them all out (a user's choice), "latest" leaves out summaries a newer summary
 * of the same record replaced (they stay one click away). A filter on rows the feed's index already walks.
 */
export function aiFeedFilter(mode: "show" | "latest" | "hide", alias: SQL): SQL {
  if (mode === "hide") return sql` and ${alias}.type not like 'ai\\_%'`;
  if (mode === "latest") return sql` and not (${alias}.type = 'ai_summary' and ${alias}.properties ? 'supersededBy')`;
  return sql``;
}
