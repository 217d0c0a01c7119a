import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { accounts, activities, auditLog, contacts, leads, opportunities, users, webhookDeliveries, webhookEndpoints } from "../../db/schema";
import { createAccount, createLead, createOpportunity, expectProblem } from "../helpers/records";
import { api, createWorkspace, testDb, unique, type TestWorkspace } from "../helpers/worker";

let ws: TestWorkspace;
let other: TestWorkspace;
beforeAll(async () => {
  [ws, other] = await Promise.all([createWorkspace(), createWorkspace()]);
});

const convert = (leadId: string, body: unknown, token = ws.user.token) => api(`/api/leads/${leadId}/convert`, { method: "POST", token, body });

/** Everything a conversion could have written for this lead, read straight from the database. */
async function footprint(lead: { id: string; email: string | null }, names: { account?: string; opportunity?: string }) {
  const db = testDb().http;
  const [acc, con, opp, act, audit, [row]] = await Promise.all([
    names.account ? db.select().from(accounts).where(and(eq(accounts.workspaceId, ws.id), eq(accounts.name, names.account))) : Promise.resolve([]),
    lead.email ? db.select().from(contacts).where(and(eq(contacts.workspaceId, ws.id), eq(contacts.email, lead.email))) : Promise.resolve([]),
    names.opportunity ? db.select().from(opportunities).where(and(eq(opportunities.workspaceId, ws.id), eq(opportunities.name, names.opportunity))) : Promise.resolve([]),
    db.select().from(activities).where(eq(activities.leadId, lead.id)),
    db.select().from(auditLog).where(and(eq(auditLog.entityId, lead.id), eq(auditLog.action, "convert"))),
    db.select().from(leads).where(eq(leads.id, lead.id)),
  ]);
  return { accounts: acc, contacts: con, opportunities: opp, leadActivities: act, convertAudits: audit, lead: row! };
}

describe("POST /api/leads/{id}/convert — happy path", () => {
  it("creates account, contact, opportunity and follow-up task in one go and marks the lead converted", async () => {
    const lead = await createLead(ws.user, { firstName: "Ada", lastName: "Lovelace", phone: "+44 20 7946 0000", title: "CTO", company: "Analytical Engines", source: "webinar", ownerId: ws.admin.id });
    // A deal already in the first stage: the new one must land below it.
    const existing = await createOpportunity(ws.user);
    const accountName = unique("Analytical Engines Ltd");
    const oppName = unique("Engines pilot");
    const started = Date.now();
    const res = await convert(lead.id, { account: { name: accountName, domain: "engines.example", industry: "Computing" }, opportunity: { name: oppName, amount: 12_500_00, currency: "gbp", closeDate: "2027-03-31" } });
    const finished = Date.now();
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const { account, contact, opportunity, task } = res.body;

    expect(account).toMatchObject({ name: accountName, domain: "engines.example", industry: "Computing", ownerId: ws.admin.id });
    expect(contact).toMatchObject({ firstName: "Ada", lastName: "Lovelace", name: "Ada Lovelace", email: lead.email, phone: "+44 20 7946 0000", title: "CTO", accountId: account.id, ownerId: ws.admin.id });
    expect(opportunity).toMatchObject({
      name: oppName,
      amount: 12_500_00,
      currency: "GBP",
      closeDate: "2027-03-31",
      accountId: account.id,
      primaryContactId: contact.id,
      ownerId: ws.admin.id, // the lead's owner, not the caller
      stageId: ws.stages.find((s) => s.kind === "open")!.id,
      source: "webinar",
      closedAt: null,
      version: 1,
    });
    expect(opportunity.stageId).toBe(existing.stageId);
    expect(opportunity.position).toBeGreaterThan(existing.position);

    expect(task).toMatchObject({ type: "task", subject: "Follow up with Ada Lovelace", ownerId: ws.admin.id, actorId: ws.user.id, opportunityId: opportunity.id, accountId: account.id, contactId: contact.id, completedAt: null });
    const due = Date.parse(task.dueAt);
    expect(due).toBeGreaterThanOrEqual(started + 3 * 86_400_000 - 1000);
    expect(due).toBeLessThanOrEqual(finished + 3 * 86_400_000 + 1000);

    expect(res.body.lead).toMatchObject({ id: lead.id, status: "converted", convertedAccountId: account.id, convertedContactId: contact.id, convertedOpportunityId: opportunity.id });
    expect(res.body.lead.convertedAt).toEqual(expect.any(String));

    // The deal's detail page shows the contact (opportunity_contacts) and the follow-up as its next task.
    const detail = await api(`/api/opportunities/${opportunity.id}`, { token: ws.viewer.token });
    expect(detail.status).toBe(200);
    expect(detail.body.related.account).toMatchObject({ id: account.id, name: accountName });
    expect(detail.body.related.contacts).toEqual([expect.objectContaining({ id: contact.id, isPrimary: true })]);
    expect(detail.body.related.nextTask).toMatchObject({ id: task.id, subject: "Follow up with Ada Lovelace" });

    // The lead detail links to what it became.
    const leadDetail = await api(`/api/leads/${lead.id}`, { token: ws.viewer.token });
    expect(leadDetail.body.related.converted).toEqual({ account: { id: account.id, name: accountName }, contact: { id: contact.id, name: "Ada Lovelace" }, opportunity: { id: opportunity.id, name: oppName } });
  });

  it("writes a lead_converted activity seen on the lead, account, contact and opportunity timelines, plus a convert audit entry", async () => {
    const lead = await createLead(ws.user, { company: unique("Co") });
    const res = await convert(lead.id, { account: {}, opportunity: { name: unique("Deal") } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const { account, contact, opportunity, task } = res.body;
    const ids = { leadId: lead.id, accountId: account.id, accountCreated: true, contactId: contact.id, opportunityId: opportunity.id, taskId: task.id };
    for (const path of [`leads/${lead.id}`, `accounts/${account.id}`, `contacts/${contact.id}`, `opportunities/${opportunity.id}`]) {
      const tl = await api(`/api/${path}/timeline`, { token: ws.viewer.token });
      expect(tl.status).toBe(200);
      const item = tl.body.data.find((a: any) => a.type === "lead_converted");
      expect(item, path).toBeDefined();
      expect(item).toMatchObject({ properties: ids, actor: { id: ws.user.id }, leadId: lead.id, opportunityId: opportunity.id });
    }
    const [audit] = await testDb().http.select().from(auditLog).where(and(eq(auditLog.entityId, lead.id), eq(auditLog.action, "convert")));
    expect(audit).toMatchObject({ actorId: ws.user.id, entityType: "lead", workspaceId: ws.id });
    expect(audit!.changes).toMatchObject({ status: { from: "new", to: "converted" }, convertedOpportunityId: { from: null, to: opportunity.id } });
    // Each new record has its own create entry too.
    const creates = await testDb().http.select({ type: auditLog.entityType }).from(auditLog).where(and(eq(auditLog.action, "create"), sql`${auditLog.entityId} in (${account.id}::uuid, ${contact.id}::uuid, ${opportunity.id}::uuid, ${task.id}::uuid)`));
    expect(creates.map((c) => c.type).sort()).toEqual(["account", "activity", "contact", "opportunity"]);
  });

  it("names the account after the lead's company when no name is given, and owns everything by the caller when the lead has no owner", async () => {
    const company = unique("Initech");
    const lead = await createLead(ws.user, { company, ownerId: null });
    const res = await convert(lead.id, { account: {}, opportunity: { name: unique("Deal") } }, ws.admin.token);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.account).toMatchObject({ name: company, ownerId: ws.admin.id });
    expect(res.body.opportunity.ownerId).toBe(ws.admin.id);
    expect(res.body.task.ownerId).toBe(ws.admin.id);
  });

  it("links an existing account instead of creating one", async () => {
    const acc = await createAccount(ws.admin, { name: unique("Existing") });
    const lead = await createLead(ws.user);
    const before = await testDb().http.select({ n: sql<number>`count(*)::int` }).from(accounts).where(eq(accounts.workspaceId, ws.id));
    const res = await convert(lead.id, { account: { id: acc.id }, opportunity: { name: unique("Deal") } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.account).toMatchObject({ id: acc.id, name: acc.name });
    expect(res.body.contact.accountId).toBe(acc.id);
    expect(res.body.opportunity.accountId).toBe(acc.id);
    const after = await testDb().http.select({ n: sql<number>`count(*)::int` }).from(accounts).where(eq(accounts.workspaceId, ws.id));
    expect(after[0]!.n).toBe(before[0]!.n);
    const accountDetail = await api(`/api/accounts/${acc.id}`, { token: ws.viewer.token });
    expect(accountDetail.body.related.contacts.map((c: any) => c.id)).toContain(res.body.contact.id);
    expect(accountDetail.body.related.openOpportunities.map((o: any) => o.id)).toContain(res.body.opportunity.id);
  });

  it("lets the caller override the contact, the stage, the owner and the task", async () => {
    const lead = await createLead(ws.user, { firstName: "Old", lastName: "Name", title: "VP Sales", ownerId: ws.user.id });
    const stage = ws.stages[2]!;
    const res = await convert(lead.id, {
      account: { name: unique("Acme") },
      contact: { name: "Grace Brewster Hopper", email: "GRACE@Navy.example", mobilePhone: "+1 555 0100" },
      opportunity: { name: unique("Deal"), stageId: stage.id, ownerId: ws.admin.id, probability: 55 },
      task: { subject: "Send the proposal", dueInDays: 10 },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.contact).toMatchObject({ firstName: "Grace Brewster", lastName: "Hopper", email: "grace@navy.example", mobilePhone: "+1 555 0100", title: "VP Sales" });
    expect(res.body.opportunity).toMatchObject({ stageId: stage.id, ownerId: ws.admin.id, probability: 55 });
    expect(res.body.task).toMatchObject({ subject: "Send the proposal", ownerId: ws.admin.id });
    const days = (Date.parse(res.body.task.dueAt) - Date.parse(res.body.task.createdAt)) / 86_400_000;
    expect(days).toBeCloseTo(10, 1);
  });

  it("gives a deactivated lead owner's deal to the person converting", async () => {
    const gone = await testDb()
      .http.insert(users)
      .values({ workspaceId: ws.id, email: `${unique("gone")}@example.test`, name: "Gone", role: "USER", active: false })
      .returning();
    const lead = await createLead(ws.user);
    await testDb().http.update(leads).set({ ownerId: gone[0]!.id }).where(eq(leads.id, lead.id));
    const res = await convert(lead.id, { account: { name: unique("Acme") }, opportunity: { name: unique("Deal") } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.opportunity.ownerId).toBe(ws.user.id);
  });

  it("creates a contact from a lead that has only an e-mail", async () => {
    const email = `${unique("only")}@example.test`;
    const lead = await api("/api/leads", { method: "POST", token: ws.user.token, body: { email } });
    expect(lead.status).toBe(201);
    const res = await convert(lead.body.id, { account: { name: unique("Acme") }, opportunity: { name: unique("Deal") } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.contact).toMatchObject({ email, firstName: null, lastName: null });
    expect(res.body.task.subject).toBe(`Follow up with ${email}`);
  });
});

describe("POST /api/leads/{id}/convert — errors", () => {
  it("answers 409 for a lead that is already converted, and creates nothing more", async () => {
    const lead = await createLead(ws.user);
    const oppName = unique("Deal");
    expect((await convert(lead.id, { account: { name: unique("Acme") }, opportunity: { name: oppName } })).status).toBe(201);
    const again = await convert(lead.id, { account: { name: unique("Acme") }, opportunity: { name: oppName } });
    expectProblem(again, 409);
    expect(again.body.current).toMatchObject({ id: lead.id, status: "converted" });
    const fp = await footprint(lead, { opportunity: oppName });
    expect(fp.opportunities).toHaveLength(1);
    expect(fp.convertAudits).toHaveLength(1);
  });

  it("converts a lead exactly once when two requests race", async () => {
    const lead = await createLead(ws.user);
    const oppName = unique("Race");
    const accountName = unique("Race Inc");
    const body = { account: { name: accountName }, opportunity: { name: oppName } };
    const results = await Promise.all([convert(lead.id, body), convert(lead.id, body, ws.admin.token)]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    const fp = await footprint(lead, { account: accountName, opportunity: oppName });
    expect(fp.accounts).toHaveLength(1);
    expect(fp.contacts).toHaveLength(1);
    expect(fp.opportunities).toHaveLength(1);
    expect(fp.leadActivities.filter((a) => a.type === "lead_converted")).toHaveLength(1);
  });

  it("answers 404 for a missing lead, another workspace's lead and a deleted lead", async () => {
    const foreign = await createLead(other.user);
    const deleted = await createLead(ws.user);
    expect((await api(`/api/leads/${deleted.id}`, { method: "DELETE", token: ws.admin.token })).status).toBe(200);
    const body = { account: { name: unique("Acme") }, opportunity: { name: unique("Deal") } };
    expectProblem(await convert(crypto.randomUUID(), body), 404);
    expectProblem(await convert("not-a-uuid", body), 404);
    expectProblem(await convert(foreign.id, body), 404);
    expectProblem(await convert(deleted.id, body), 404);
    const [row] = await testDb().http.select().from(leads).where(eq(leads.id, foreign.id));
    expect(row!.status).toBe("new");
  });

  it("refuses viewers (403) and anonymous callers (401)", async () => {
    const lead = await createLead(ws.user);
    const body = { account: { name: unique("Acme") }, opportunity: { name: unique("Deal") } };
    expectProblem(await convert(lead.id, body, ws.viewer.token), 403);
    expectProblem(await api(`/api/leads/${lead.id}/convert`, { method: "POST", body }), 401);
    expect((await footprint(lead, {})).lead.status).toBe("new");
  });

  it("422 naming the field for bad input", async () => {
    const lead = await createLead(ws.user);
    expectProblem(await convert(lead.id, { account: { name: "A" } }), 422, ["opportunity"]);
    expectProblem(await convert(lead.id, { account: { name: "A" }, opportunity: { name: "D", amount: 10.5 } }), 422, ["opportunity.amount"]);
    expectProblem(await convert(lead.id, { account: { name: "A" }, opportunity: { name: "D", currency: "dollars" } }), 422, ["opportunity.currency"]);
    expectProblem(await convert(lead.id, { account: { name: "A" }, opportunity: { name: "" } }), 422, ["opportunity.name"]);
    expectProblem(await convert(lead.id, { account: { name: "A" }, contact: { email: "not-an-email" }, opportunity: { name: "D" } }), 422, ["contact.email"]);
    expectProblem(await convert(lead.id, { account: { name: "A" }, opportunity: { name: "D" }, task: { dueInDays: 1.5 } }), 422, ["task.dueInDays"]);
    expectProblem(await convert(lead.id, { account: { name: "A" }, opportunity: { name: "D" }, surprise: true }), 422);
    expectProblem(await convert(lead.id, { account: { id: crypto.randomUUID(), name: "Both" }, opportunity: { name: "D" } }), 422, ["account.name"]);
    expectProblem(await convert(lead.id, { account: { name: "A", contactId: crypto.randomUUID() }, opportunity: { name: "D" } }), 422);
    expect((await footprint(lead, {})).lead.status).toBe("new");
  });

  it("422 on account.name when neither a name nor the lead's company is there", async () => {
    const lead = await createLead(ws.user, { company: null });
    expectProblem(await convert(lead.id, { account: {}, opportunity: { name: unique("Deal") } }), 422, ["account.name"]);
  });

  it("refuses another workspace's account, stage or user, writing nothing", async () => {
    const lead = await createLead(ws.user);
    const foreignAccount = await createAccount(other.user);
    const accountName = unique("Never");
    const oppName = unique("Never");
    const res = await convert(lead.id, {
      account: { id: foreignAccount.id },
      opportunity: { name: oppName, stageId: other.stages[0]!.id, ownerId: other.user.id },
    });
    expectProblem(res, 422, ["account.id", "opportunity.stageId", "opportunity.ownerId"]);
    const res2 = await convert(lead.id, { account: { name: accountName }, opportunity: { name: oppName, stageId: other.stages[0]!.id } });
    expectProblem(res2, 422, ["opportunity.stageId"]);
    const fp = await footprint(lead, { account: accountName, opportunity: oppName });
    expect(fp.accounts).toHaveLength(0);
    expect(fp.contacts).toHaveLength(0);
    expect(fp.opportunities).toHaveLength(0);
    expect(fp.lead.status).toBe("new");
  });

  it("rolls everything back when a step fails after the account was inserted", async () => {
    // The contact insert hits the unique (workspace, external_id) index: the account row is already in the
    // transaction at that point, and must not survive.
    const externalId = unique("crm-ext");
    await api("/api/contacts", { method: "POST", token: ws.user.token, body: { name: "Taken", externalId } });
    const lead = await createLead(ws.user);
    const before = (await footprint(lead, {})).lead;
    const accountName = unique("Rollback Inc");
    const oppName = unique("Rollback deal");
    const res = await convert(lead.id, { account: { name: accountName }, contact: { externalId }, opportunity: { name: oppName } });
    expectProblem(res, 409);
    const fp = await footprint(lead, { account: accountName, opportunity: oppName });
    expect(fp.accounts).toHaveLength(0);
    expect(fp.contacts).toHaveLength(0);
    expect(fp.opportunities).toHaveLength(0);
    expect(fp.leadActivities).toHaveLength(0);
    expect(fp.convertAudits).toHaveLength(0);
    const tasks = await testDb().http.select().from(activities).where(and(eq(activities.workspaceId, ws.id), eq(activities.subject, `Follow up with ${lead.name}`)));
    expect(tasks).toHaveLength(0);
    expect(fp.lead).toEqual(before);
    // And the lead still converts once the conflict is gone.
    const ok = await convert(lead.id, { account: { name: accountName }, opportunity: { name: oppName } });
    expect(ok.status).toBe(201);
  });
});

describe("POST /api/leads/{id}/convert — domain events", () => {
  it("raises lead.converted (and the new records' created events) for webhooks, only when the conversion commits", async () => {
    const own = await createWorkspace();
    const [ep] = await testDb()
      .http.insert(webhookEndpoints)
      .values({ workspaceId: own.id, url: "https://hooks.invalid/crm", events: ["lead.converted", "opportunity.created", "account.created"], secret: "whsec_test" })
      .returning();
    const lead = await createLead(own.user, { company: unique("Evented") });
    const res = await convert(lead.id, { account: {}, opportunity: { name: unique("Evented deal") } }, own.user.token);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    // A second attempt fails (409) and must raise nothing.
    expect((await convert(lead.id, { account: {}, opportunity: { name: "again" } }, own.user.token)).status).toBe(409);

    // Fan-out runs after the response (waitUntil): wait for its rows.
    const rows = await vi.waitFor(async () => {
      const r = await testDb().http.select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, ep!.id));
      expect(r.map((d) => d.eventType).sort()).toEqual(["account.created", "lead.converted", "opportunity.created"]);
      return r;
    }, { timeout: 10_000, interval: 100 });
    const converted = rows.find((d) => d.eventType === "lead.converted")!.payload as any;
    expect(converted.data).toMatchObject({
      lead: { id: lead.id, status: "converted" },
      account: { id: res.body.account.id },
      contact: { id: res.body.contact.id },
      opportunity: { id: res.body.opportunity.id },
      task: { id: res.body.task.id },
    });
  });
});
