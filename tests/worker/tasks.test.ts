import { describe, expect, it } from "vitest";
import { activities } from "../../db/schema";
import { createAccount, expectProblem } from "../helpers/records";
import { api, createWorkspace, testDb } from "../helpers/worker";

const day = 86_400_000;
const q = (o: Record<string, string>) => new URLSearchParams(o).toString();

describe("Tasks page API", () => {
  it("counts open tasks per group exactly (mine and team) and pages each group in due order", async () => {
    const ws = await createWorkspace();
    const account = await createAccount(ws.user, { name: "Globex" });
    // Group edges as the SPA sends them (a local day); fixed so the test does not depend on the clock.
    const todayStart = new Date("2030-05-06T00:00:00Z");
    const bounds = { todayStart: todayStart.toISOString(), tomorrowStart: new Date(todayStart.getTime() + day).toISOString(), weekEnd: new Date(todayStart.getTime() + 6 * day).toISOString() };
    const task = (ownerId: string, dueAt: Date | null, extra: Record<string, unknown> = {}) => ({
      workspaceId: ws.id, type: "task", subject: "Call", ownerId, dueAt, accountId: account.id, ...extra,
    });
    const at = (d: number) => new Date(todayStart.getTime() + d * day);
    await testDb().http.insert(activities).values([
      ...Array.from({ length: 7 }, (_, i) => task(ws.user.id, at(-1 - i))), // overdue
      ...Array.from({ length: 3 }, (_, i) => task(ws.user.id, at(0.1 + i * 0.2))), // today
      ...Array.from({ length: 4 }, (_, i) => task(ws.user.id, at(1.5 + i))), // this week
      ...Array.from({ length: 2 }, (_, i) => task(ws.user.id, at(10 + i))), // later
      ...Array.from({ length: 5 }, () => task(ws.user.id, null)), // no date
      task(ws.user.id, at(-1), { completedAt: new Date() }), // done: nowhere
      task(ws.user.id, at(-1), { deletedAt: new Date() }), // deleted: nowhere
      { ...task(ws.user.id, at(-1)), type: "call" }, // not a task
      ...Array.from({ length: 6 }, () => task(ws.admin.id, at(-2))), // a colleague's overdue
    ]);

    const mine = await api(`/api/tasks/summary?${q({ scope: "mine", ...bounds })}`, { token: ws.user.token });
    expect(mine.status).toBe(200);
    expect(mine.body).toEqual({ scope: "mine", counts: { overdue: 7, today: 3, week: 4, later: 2, none: 5 } });
    const team = await api(`/api/tasks/summary?${q({ scope: "team", ...bounds })}`, { token: ws.viewer.token });
    expect(team.body.counts).toEqual({ overdue: 13, today: 3, week: 4, later: 2, none: 5 });
    // The viewer has none of their own.
    expect((await api(`/api/tasks/summary?${q({ ...bounds })}`, { token: ws.viewer.token })).body.counts).toEqual({ overdue: 0, today: 0, week: 0, later: 0, none: 0 });

    // Keyset pages of 3 through the overdue group: due order, every task once, with owner and related record.
    const seen: string[] = [];
    const dues: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await api(`/api/tasks?${q({ scope: "mine", group: "overdue", limit: "3", ...bounds, ...(cursor ? { cursor } : {}) })}`, { token: ws.user.token });
      expect(page.status).toBe(200);
      for (const t of page.body.data) {
        seen.push(t.id);
        dues.push(t.dueAt);
        expect(t).toMatchObject({ ownerId: ws.user.id, target: { type: "account", id: account.id, name: "Globex" } });
        expect(t.ownerName).toEqual(expect.any(String));
      }
      cursor = page.body.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(7);
    expect([...dues].sort()).toEqual(dues);

    // "No date" pages by id.
    const none1 = await api(`/api/tasks?${q({ group: "none", limit: "4", ...bounds })}`, { token: ws.user.token });
    expect(none1.body.data).toHaveLength(4);
    const none2 = await api(`/api/tasks?${q({ group: "none", limit: "4", cursor: none1.body.nextCursor, ...bounds })}`, { token: ws.user.token });
    expect(none2.body.data).toHaveLength(1);
    expect(none2.body.nextCursor).toBeNull();
    expect(none2.body.data[0].dueAt).toBeNull();

    // Team scope holds the colleague's tasks; another workspace sees none of them.
    expect((await api(`/api/tasks?${q({ scope: "team", group: "overdue", limit: "50", ...bounds })}`, { token: ws.viewer.token })).body.data).toHaveLength(13);
    const other = await createWorkspace();
    expect((await api(`/api/tasks?${q({ scope: "team", group: "overdue", ...bounds })}`, { token: other.admin.token })).body.data).toEqual([]);
  });

  it("completing, snoozing and reassigning through PATCH move a task between groups and counts", async () => {
    const ws = await createWorkspace();
    const account = await createAccount(ws.user);
    const created = await api("/api/activities", { method: "POST", token: ws.user.token, body: { type: "task", subject: "Send quote", accountId: account.id, dueAt: new Date(Date.now() - 3 * day).toISOString() } });
    expect(created.status).toBe(201);
    const counts = async (token: string) => (await api("/api/tasks/summary", { token })).body.counts;
    expect((await counts(ws.user.token)).overdue).toBe(1);

    const snoozed = await api(`/api/activities/${created.body.id}`, { method: "PATCH", token: ws.user.token, body: { dueAt: new Date(Date.now() + 20 * day).toISOString() } });
    expect(snoozed.status).toBe(200);
    expect(await counts(ws.user.token)).toMatchObject({ overdue: 0, later: 1 });

    await api(`/api/activities/${created.body.id}`, { method: "PATCH", token: ws.user.token, body: { completed: true } });
    expect((await counts(ws.user.token)).later).toBe(0);
    // Undo.
    await api(`/api/activities/${created.body.id}`, { method: "PATCH", token: ws.user.token, body: { completed: false } });
    expect((await counts(ws.user.token)).later).toBe(1);

    await api(`/api/activities/${created.body.id}`, { method: "PATCH", token: ws.user.token, body: { ownerId: ws.admin.id } });
    expect((await counts(ws.user.token)).later).toBe(0);
    expect((await counts(ws.admin.token)).later).toBe(1);
    // A viewer cannot triage.
    expect((await api(`/api/activities/${created.body.id}`, { method: "PATCH", token: ws.viewer.token, body: { completed: true } })).status).toBe(403);
  });

  it("the calendar holds open tasks by due date and meetings by time in a range, mine or the team's", async () => {
    const ws = await createWorkspace();
    const account = await createAccount(ws.user, { name: "Calendar Co" });
    const d = (iso: string) => new Date(iso);
    await testDb().http.insert(activities).values([
      { workspaceId: ws.id, type: "task", subject: "In range", ownerId: ws.user.id, dueAt: d("2030-03-05T10:00:00Z"), accountId: account.id },
      { workspaceId: ws.id, type: "task", subject: "Done", ownerId: ws.user.id, dueAt: d("2030-03-05T11:00:00Z"), completedAt: new Date(), accountId: account.id },
      { workspaceId: ws.id, type: "task", subject: "Out of range", ownerId: ws.user.id, dueAt: d("2030-04-05T10:00:00Z"), accountId: account.id },
      { workspaceId: ws.id, type: "meeting", subject: "Demo", ownerId: ws.user.id, happenedAt: d("2030-03-04T15:00:00Z"), accountId: account.id },
      { workspaceId: ws.id, type: "meeting", subject: "Admin's meeting", ownerId: ws.admin.id, happenedAt: d("2030-03-06T15:00:00Z"), accountId: account.id },
      { workspaceId: ws.id, type: "call", subject: "Not on the calendar", ownerId: ws.user.id, happenedAt: d("2030-03-06T15:00:00Z"), accountId: account.id },
    ]);
    const range = "from=2030-03-01T00:00:00Z&to=2030-04-01T00:00:00Z";
    const mine = await api(`/api/tasks/calendar?${range}`, { token: ws.user.token });
    expect(mine.status).toBe(200);
    expect(mine.body.truncated).toBe(false);
    expect(mine.body.items.map((i: any) => [i.kind, i.subject])).toEqual([["meeting", "Demo"], ["task", "In range"]]);
    expect(mine.body.items[1]).toMatchObject({ at: "2030-03-05T10:00:00.000Z", target: { type: "account", name: "Calendar Co" } });
    const team = await api(`/api/tasks/calendar?scope=team&${range}`, { token: ws.viewer.token });
    expect(team.body.items.map((i: any) => i.subject)).toEqual(["Demo", "In range", "Admin's meeting"]);

    // Dragging a meeting to another day is a PATCH of happenedAt; it then shows on that day.
    const demo = mine.body.items[0];
    expect((await api(`/api/activities/${demo.id}`, { method: "PATCH", token: ws.user.token, body: { happenedAt: "2030-03-10T15:00:00.000Z" } })).status).toBe(200);
    expect((await api(`/api/tasks/calendar?${range}`, { token: ws.user.token })).body.items.map((i: any) => i.subject)).toEqual(["In range", "Demo"]);

    expectProblem(await api("/api/tasks/calendar?from=2030-03-01T00:00:00Z&to=2030-06-01T00:00:00Z", { token: ws.user.token }), 400, ["to"]);
    expectProblem(await api("/api/tasks/calendar?from=2030-03-02T00:00:00Z&to=2030-03-01T00:00:00Z", { token: ws.user.token }), 400, ["to"]);
    expectProblem(await api("/api/tasks/calendar?to=2030-03-01T00:00:00Z", { token: ws.user.token }), 400, ["from"]);
    // Without `to`: one week from `from`.
    expect((await api("/api/tasks/calendar?from=2030-03-04T00:00:00Z", { token: ws.user.token })).body.items.map((i: any) => i.subject)).toEqual(["In range", "Demo"]);
    expect((await api("/api/tasks/calendar?from=2030-03-11T00:00:00Z", { token: ws.user.token })).body.items).toEqual([]);
  });

  it("answers 400 naming the parameter for a bad group, scope, edge or cursor", async () => {
    const ws = await createWorkspace();
    expectProblem(await api("/api/tasks?group=soon", { token: ws.user.token }), 400, ["group"]);
    expectProblem(await api("/api/tasks/summary?scope=everyone", { token: ws.user.token }), 400, ["scope"]);
    expectProblem(await api("/api/tasks/summary?todayStart=yesterday", { token: ws.user.token }), 400, ["todayStart"]);
    expectProblem(await api(`/api/tasks/summary?${q({ todayStart: "2030-01-02T00:00:00Z", tomorrowStart: "2030-01-01T00:00:00Z" })}`, { token: ws.user.token }), 400, ["tomorrowStart"]);
    expectProblem(await api("/api/tasks?group=today&cursor=nope", { token: ws.user.token }), 400, ["cursor"]);
  });
});
