import ICAL from "ical.js";
import { beforeAll, describe, expect, it } from "vitest";
import { createContact, expectProblem } from "../helpers/records";
import { api, BASE, createWorkspace, unique, type TestWorkspace } from "../helpers/worker";
import { exports } from "cloudflare:workers";

let ws: TestWorkspace;
const get = (url: string) => exports.default.fetch(new Request(url));

beforeAll(async () => {
  ws = await createWorkspace();
});

describe("private ICS feed", () => {
  it("serves the user's open tasks and meetings as iCalendar that a real parser reads; revoking and regenerating cut old URLs", async () => {
    const contact = await createContact(ws.user);
    const due = new Date(Date.now() + 3 * 86_400_000);
    const start = new Date(Date.now() + 86_400_000);
    start.setUTCMinutes(0, 0, 0);
    const end = new Date(start.getTime() + 45 * 60_000);
    await api("/api/activities", { method: "POST", token: ws.user.token, body: { type: "task", subject: "Send the contract; sign, please", dueAt: due.toISOString(), contactId: contact.id } });
    await api("/api/activities", {
      method: "POST",
      token: ws.user.token,
      body: { type: "meeting", subject: "Kick-off", happenedAt: start.toISOString(), contactId: contact.id, properties: { endAt: end.toISOString(), attendees: [{ email: contact.email ?? "ada@example.test", name: "Ada" }] } },
    });
    // Someone else's task is not in my feed.
    await api("/api/activities", { method: "POST", token: ws.admin.token, body: { type: "task", subject: "Admin only", dueAt: due.toISOString(), contactId: contact.id } });

    const made = await api("/api/calendar/feed", { method: "POST", token: ws.user.token });
    expect(made.status).toBe(201);
    expect(made.body.url).toMatch(new RegExp(`^${BASE}/api/calendar/[0-9a-f]{32}/feed\\.ics$`));
    const res = await get(made.body.url);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/calendar");
    const text = await res.text();
    expect(text.split("\r\n").every((l) => new TextEncoder().encode(l).length <= 75)).toBe(true);

    const cal = new ICAL.Component(ICAL.parse(text));
    const events = cal.getAllSubcomponents("vevent").map((v) => new ICAL.Event(v));
    expect(events.map((e) => e.summary).sort()).toEqual(["Kick-off", "Task: Send the contract; sign, please"]);
    const meeting = events.find((e) => e.summary === "Kick-off")!;
    expect(meeting.startDate.toJSDate().toISOString()).toBe(start.toISOString());
    expect(meeting.endDate.toJSDate().toISOString()).toBe(end.toISOString());
    const task = events.find((e) => e.summary.startsWith("Task"))!;
    expect(task.startDate.isDate).toBe(true);

    const status = await api("/api/calendar/feed", { token: ws.user.token });
    expect(status.body.feed.prefix).toBe(made.body.url.split("/").at(-2).slice(0, 6));

    const again = await api("/api/calendar/feed", { method: "POST", token: ws.user.token });
    expect((await get(made.body.url)).status).toBe(404);
    expect((await get(again.body.url)).status).toBe(200);
    await api("/api/calendar/feed", { method: "DELETE", token: ws.user.token });
    expect((await get(again.body.url)).status).toBe(404);
  });

  it("a VIEWER may have a feed; a made-up token is 404", async () => {
    expect((await api("/api/calendar/feed", { method: "POST", token: ws.viewer.token })).status).toBe(201);
    expect((await get(`${BASE}/api/calendar/${"a".repeat(32)}/feed.ics`)).status).toBe(404);
  });
});

describe(".ics invitation upload", () => {
  it("creates a meeting on the record with its time and attendees linked to contacts", async () => {
    const email = `${unique("ann")}@client.test`;
    const contact = await createContact(ws.user, { email });
    const ics = [
      "BEGIN:VCALENDAR",
      "VERSION:2.0",
      "PRODID:-//Test//EN",
      "METHOD:REQUEST",
      "BEGIN:VEVENT",
      "UID:abc-123@client.test",
      "DTSTAMP:20261201T100000Z",
      "DTSTART:20261210T140000Z",
      "DTEND:20261210T150000Z",
      "SUMMARY:Demo with Client",
      "LOCATION:Video call",
      `ORGANIZER;CN=Ann:mailto:${email}`,
      `ATTENDEE;CN=Ann:mailto:${email.toUpperCase()}`,
      "ATTENDEE;CN=Stranger:mailto:who@else.test",
      "END:VEVENT",
      "END:VCALENDAR",
      "",
    ].join("\r\n");
    const fd = new FormData();
    fd.append("file", new File([ics], "invite.ics", { type: "text/calendar" }));
    const res = await api(`/api/contacts/${contact.id}/meetings/ics`, { method: "POST", token: ws.user.token, body: fd });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ type: "meeting", subject: "Demo with Client", happenedAt: "2026-12-10T14:00:00.000Z", contactId: contact.id, ownerId: ws.user.id });
    expect(res.body.properties).toMatchObject({ endAt: "2026-12-10T15:00:00.000Z", location: "Video call", attendees: [{ email, contactId: contact.id }, { email: "who@else.test", contactId: null }] });

    expectProblem(await api(`/api/contacts/${contact.id}/meetings/ics`, { method: "POST", token: ws.user.token, body: "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", headers: { "Content-Type": "text/calendar" } }), 422, ["file"]);
    expectProblem(await api(`/api/contacts/${contact.id}/meetings/ics`, { method: "POST", token: ws.user.token, body: "garbage", headers: { "Content-Type": "text/calendar" } }), 422, ["file"]);
  });
});
