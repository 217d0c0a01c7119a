import { sql } from "drizzle-orm";
import { rowsOf, type Executor } from "../../../db/client";

export interface MatchedContact {
  id: string;
  accountId: string | null;
  /** Open deals the contact is on (primary contact or on the deal's contact list), most recently changed first. */
  openDealIds: string[];
}

/**
 * Contacts (and leads) of the workspace whose e-mail is one of `addresses`. Each address is one range scan of the
 * contacts' e-mail prefix index (lower(email) collate "C"), so a million contacts cost what ten do.
 */
export async function matchParticipants(db: Executor, workspaceId: string, addresses: string[]): Promise<{ contacts: MatchedContact[]; leads: { id: string; email: string }[] }> {
  if (!addresses.length) return { contacts: [], leads: [] };
  const list = `{${addresses.map((a) => `"${a.replace(/["\\]/g, "")}"`).join(",")}}`;
  const contacts = rowsOf<{ id: string; account_id: string | null; deals: string[] | null }>(
    await db.execute(sql`
      select c.id, c.account_id, (
        select array_agg(o.id order by o.updated_at desc) from opportunities o join pipeline_stages s on s.id = o.stage_id
        where o.workspace_id = ${workspaceId} and o.deleted_at is null and s.kind = 'open'
          and (o.primary_contact_id = c.id or o.id in (select opportunity_id from opportunity_contacts where contact_id = c.id))
      ) as deals
      from contacts c
      where c.workspace_id = ${workspaceId} and c.deleted_at is null and lower(c.email) collate "C" = any(${list}::text[])
      order by c.created_at limit 20`),
  );
  const leads = rowsOf<{ id: string; email: string }>(
    await db.execute(sql`
      select l.id, lower(l.email) as email from leads l
      where l.workspace_id = ${workspaceId} and l.deleted_at is null and l.converted_at is null and lower(l.email) collate "C" = any(${list}::text[])
      limit 20`),
  );
  return { contacts: contacts.map((c) => ({ id: c.id, accountId: c.account_id, openDealIds: (c.deals ?? []).slice(0, 5) })), leads };
}
