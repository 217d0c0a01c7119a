import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { notifications, users } from "../../db/schema";
import { createAccount, createContact, createOpportunity, expectProblem } from "../helpers/records";
import { api, createWorkspace, testDb, unique, type TestWorkspace } from "../helpers/worker";

let ws: TestWorkspace;
let other: TestWorkspace;
const mention = (u: { id: string }, name: string) => `@[${name}](user:${u.id})`;
const inbox = (userId: string) => testDb().http.select().from(notifications).where(and(eq(notifications.userId, userId), eq(notifications.kind, "mention")));

beforeAll(async () => {
  [ws, other] = await Promise.all([createWorkspace(), createWorkspace()]);
});

describe("comments on records", () => {
  it("posts, threads one level, lists oldest first, and mentions notify the mentioned user with a link to the comment", async () => {
    const contact = await createContact(ws.user);
    const top = await api(`/api/contacts/${contact.id}/comments`, { method: "POST", token: ws.user.token, body: { body: `**Heads up** ${mention(ws.admin, "Admin")}, see this` } });
    expect(top.status, JSON.stringify(top.body)).toBe(201);
    expect(top.body).toMatchObject({ parentId: null, author: { id: ws.user.id }, mentions: [{ id: ws.admin.id }], editedAt: null });

    const reply = await api(`/api/contacts/${contact.id}/comments`, { method: "POST", token: ws.admin.token, body: { body: "On it", parentId: top.body.id } });
    expect(reply.status).toBe(201);
    // A reply to a reply joins the same thread (one level).
    const reply2 = await api(`/api/contacts/${contact.id}/comments`, { method: "POST", token: ws.user.token, body: { body: "Thanks", parentId: reply.body.id } });
    expect(reply2.body.parentId).toBe(top.body.id);

    const list = await api(`/api/contacts/${contact.id}/comments`, { token: ws.viewer.token });
    expect(list.status).toBe(200);
    expect(list.body.data).toHaveLength(1);
    expect(list.body.data[0].replies.map((r: { body: string }) => r.body)).toEqual(["On it", "Thanks"]);

    const n = await inbox(ws.admin.id);
    const mine = n.filter((x) => x.link?.includes(top.body.id));
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ entityType: "contact", entityId: contact.id, link: `/contacts/${contact.id}#comment-${top.body.id}`, actorId: ws.user.id });
    expect(mine[0]!.body).toContain("@Admin");
    // Comments are not timeline items of their own.
    const tl = await api(`/api/contacts/${contact.id}/timeline`, { token: ws.user.token });
    expect(tl.body.data.filter((i: { type: string }) => i.type === "comment")).toHaveLength(0);
  });

  it("refuses a mention of someone without access (another workspace, deactivated) and saves nothing", async () => {
    const account = await createAccount(ws.user);
    const foreign = await api(`/api/accounts/${account.id}/comments`, { method: "POST", token: ws.user.token, body: { body: `ping ${mention(other.admin, "Stranger")}` } });
    expectProblem(foreign, 422, ["body"]);
    expect(foreign.body.detail).toContain("@Stranger cannot see this record");

    const [gone] = await testDb().http.insert(users).values({ workspaceId: ws.id, email: `${unique("gone")}@example.test`, name: "Gone Person", active: false }).returning();
    const inactive = await api(`/api/accounts/${account.id}/comments`, { method: "POST", token: ws.user.token, body: { body: `ping ${mention(gone!, "Gone Person")}` } });
    expectProblem(inactive, 422, ["body"]);
    const list = await api(`/api/accounts/${account.id}/comments`, { token: ws.user.token });
    expect(list.body.data).toHaveLength(0);
    expect(await inbox(other.admin.id)).toHaveLength(0);
  });

  it("edits are the author's and marked edited; a new mention notifies once; delete by author or ADMIN only", async () => {
    const deal = await createOpportunity(ws.user);
    const c = await api(`/api/opportunities/${deal.id}/comments`, { method: "POST", token: ws.user.token, body: { body: "first" } });
    const byOther = await api(`/api/opportunities/${deal.id}/comments/${c.body.id}`, { method: "PATCH", token: ws.admin.token, body: { body: "hijack" } });
    expectProblem(byOther, 403);
    const edited = await api(`/api/opportunities/${deal.id}/comments/${c.body.id}`, { method: "PATCH", token: ws.user.token, body: { body: `first, cc ${mention(ws.viewer, "Viewer")}` } });
    expect(edited.status).toBe(200);
    expect(edited.body.editedAt).toEqual(expect.any(String));
    await api(`/api/opportunities/${deal.id}/comments/${c.body.id}`, { method: "PATCH", token: ws.user.token, body: { body: `first, cc ${mention(ws.viewer, "Viewer")}!` } });
    expect((await inbox(ws.viewer.id)).filter((n) => n.link?.endsWith(c.body.id))).toHaveLength(1);

    // A VIEWER cannot delete; another USER cannot delete someone else's; an ADMIN can (with the replies).
    const reply = await api(`/api/opportunities/${deal.id}/comments`, { method: "POST", token: ws.admin.token, body: { body: "reply", parentId: c.body.id } });
    expectProblem(await api(`/api/opportunities/${deal.id}/comments/${c.body.id}`, { method: "DELETE", token: ws.viewer.token }), 403);
    const del = await api(`/api/opportunities/${deal.id}/comments/${c.body.id}`, { method: "DELETE", token: ws.admin.token });
    expect(del.body).toMatchObject({ id: c.body.id, deleted: 2 });
    expect((await api(`/api/opportunities/${deal.id}/comments`, { token: ws.user.token })).body.data).toHaveLength(0);
    expectProblem(await api(`/api/opportunities/${deal.id}/comments/${reply.body.id}`, { method: "DELETE", token: ws.admin.token }), 404);
    // A comment is reached only through its record: another workspace's record id answers 404.
    expectProblem(await api(`/api/opportunities/${deal.id}/comments`, { token: other.admin.token }), 404);
  });
});

describe("comments on timeline items", () => {
  it("a comment on an activity is counted on the timeline item, links to its record, and lists under the item", async () => {
    const contact = await createContact(ws.user);
    const note = await api("/api/activities", { method: "POST", token: ws.user.token, body: { type: "note", body: "Met at the fair", contactId: contact.id } });
    const c = await api(`/api/activities/${note.body.id}/comments`, { method: "POST", token: ws.admin.token, body: { body: `Nice ${mention(ws.user, "User")}` } });
    expect(c.status, JSON.stringify(c.body)).toBe(201);
    expect(c.body.parentId).toBe(note.body.id);
    await api(`/api/activities/${note.body.id}/comments`, { method: "POST", token: ws.user.token, body: { body: "thx", parentId: c.body.id } });
    const list = await api(`/api/activities/${note.body.id}/comments`, { token: ws.viewer.token });
    expect(list.body.data).toHaveLength(1);
    expect(list.body.data[0].replies).toHaveLength(1);
    const tl = await api(`/api/contacts/${contact.id}/timeline`, { token: ws.user.token });
    expect(tl.body.data.find((i: { id: string }) => i.id === note.body.id).commentCount).toBe(2);
    const [n] = (await inbox(ws.user.id)).filter((x) => x.link?.includes(c.body.id));
    expect(n!.link).toBe(`/contacts/${contact.id}#comment-${c.body.id}`);
    // Contact comments stay separate from the item's.
    expect((await api(`/api/contacts/${contact.id}/comments`, { token: ws.user.token })).body.data).toHaveLength(0);
  });
});
