import { env } from "cloudflare:workers";
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { emailOutbox } from "../../db/schema";
import worker from "../../worker/index";
import { notify } from "../../worker/services/notifications/notify";
import { expectProblem } from "../helpers/records";
import { api, createWorkspace, testDb, unique, type TestUser, type TestWorkspace } from "../helpers/worker";

let ws: TestWorkspace;
let other: TestWorkspace;
beforeAll(async () => {
  [ws, other] = await Promise.all([createWorkspace(), createWorkspace()]);
});

const db = () => testDb().http;
const ping = (who: TestUser, workspaceId: string, kind: "assignment" | "mention" | "system", title: string) =>
  notify(db(), { workspaceId, userIds: [who.id], kind, title, link: "/tasks", dedupeKey: unique("k") });
const mailTo = (who: TestUser) => db().select().from(emailOutbox).where(eq(emailOutbox.to, who.email));
async function cron(expr: string) {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: expr }), env, ctx);
  await waitOnExecutionContext(ctx);
}

describe("GET /api/notifications, POST /api/notifications/read", () => {
  it("lists the caller's own notifications newest first, pages them, counts and marks unread ones", async () => {
    const me = ws.viewer;
    for (const t of ["first", "second", "third"]) await ping(me, ws.id, "system", `${t} ${unique()}`);
    await ping(other.viewer, other.id, "system", "not yours");

    const page1 = await api("/api/notifications?limit=2", { token: me.token });
    expect(page1.status).toBe(200);
    expect(page1.body.unreadCount).toBe(3);
    expect(page1.body.data.map((n: any) => n.title.split(" ")[0])).toEqual(["third", "second"]);
    expect(page1.body.data[0]).toMatchObject({ kind: "system", link: "/tasks", readAt: null, actor: null });
    const page2 = await api(`/api/notifications?limit=2&cursor=${page1.body.nextCursor}`, { token: me.token });
    expect(page2.body.data.map((n: any) => n.title.split(" ")[0])).toEqual(["first"]);
    expect(page2.body.nextCursor).toBeNull();

    // Someone else's id is ignored, never an error or a leak.
    const foreign = (await api("/api/notifications", { token: other.viewer.token })).body.data[0].id;
    const one = await api("/api/notifications/read", { method: "POST", token: me.token, body: { ids: [page1.body.data[0].id, foreign] } });
    expect(one.body).toEqual({ updated: 1, unreadCount: 2 });
    expect((await api("/api/notifications?unread=true", { token: me.token })).body.data).toHaveLength(2);
    expect((await api("/api/notifications", { token: other.viewer.token })).body.unreadCount).toBe(1);

    const all = await api("/api/notifications/read", { method: "POST", token: me.token, body: { all: true } });
    expect(all.body).toEqual({ updated: 2, unreadCount: 0 });
    expectProblem(await api("/api/notifications/read", { method: "POST", token: me.token, body: { ids: ["nope"] } }), 422, ["ids.0"]);
    expectProblem(await api("/api/notifications?cursor=garbage", { token: me.token }), 400, ["cursor"]);
  });
});

describe("preferences and e-mail", () => {
  it("defaults to in-app; a kind turned off is not delivered", async () => {
    const me = ws.user;
    const got = await api("/api/notifications/preferences", { token: me.token });
    expect(got.body.preferences).toMatchObject({ assignment: "in_app", mention: "in_app", system: "in_app" });
    const put = await api("/api/notifications/preferences", { method: "PUT", token: me.token, body: { preferences: { system: "off" } } });
    expect(put.body.preferences).toMatchObject({ system: "off", assignment: "in_app" });
    expectProblem(await api("/api/notifications/preferences", { method: "PUT", token: me.token, body: { preferences: { system: "pigeon" } } }), 422, ["preferences.system"]);
    expect(await ping(me, ws.id, "system", "muted")).toEqual([]);
    expect(await ping(me, ws.id, "assignment", "heard")).toHaveLength(1);
  });

  it("e-mails a kind set to email at once (once), and collects digest kinds into one daily e-mail", async () => {
    const me = ws.admin;
    await api("/api/notifications/preferences", { method: "PUT", token: me.token, body: { preferences: { assignment: "email", mention: "digest" } } });
    const now = unique("now");
    await ping(me, ws.id, "assignment", `Assigned ${now}`);
    await ping(me, ws.id, "mention", `Mentioned A ${now}`);
    await ping(me, ws.id, "mention", `Mentioned B ${now}`);

    await cron("* * * * *");
    await cron("* * * * *");
    const immediate = (await mailTo(me)).filter((m) => m.subject.includes(now));
    expect(immediate.map((m) => m.subject)).toEqual([`Assigned ${now}`]);
    expect(immediate[0]!.text).toContain("/tasks");

    await cron("0 7 * * *");
    await cron("0 7 * * *");
    const digests = (await mailTo(me)).filter((m) => m.subject.startsWith("Your ") && m.text.includes(now));
    expect(digests).toHaveLength(1);
    expect(digests[0]!.subject).toMatch(/digest: 2 notifications$/);
    expect(digests[0]!.text).toContain(`Mentioned A ${now}`);
    expect(digests[0]!.text).toContain(`Mentioned B ${now}`);
    expect(digests[0]!.text).not.toContain(`Assigned ${now}`);
  });
});
