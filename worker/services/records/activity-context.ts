import { sql } from "drizzle-orm";
import { rowsOf, type Database } from "../../../db/client";

type Row = Record<string, unknown>;

/**
 * Adds who did it and on which record (`actor`, `target` with its name) to a page of activities, the way timeline
 * items carry them, so a list (the dashboard's tasks and recent activity) can say "Call — Globex renewal" without a
 * request per row. One extra query for the whole page.
 */
export async function withActivityContext(db: Database, workspaceId: string, items: Row[]): Promise<Row[]> {
  if (!items.length) return items;
  const ids = (key: string) => [...new Set(items.map((i) => i[key]).filter((v): v is string => typeof v === "string"))];
  const list = (key: string) => {
    const xs = ids(key);
    return xs.length ? sql.join(xs.map((x) => sql`${x}::uuid`), sql`, `) : sql`null::uuid`;
  };
  const res = await db.http.execute(sql`
    select 'user' as kind, id::text, name from users where workspace_id = ${workspaceId} and id in (${list("actorId")})
    union all select 'account', id::text, name from accounts where workspace_id = ${workspaceId} and id in (${list("accountId")})
    union all select 'contact', id::text, name from contacts where workspace_id = ${workspaceId} and id in (${list("contactId")})
    union all select 'lead', id::text, name from leads where workspace_id = ${workspaceId} and id in (${list("leadId")})
    union all select 'opportunity', id::text, name from opportunities where workspace_id = ${workspaceId} and id in (${list("opportunityId")})`);
  const names = new Map(rowsOf(res).map((r) => [`${r.kind}:${r.id}`, (r.name as string | null) ?? null]));
  return items.map((i) => {
    // The most specific record the activity is about: a deal before its account (as on timelines).
    const type = i.opportunityId ? "opportunity" : i.leadId ? "lead" : i.contactId ? "contact" : "account";
    const id = i[`${type}Id`] as string | null;
    return {
      ...i,
      actor: i.actorId ? { id: i.actorId, name: names.get(`user:${i.actorId}`) ?? "" } : null,
      target: id ? { type, id, name: names.get(`${type}:${id}`) ?? null } : null,
    };
  });
}

/** Contacts and deals carry their account's name in lists, so a table shows "Globex" without a lookup per row. */
export async function withAccountNames(db: Database, workspaceId: string, items: Row[]): Promise<Row[]> {
  const ids = [...new Set(items.map((i) => i.accountId).filter((v): v is string => typeof v === "string"))];
  if (!ids.length) return items.map((i) => ({ ...i, accountName: null }));
  const res = await db.http.execute(
    sql`select id::text, name from accounts where workspace_id = ${workspaceId} and id in (${sql.join(ids.map((x) => sql`${x}::uuid`), sql`, `)})`,
  );
  const names = new Map(rowsOf(res).map((r) => [String(r.id), String(r.name)]));
  return items.map((i) => ({ ...i, accountName: typeof i.accountId === "string" ? (names.get(i.accountId) ?? null) : null }));
}
