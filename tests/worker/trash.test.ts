import { env } from "cloudflare:workers";
import { eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { accounts, activities, attachments, contacts, leads, opportunities, opportunityContacts } from "../../db/schema";
import { attachmentStore } from "../../worker/storage/attachments";
import { createAccount, createContact, createLead, createOpportunity, expectProblem } from "../helpers/records";
import { api, createWorkspace, testDb } from "../helpers/worker";

const day = 86_400_000;

describe("Trash: Recently deleted", () => {
  it("lists deleted records newest first with who deleted them and the days left; ADMIN restores", async () => {
    const ws = await createWorkspace();
    const a = await createAccount(ws.user, { name: "Initech" });
    const b = await createAccount(ws.user, { name: "Umbrella" });
    await createAccount(ws.user, { name: "Still here" });
    expect((await api(`/api/accounts/${a.id}`, { method: "DELETE", token: ws.admin.token })).status).toBe(200);
    expect((await api(`/api/accounts/${b.id}`, { method: "DELETE", token: ws.admin.token })).status).toBe(200);
    // Deleted 12 days ago: 18 days left.
    await testDb().http.update(accounts).set({ deletedAt: new Date(Date.now() - 12 * day - 60_000) }).where(eq(accounts.id, a.id));

    const res = await api("/api/trash/accounts", { token: ws.viewer.token });
    expect(res.status).toBe(200);
    expect(res.body.retentionDays).toBe(30);
    expect(res.body.data.map((r: any) => r.name)).toEqual(["Umbrella", "Initech"]);
    expect(res.body.data[0]).toMatchObject({ id: b.id, deletedBy: { id: ws.admin.id }, daysLeft: 29 });
    expect(res.body.data[1]).toMatchObject({ id: a.id, daysLeft: 17 });
    expect(Date.parse(res.body.data[1].purgeAt) - Date.parse(res.body.data[1].deletedAt)).toBe(30 * day);

    // Keyset: one per page.
    const p1 = await api("/api/trash/accounts?limit=1", { token: ws.user.token });
    const p2 = await api(`/api/trash/accounts?limit=1&cursor=${p1.body.nextCursor}`, { token: ws.user.token });
    expect([p1.body.data[0].id, p2.body.data[0].id]).toEqual([b.id, a.id]);
    expect(p2.body.nextCursor).toBeNull();

    // Other workspaces see none of it; a USER cannot restore, an ADMIN can.
    const other = await createWorkspace();
    expect((await api("/api/trash/accounts", { token: other.admin.token })).body.data).toEqual([]);
    expect((await api(`/api/accounts/${a.id}/restore`, { method: "POST", token: ws.user.token })).status).toBe(403);
    expect((await api(`/api/accounts/${a.id}/restore`, { method: "POST", token: ws.admin.token })).status).toBe(200);
    expect((await api("/api/trash/accounts", { token: ws.admin.token })).body.data.map((r: any) => r.id)).toEqual([b.id]);

    for (const entity of ["contacts", "leads", "opportunities"]) expect((await api(`/api/trash/${entity}`, { token: ws.viewer.token })).status).toBe(200);
    expectProblem(await api("/api/trash/users", { token: ws.admin.token }), 400, ["entity"]);
  });

  it("the purge deletes records 30 days in the trash for good: children unlinked, own activities and files gone", async () => {
    const ws = await createWorkspace();
    const { purgeExpiredRecords } = await import("../../worker/services/trash/purge");
    const { purgeDeletedAttachments } = await import("../../worker/services/attachments/remove");
    const db = testDb();
    const account = await createAccount(ws.user, { name: "Gone Corp" });
    const contact = await createContact(ws.user, { accountId: account.id });
    const keptContact = await createContact(ws.user);
    const deal = await createOpportunity(ws.user, { accountId: account.id, primaryContactId: contact.id });
    const lead = await createLead(ws.user);
    const recent = await createAccount(ws.user, { name: "Deleted yesterday" });
    await db.http.insert(opportunityContacts).values({ opportunityId: deal.id, contactId: contact.id }).onConflictDoNothing();
    // Activities: one only about the account (goes), one about the account and the kept contact (stays, unlinked).
    const [only] = await db.http.insert(activities).values({ workspaceId: ws.id, type: "note", subject: "only", accountId: account.id }).returning();
    const [shared] = await db.http.insert(activities).values({ workspaceId: ws.id, type: "note", subject: "shared", accountId: account.id, contactId: keptContact.id }).returning();
    // A file on the account, with its object in R2.
    const key = `ws/${ws.id}/account/${account.id}/purge-test.pdf`;
    await env.ATTACHMENTS.put(key, new Uint8Array([37, 80, 68, 70]));
    await db.http.insert(attachments).values({ workspaceId: ws.id, r2Key: key, filename: "x.pdf", contentType: "application/pdf", size: 4, accountId: account.id });

    const old = new Date(Date.now() - 31 * day);
    await db.http.update(accounts).set({ deletedAt: old }).where(eq(accounts.id, account.id));
    await db.http.update(leads).set({ deletedAt: old }).where(eq(leads.id, lead.id));
    await db.http.update(contacts).set({ deletedAt: old }).where(eq(contacts.id, contact.id));
    await db.http.update(accounts).set({ deletedAt: new Date(Date.now() - day) }).where(eq(accounts.id, recent.id));

    expect(await purgeExpiredRecords({ db, workspaceId: ws.id })).toEqual({ accounts: 1, contacts: 1, leads: 1, opportunities: 0 });
    expect(await db.http.select().from(accounts).where(inArray(accounts.id, [account.id, recent.id]))).toMatchObject([{ id: recent.id }]);
    expect(await db.http.select().from(contacts).where(eq(contacts.id, contact.id))).toEqual([]);
    expect(await db.http.select().from(leads).where(eq(leads.id, lead.id))).toEqual([]);
    // The live deal keeps living, unlinked from the purged account and contact.
    const [d] = await db.http.select().from(opportunities).where(eq(opportunities.id, deal.id));
    expect(d).toMatchObject({ accountId: null, primaryContactId: null, deletedAt: null });
    expect(await db.http.select().from(opportunityContacts).where(eq(opportunityContacts.opportunityId, deal.id))).toEqual([]);
    expect(await db.http.select().from(activities).where(eq(activities.id, only!.id))).toEqual([]);
    expect(await db.http.select().from(activities).where(eq(activities.id, shared!.id))).toMatchObject([{ accountId: null, contactId: keptContact.id }]);
    // The attachment is marked deleted; the attachment cleanup removes the object and the row.
    const [file] = await db.http.select().from(attachments).where(eq(attachments.r2Key, key));
    expect(file).toMatchObject({ accountId: null, deletedAt: expect.any(Date) });
    expect(await purgeDeletedAttachments({ db, store: attachmentStore(env.ATTACHMENTS), workspaceId: ws.id })).toEqual({ purged: 1, failed: 0 });
    expect(await env.ATTACHMENTS.head(key)).toBeNull();
    expect(await db.http.select().from(attachments).where(eq(attachments.r2Key, key))).toEqual([]);

    // Nothing else is due; a second run is a no-op.
    expect(await purgeExpiredRecords({ db, workspaceId: ws.id })).toEqual({ accounts: 0, contacts: 0, leads: 0, opportunities: 0 });
    expect((await api("/api/trash/accounts", { token: ws.admin.token })).body.data.map((r: any) => r.id)).toEqual([recent.id]);
  });
});
