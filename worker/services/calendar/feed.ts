import { sql } from "drizzle-orm";
import { rowsOf, type Database } from "../../../db/client";
import { resolveCaptureToken } from "../capture-tokens/resolve";
import { icsDate, icsDocument, icsStamp, icsText } from "./ics";

const DAY = 86_400_000;
/** What a calendar app is given: the last 90 days and the next year, at most this many of each kind. */
const MAX = 2000;

/**
 * A user's private calendar feed (Google Calendar, Outlook, Apple Calendar subscribe to its URL): their open tasks as
 * all-day events on the due date (timed when a time was set) and the meetings they own, start to end. Null when
 * the token is unknown or revoked, or its user deactivated. Two index ranges (open tasks per owner, meetings per owner).
 */
export async function calendarFeed(input: { db: Database; token: string; appUrl: string | undefined; brand: string; now?: Date }): Promise<string | null> {
  const { db, token } = input;
  const owner = await resolveCaptureToken(db.http, ["ics"], token);
  if (!owner?.userId) return null;
  const now = input.now ?? new Date();
  const from = new Date(now.getTime() - 90 * DAY).toISOString();
  const to = new Date(now.getTime() + 365 * DAY).toISOString();
  const rows = rowsOf(
    await db.http.execute(sql`
      (select 'task' as kind, id, subject, body, due_at as at, null::jsonb as props, updated_at, account_id, contact_id, lead_id, opportunity_id from activities
       where workspace_id = ${owner.workspaceId} and owner_id = ${owner.userId} and type = 'task' and completed_at is null and deleted_at is null
         and due_at >= ${from}::timestamptz and due_at < ${to}::timestamptz
       order by due_at, id limit ${MAX})
      union all
      (select 'meeting', id, subject, body, happened_at, properties, updated_at, account_id, contact_id, lead_id, opportunity_id from activities
       where workspace_id = ${owner.workspaceId} and owner_id = ${owner.userId} and type = 'meeting' and deleted_at is null
         and happened_at >= ${from}::timestamptz and happened_at < ${to}::timestamptz
       order by happened_at, id limit ${MAX})`),
  );
  const base = input.appUrl?.replace(/\/+$/, "");
  const events = rows.map((r) => {
    const at = new Date(String(r.at instanceof Date ? r.at.toISOString() : r.at));
    const props = (r.props ?? {}) as { endAt?: string; location?: string; attendees?: { email: string; name?: string }[] };
    const page = r.opportunity_id ? `opportunities/${r.opportunity_id}` : r.lead_id ? `leads/${r.lead_id}` : r.contact_id ? `contacts/${r.contact_id}` : r.account_id ? `accounts/${r.account_id}` : null;
    const lines = ["BEGIN:VEVENT", `UID:${r.id}@bespoke-crm`, `DTSTAMP:${icsStamp(now)}`, `LAST-MODIFIED:${icsStamp(new Date(String(r.updated_at instanceof Date ? r.updated_at.toISOString() : r.updated_at)))}`];
    if (r.kind === "task") {
      // A due date without a time of day (the composer's 17:00 default is a date) is an all-day event.
      lines.push(`DTSTART;VALUE=DATE:${icsDate(at)}`, `DTEND;VALUE=DATE:${icsDate(new Date(at.getTime() + DAY))}`, `SUMMARY:${icsText(`Task: ${r.subject ?? "(no subject)"}`)}`);
    } else {
      const end = props.endAt && !Number.isNaN(Date.parse(props.endAt)) ? new Date(props.endAt) : new Date(at.getTime() + 30 * 60_000);
      lines.push(`DTSTART:${icsStamp(at)}`, `DTEND:${icsStamp(end > at ? end : new Date(at.getTime() + 30 * 60_000))}`, `SUMMARY:${icsText(String(r.subject ?? "Meeting"))}`);
      if (props.location) lines.push(`LOCATION:${icsText(props.location)}`);
      for (const a of (props.attendees ?? []).slice(0, 100)) if (a.email) lines.push(`ATTENDEE${a.name ? `;CN="${a.name.replace(/["\r\n]/g, "")}"` : ""}:mailto:${a.email}`);
    }
    if (r.body) lines.push(`DESCRIPTION:${icsText(String(r.body).slice(0, 2000))}`);
    if (base && page) lines.push(`URL:${base}/${page}`);
    lines.push("END:VEVENT");
    return lines;
  });
  return icsDocument(`${input.brand} — my tasks and meetings`, events);
}
