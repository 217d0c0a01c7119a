import ICAL from "ical.js";
import type { Database } from "../../../db/client";
import { activities } from "../../../db/schema";
import { ValidationError } from "../../lib/errors";
import { emit } from "../../events/outbox";
import { recordAudit, type Actor } from "../audit/record";
import { matchParticipants } from "../email/match";
import { entities } from "../records/entities";
import { loadRecord } from "../records/load";
import { serialize } from "../records/serialize";

const column = { account: "accountId", contact: "contactId", lead: "leadId", opportunity: "opportunityId" } as const;

/**
 * An uploaded `.ics` invitation becomes a meeting on the record: its summary, start and end, location, description and
 * attendees; attendees whose address is a contact's are linked to that contact. The first VEVENT counts.
 */
export async function importIcsMeeting(input: { db: Database; actor: Actor; type: keyof typeof column; id: string; ics: string }) {
  const { db, actor, type, id } = input;
  await loadRecord(db.http, entities[type], actor.workspaceId, id);
  const bad = (why: string) => new ValidationError(`Not a calendar invitation: ${why}`, [{ path: "file", message: why }]);
  let event: ICAL.Event;
  try {
    const comp = new ICAL.Component(ICAL.parse(input.ics));
    const vevent = comp.name === "vevent" ? comp : comp.getFirstSubcomponent("vevent");
    if (!vevent) throw bad("it holds no event (VEVENT)");
    event = new ICAL.Event(vevent);
  } catch (err) {
    if (err instanceof ValidationError) throw err;
    throw bad(`the iCalendar text could not be read (${String(err instanceof Error ? err.message : err).slice(0, 120)})`);
  }
  if (!event.startDate) throw bad("the event has no start (DTSTART)");
  const start = event.startDate.toJSDate();
  const end = event.endDate ? event.endDate.toJSDate() : new Date(start.getTime() + 30 * 60_000);
  const people = event.attendees
    .map((a) => ({ email: String(a.getFirstValue() ?? "").replace(/^mailto:/i, "").trim().toLowerCase(), name: String(a.getParameter("cn") ?? "") }))
    .filter((a) => a.email.includes("@"))
    .slice(0, 100);
  const organizer = String(event.organizer ?? "").replace(/^mailto:/i, "").trim().toLowerCase() || null;
  const matched = await matchParticipants(db.http, actor.workspaceId, people.map((p) => p.email));
  const contactOf = new Map<string, string>();
  if (matched.contacts.length) {
    const { sql } = await import("drizzle-orm");
    const rows = await db.http.execute(sql`select id, lower(email) as email from contacts where id = any(${`{${matched.contacts.map((c) => c.id).join(",")}}`}::uuid[])`);
    for (const r of (rows as unknown as { rows: { id: string; email: string }[] }).rows) contactOf.set(r.email, r.id);
  }
  const attendees = people.map((p) => ({ ...p, contactId: contactOf.get(p.email) ?? null }));
  const row = await db.transaction(async (tx) => {
    const [created] = await tx
      .insert(activities)
      .values({
        workspaceId: actor.workspaceId,
        type: "meeting",
        subject: (event.summary || "Meeting").slice(0, 500),
        body: event.description ? String(event.description).slice(0, 50_000) : null,
        happenedAt: start,
        ownerId: actor.userId,
        actorId: actor.userId,
        properties: { source: "ics", uid: event.uid ?? null, endAt: end.toISOString(), location: event.location || null, organizer, attendees },
        [column[type]]: id,
      })
      .returning();
    await recordAudit(tx, actor, { action: "create", entityType: "activity", entityId: created!.id, changes: { type: { from: null, to: "meeting" }, source: { from: null, to: "ics" } } });
    await emit(tx, actor, { type: "activity.created", entityType: "activity", entityId: created!.id, data: serialize(created as Record<string, unknown>) });
    return created!;
  });
  return { ...serialize(row as Record<string, unknown>) };
}
