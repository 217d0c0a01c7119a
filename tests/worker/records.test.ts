import { and, desc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { accounts, activities, auditLog, contacts, leads, opportunities } from "../../db/schema";
import { allPages, create, createAccount, createContact, createLead, createOpportunity, expectProblem } from "../helpers/records";
import { api, createWorkspace, testDb, unique, type TestWorkspace } from "../helpers/worker";

let ws: TestWorkspace;
let other: TestWorkspace;
beforeAll(async () => {
  [ws, other] = await Promise.all([createWorkspace(), createWorkspace()]);
});

const post = (path: string, body: unknown, token = ws.user.token) => api(path, { method: "POST", token, body });
const patch = (path: string, body: unknown, token = ws.user.token) => api(path, { method: "PATCH", token, body });
const lastAudit = async (entityId: string) =>
  (await testDb().http.select().from(auditLog).where(eq(auditLog.entityId, entityId)).orderBy(desc(auditLog.at), desc(auditLog.id)).limit(1))[0]!;

// ---------------------------------------------------------------------------------------------------------------
describe("quick create with minimal fields", () => {
  it("account: a name is enough; the caller owns it and internal columns never leak", async () => {
    const res = await post("/api/accounts", { name: "  Acme Rockets  " });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: "Acme Rockets", ownerId: ws.user.id, domain: null, currency: null, employees: null, deletedAt: null, externalId: null });
    expect(res.body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(res.body.createdAt)).not.toBeNaN();
    expect(res.body).not.toHaveProperty("workspaceId");
    expect(res.body).not.toHaveProperty("search");
    const detail = await api(`/api/accounts/${res.body.id}`, { token: ws.viewer.token });
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ id: res.body.id, name: "Acme Rockets" });
    expect((await lastAudit(res.body.id)).action).toBe("create");
  });

  it("contact: only a full name, split into first and last name", async () => {
    const res = await post("/api/contacts", { name: "Ada King Lovelace" });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ firstName: "Ada King", lastName: "Lovelace", name: "Ada King Lovelace", email: null, accountId: null, ownerId: ws.user.id });
    const single = await post("/api/contacts", { name: "Cher" });
    expect(single.body).toMatchObject({ firstName: "Cher", lastName: null, name: "Cher" });
  });

  it("contact: only an e-mail (normalised to lower case)", async () => {
    const res = await post("/api/contacts", { email: " Someone@Example.TEST " });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ email: "someone@example.test", firstName: null, lastName: null });
  });

  it("lead: only a name, or only an e-mail; status starts as new", async () => {
    const byName = await post("/api/leads", { name: "Grace Hopper" });
    expect(byName.status).toBe(201);
    expect(byName.body).toMatchObject({ firstName: "Grace", lastName: "Hopper", status: "new", convertedAt: null, ownerId: ws.user.id });
    const byEmail = await post("/api/leads", { email: "grace@navy.example" });
    expect(byEmail.status).toBe(201);
    expect(byEmail.body).toMatchObject({ email: "grace@navy.example", status: "new" });
  });

  it("opportunity: a name is enough — first open stage, USD, version 1, at the bottom of the column", async () => {
    const first = await post("/api/opportunities", { name: unique("Deal") });
    const second = await post("/api/opportunities", { name: unique("Deal") });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ stageId: ws.stages[0]!.id, currency: "USD", amount: null, version: 1, closedAt: null, ownerId: ws.user.id, probability: null });
    expect(second.body.position).toBeGreaterThan(first.body.position);
  });

  it("activity: a note on an account; a task is owned by its author unless assigned", async () => {
    const acc = await createAccount(ws.user);
    const note = await post("/api/activities", { type: "note", body: "Met at the conference", accountId: acc.id });
    expect(note.status).toBe(201);
    expect(note.body).toMatchObject({ type: "note", body: "Met at the conference", actorId: ws.user.id, accountId: acc.id, ownerId: null, properties: {} });
    const task = await post("/api/activities", { type: "task", subject: "Call back", accountId: acc.id });
    expect(task.body).toMatchObject({ type: "task", ownerId: ws.user.id, completedAt: null });
  });
});

// ---------------------------------------------------------------------------------------------------------------
describe("create with every field", () => {
  it("account", async () => {
    const body = {
      name: "Globex Corporation",
      domain: "globex.example",
      website: "https://globex.example",
      industry: "Manufacturing",
      phone: "+1 555 0100",
      employees: 1200,
      annualRevenue: 50_000_000_00,
      currency: "eur",
      city: "Springfield",
      country: "US",
      description: "Hank Scorpio's company",
      ownerId: ws.admin.id,
      externalId: unique("sf"),
    };
    const res = await post("/api/accounts", body);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ ...body, currency: "EUR" });
  });

  it("contact", async () => {
    const acc = await createAccount(ws.user);
    const body = { firstName: "Hank", lastName: "Scorpio", email: "hank@globex.example", phone: "+1 555 0101", mobilePhone: "+1 555 0102", title: "CEO", accountId: acc.id, ownerId: ws.admin.id, externalId: unique("sf") };
    const res = await post("/api/contacts", body);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ ...body, name: "Hank Scorpio" });
  });

  it("lead", async () => {
    const body = { firstName: "Frank", lastName: "Grimes", email: "frank@plant.example", phone: "+1 555 0103", title: "Engineer", company: "Power Plant", status: "qualified", source: "referral", description: "Hard worker", ownerId: ws.admin.id, externalId: unique("sf") };
    const res = await post("/api/leads", body);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject(body);
  });

  it("opportunity (in a won stage, with a buying committee)", async () => {
    const acc = await createAccount(ws.user);
    const primary = await createContact(ws.user, { accountId: acc.id });
    const second = await createContact(ws.user, { accountId: acc.id });
    const won = ws.stages.find((s) => s.kind === "won")!;
    const body = {
      name: "Globex renewal",
      stageId: won.id,
      accountId: acc.id,
      primaryContactId: primary.id,
      ownerId: ws.admin.id,
      amount: 120_000_00,
      currency: "eur",
      probability: 90,
      closeDate: "2027-06-30",
      nextStep: "Sign",
      source: "inbound",
      description: "Three years",
      externalId: unique("sf"),
      contactIds: [second.id],
    };
    const res = await post("/api/opportunities", body);
    expect(res.status).toBe(201);
    const { contactIds: _, ...stored } = body;
    expect(res.body).toMatchObject({ ...stored, currency: "EUR", version: 1 });
    expect(res.body.closedAt).toEqual(expect.any(String)); // created straight into a won stage
    const detail = await api(`/api/opportunities/${res.body.id}`, { token: ws.viewer.token });
    expect(detail.body.related.contacts.map((c: any) => [c.id, c.isPrimary])).toEqual([
      [primary.id, true],
      [second.id, false],
    ]);
  });

  it("activity", async () => {
    const acc = await createAccount(ws.user);
    const con = await createContact(ws.user, { accountId: acc.id });
    const lead = await createLead(ws.user);
    const opp = await createOpportunity(ws.user, { accountId: acc.id });
    const body = {
      type: "task",
      subject: "Send contract",
      body: "With the new terms",
      properties: { priority: "high", tags: ["legal"] },
      happenedAt: "2026-01-02T03:04:05.000Z",
      dueAt: "2026-01-09T12:00:00.000Z",
      completedAt: "2026-01-08T10:00:00.000Z",
      ownerId: ws.admin.id,
      accountId: acc.id,
      contactId: con.id,
      leadId: lead.id,
      opportunityId: opp.id,
    };
    const res = await post("/api/activities", body);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ ...body, actorId: ws.user.id });
  });

  it("a second record with the same externalId is a 409, not a duplicate", async () => {
    const externalId = unique("ext");
    await createAccount(ws.user, { externalId });
    expectProblem(await post("/api/accounts", { name: "Dup", externalId }), 409);
    // Other workspaces have their own id space.
    expect((await post("/api/accounts", { name: "Dup", externalId }, other.user.token)).status).toBe(201);
  });
});

// ---------------------------------------------------------------------------------------------------------------
describe("bad input → 422 problem naming the field, nothing written", () => {
  it("rejects unknown fields on every record type", async () => {
    for (const [plural, body] of [
      ["accounts", { name: "X", colour: "red" }],
      ["contacts", { name: "X", colour: "red" }],
      ["leads", { name: "X", colour: "red" }],
      ["opportunities", { name: "X", colour: "red" }],
      ["activities", { type: "note", subject: "X", accountId: crypto.randomUUID(), colour: "red" }],
    ] as const) {
      const res = await post(`/api/${plural}`, body);
      expectProblem(res, 422);
      expect(JSON.stringify(res.body.errors), plural).toContain("colour");
    }
  });

  it("names bad e-mails, currencies, amounts, types and missing targets", async () => {
    expectProblem(await post("/api/contacts", { name: "X", email: "not-an-email" }), 422, ["email"]);
    expectProblem(await post("/api/leads", { email: "a@b" }), 422, ["email"]);
    expectProblem(await post("/api/accounts", { name: "X", currency: "EURO" }), 422, ["currency"]);
    expectProblem(await post("/api/opportunities", { name: "X", currency: "€" }), 422, ["currency"]);
    expectProblem(await post("/api/opportunities", { name: "X", amount: 100.5 }), 422, ["amount"]);
    expectProblem(await post("/api/opportunities", { name: "X", amount: -1 }), 422, ["amount"]);
    expectProblem(await post("/api/opportunities", { name: "X", amount: "100" }), 422, ["amount"]);
    expectProblem(await post("/api/opportunities", { name: "X", probability: 101 }), 422, ["probability"]);
    expectProblem(await post("/api/opportunities", { name: "X", closeDate: "31/12/2027" }), 422, ["closeDate"]);
    expectProblem(await post("/api/accounts", { name: "X", annualRevenue: 1.25 }), 422, ["annualRevenue"]);
    expectProblem(await post("/api/accounts", { name: "" }), 422, ["name"]);
    expectProblem(await post("/api/accounts", {}), 422, ["name"]);
    expectProblem(await post("/api/accounts", { name: "x".repeat(301) }), 422, ["name"]);
    expectProblem(await post("/api/contacts", { phone: "+1 555" }), 422, ["name"]);
    const noTarget = await post("/api/activities", { type: "note", subject: "Orphan" });
    expectProblem(noTarget, 422, ["opportunityId"]);
    expect(noTarget.body.errors[0].message).toMatch(/accountId, contactId, leadId or opportunityId/);
    // System activity types are written by the server only.
    expectProblem(await post("/api/activities", { type: "stage_change", subject: "Forged", accountId: crypto.randomUUID() }), 422, ["type"]);
    expectProblem(await post("/api/activities", { type: "note", accountId: crypto.randomUUID() }), 422, ["subject"]);
    expectProblem(await post("/api/activities", { type: "task", subject: "x", accountId: crypto.randomUUID(), dueAt: "tomorrow" }), 422, ["dueAt"]);
  });

  it("rejects links to records that do not exist or belong to another workspace", async () => {
    const foreignAccount = await createAccount(other.user);
    const foreignContact = await createContact(other.user);
    const name = unique("Linked");
    expectProblem(await post("/api/contacts", { name, accountId: foreignAccount.id }), 422, ["accountId"]);
    expectProblem(await post("/api/contacts", { name, ownerId: other.user.id }), 422, ["ownerId"]);
    expectProblem(
      await post("/api/opportunities", { name, stageId: other.stages[0]!.id, primaryContactId: foreignContact.id, contactIds: [foreignContact.id], accountId: crypto.randomUUID() }),
      422,
      ["stageId", "primaryContactId", "contactIds", "accountId"],
    );
    expectProblem(await post("/api/activities", { type: "note", subject: name, accountId: foreignAccount.id }), 422, ["accountId"]);
    const db = testDb().http;
    expect(await db.select().from(contacts).where(eq(contacts.firstName, name))).toHaveLength(0);
    expect(await db.select().from(opportunities).where(eq(opportunities.name, name))).toHaveLength(0);
    expect(await db.select().from(activities).where(eq(activities.subject, name))).toHaveLength(0);
  });

  it("answers 400 (not 500) to a body that is not JSON", async () => {
    const res = await api("/api/accounts", { method: "POST", token: ws.user.token, body: "{not json", headers: { "Content-Type": "application/json" } });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
  });
});

// ---------------------------------------------------------------------------------------------------------------
describe("PATCH — partial edits", () => {
  it("changes only the fields sent, bumps updatedAt and audits the field-level change", async () => {
    const acc = await createAccount(ws.user, { domain: "before.example", city: "Paris" });
    const res = await patch(`/api/accounts/${acc.id}`, { industry: "Aerospace", city: null });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: acc.name, domain: "before.example", industry: "Aerospace", city: null });
    expect(Date.parse(res.body.updatedAt)).toBeGreaterThan(Date.parse(acc.updatedAt));
    const audit = await lastAudit(acc.id);
    expect(audit).toMatchObject({ action: "update", actorId: ws.user.id, entityType: "account" });
    expect(audit.changes).toEqual({ industry: { from: null, to: "Aerospace" }, city: { from: "Paris", to: null } });
  });

  it("a PATCH that changes nothing writes nothing", async () => {
    const acc = await createAccount(ws.user, { industry: "Retail" });
    const res = await patch(`/api/accounts/${acc.id}`, { industry: "Retail" });
    expect(res.status).toBe(200);
    expect(res.body.updatedAt).toBe(acc.updatedAt);
    expect((await lastAudit(acc.id)).action).toBe("create");
  });

  it("contact: a new full name is split; the e-mail stays; removing both name and e-mail is refused", async () => {
    const con = await createContact(ws.user, { email: "keep@example.test" });
    const res = await patch(`/api/contacts/${con.id}`, { name: "Katherine Johnson" });
    expect(res.body).toMatchObject({ firstName: "Katherine", lastName: "Johnson", email: "keep@example.test" });
    expectProblem(await patch(`/api/contacts/${con.id}`, { firstName: null, lastName: null, email: null }), 422, ["name"]);
    expect((await api(`/api/contacts/${con.id}`, { token: ws.user.token })).body.email).toBe("keep@example.test");
  });

  it("lead: status moves between open statuses; converted is only reachable by converting", async () => {
    const lead = await createLead(ws.user);
    expect((await patch(`/api/leads/${lead.id}`, { status: "contacted" })).body.status).toBe("contacted");
    expectProblem(await patch(`/api/leads/${lead.id}`, { status: "converted" }), 422, ["status"]);
  });

  it("activity: completed true/false sets and clears completedAt", async () => {
    const acc = await createAccount(ws.user);
    const task = await create(ws.user, "activities", { type: "task", subject: "Ping", accountId: acc.id });
    const done = await patch(`/api/activities/${task.id}`, { completed: true });
    expect(done.body.completedAt).toEqual(expect.any(String));
    const reopened = await patch(`/api/activities/${task.id}`, { completed: false });
    expect(reopened.body.completedAt).toBeNull();
  });

  it("system activities (stage changes) cannot be edited", async () => {
    const opp = await createOpportunity(ws.user);
    await patch(`/api/opportunities/${opp.id}`, { stageId: ws.stages[1]!.id, stageChangeReason: "Qualified on call" });
    const [sc] = await testDb().http.select().from(activities).where(and(eq(activities.opportunityId, opp.id), eq(activities.type, "stage_change")));
    const res = await patch(`/api/activities/${sc!.id}`, { body: "rewritten history" });
    expectProblem(res, 409);
    const [after] = await testDb().http.select().from(activities).where(eq(activities.id, sc!.id));
    expect(after!.body).toBe("Qualified on call");
  });

  it("validates like create, and 404s for missing or foreign records", async () => {
    const acc = await createAccount(ws.user);
    expectProblem(await patch(`/api/accounts/${acc.id}`, { name: "" }), 422, ["name"]);
    expectProblem(await patch(`/api/accounts/${acc.id}`, { employees: 1.5 }), 422, ["employees"]);
    expectProblem(await patch(`/api/accounts/${acc.id}`, { id: crypto.randomUUID() }), 422);
    expectProblem(await patch(`/api/accounts/${crypto.randomUUID()}`, { industry: "x" }), 404);
    const foreign = await createAccount(other.user, { industry: "Theirs" });
    expectProblem(await patch(`/api/accounts/${foreign.id}`, { industry: "Mine now" }), 404);
    const [row] = await testDb().http.select().from(accounts).where(eq(accounts.id, foreign.id));
    expect(row!.industry).toBe("Theirs");
  });
});

// ---------------------------------------------------------------------------------------------------------------
describe("soft delete and restore", () => {
  const factories = {
    accounts: () => createAccount(ws.user),
    contacts: () => createContact(ws.user),
    leads: () => createLead(ws.user),
    opportunities: () => createOpportunity(ws.user),
    activities: async () => create(ws.user, "activities", { type: "note", subject: unique("Note"), accountId: (await createAccount(ws.user)).id }),
  };

  for (const [plural, make] of Object.entries(factories)) {
    it(`${plural}: delete (ADMIN) → gone from list and detail → restore (ADMIN only) → back`, async () => {
      const rec = await make();
      const inList = async () => (await allPages(ws.viewer, `/api/${plural}?createdFrom=${encodeURIComponent(rec.createdAt)}`, 200)).ids.includes(rec.id);
      expect(await inList()).toBe(true);

      expectProblem(await api(`/api/${plural}/${rec.id}`, { method: "DELETE", token: ws.user.token }), 403);
      const del = await api(`/api/${plural}/${rec.id}`, { method: "DELETE", token: ws.admin.token });
      expect(del.status).toBe(200);
      expect(del.body.deletedAt).toEqual(expect.any(String));
      expectProblem(await api(`/api/${plural}/${rec.id}`, { token: ws.admin.token }), 404);
      expect(await inList()).toBe(false);
      expectProblem(await patch(`/api/${plural}/${rec.id}`, {}), 404);
      expectProblem(await api(`/api/${plural}/${rec.id}`, { method: "DELETE", token: ws.admin.token }), 404);
      const trash = await allPages(ws.viewer, `/api/${plural}?deleted=true&createdFrom=${encodeURIComponent(rec.createdAt)}`, 200);
      expect(trash.ids).toContain(rec.id);

      expectProblem(await post(`/api/${plural}/${rec.id}/restore`, undefined, ws.user.token), 403);
      expectProblem(await post(`/api/${plural}/${rec.id}/restore`, undefined, other.admin.token), 404);
      const restored = await post(`/api/${plural}/${rec.id}/restore`, undefined, ws.admin.token);
      expect(restored.status).toBe(200);
      expect(restored.body.deletedAt).toBeNull();
      expect((await api(`/api/${plural}/${rec.id}`, { token: ws.viewer.token })).status).toBe(200);
      expect(await inList()).toBe(true);
      // Restoring a live record is a 404: there is nothing in the trash to restore.
      expectProblem(await post(`/api/${plural}/${rec.id}/restore`, undefined, ws.admin.token), 404);

      const actions = (await testDb().http.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.entityId, rec.id)).orderBy(auditLog.at)).map((a) => a.action);
      expect(actions).toEqual(["create", "delete", "restore"]);
    });
  }

  it("another workspace cannot delete my record", async () => {
    const acc = await createAccount(ws.user);
    expectProblem(await api(`/api/accounts/${acc.id}`, { method: "DELETE", token: other.admin.token }), 404);
    expect((await api(`/api/accounts/${acc.id}`, { token: ws.viewer.token })).status).toBe(200);
  });
});

// ---------------------------------------------------------------------------------------------------------------
describe("detail pages carry their related records", () => {
  it("account: its live contacts, its open deals only, counts and owner", async () => {
    const acc = await createAccount(ws.user, { ownerId: ws.admin.id });
    const c1 = await createContact(ws.user, { accountId: acc.id, lastName: "Alpha" });
    const c2 = await createContact(ws.user, { accountId: acc.id, lastName: "Beta" });
    const gone = await createContact(ws.user, { accountId: acc.id });
    await api(`/api/contacts/${gone.id}`, { method: "DELETE", token: ws.admin.token });
    await createContact(ws.user); // not on this account
    const open = await createOpportunity(ws.user, { accountId: acc.id, amount: 500 });
    await createOpportunity(ws.user, { accountId: acc.id, stageId: ws.stages.find((s) => s.kind === "won")!.id });
    await createOpportunity(ws.user, { accountId: acc.id, stageId: ws.stages.find((s) => s.kind === "lost")!.id });

    const res = await api(`/api/accounts/${acc.id}`, { token: ws.viewer.token });
    expect(res.status).toBe(200);
    expect(res.body.related.contacts.map((c: any) => c.id)).toEqual([c1.id, c2.id]);
    expect(res.body.related.openOpportunities.map((o: any) => o.id)).toEqual([open.id]);
    expect(res.body.related.openOpportunities[0]).toMatchObject({ amount: 500, stageName: ws.stages[0]!.name, stageKind: "open", probability: ws.stages[0]!.probability });
    expect(res.body.related.counts).toEqual({ contacts: 2, opportunities: 3 });
    expect(res.body.related.owner).toMatchObject({ id: ws.admin.id });
  });

  it("opportunity: account, contacts (primary first), stage, owner and the next open task", async () => {
    const acc = await createAccount(ws.user);
    const primary = await createContact(ws.user, { accountId: acc.id, lastName: "Zed" });
    const other1 = await createContact(ws.user, { accountId: acc.id, lastName: "Able" });
    const opp = await createOpportunity(ws.user, { accountId: acc.id, primaryContactId: primary.id, contactIds: [other1.id] });
    const at = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
    await create(ws.user, "activities", { type: "task", subject: "Done already", opportunityId: opp.id, dueAt: at(1), completedAt: at(0) });
    const next = await create(ws.user, "activities", { type: "task", subject: "Next", opportunityId: opp.id, dueAt: at(2) });
    await create(ws.user, "activities", { type: "task", subject: "Later", opportunityId: opp.id, dueAt: at(5) });
    await create(ws.user, "activities", { type: "note", subject: "A note is not a task", opportunityId: opp.id });

    const res = await api(`/api/opportunities/${opp.id}`, { token: ws.viewer.token });
    expect(res.status).toBe(200);
    expect(res.headers.get("etag")).toBe('"1"');
    expect(res.body.related.account).toMatchObject({ id: acc.id, name: acc.name });
    expect(res.body.related.contacts.map((c: any) => [c.id, c.isPrimary])).toEqual([
      [primary.id, true],
      [other1.id, false],
    ]);
    expect(res.body.related.stage).toMatchObject({ id: ws.stages[0]!.id, name: ws.stages[0]!.name, kind: "open" });
    expect(res.body.related.owner).toMatchObject({ id: ws.user.id });
    expect(res.body.related.nextTask).toMatchObject({ id: next.id, subject: "Next" });
  });

  it("contact: its account and deals; lead: its owner; activity: its actor", async () => {
    const acc = await createAccount(ws.user);
    const con = await createContact(ws.user, { accountId: acc.id });
    const asPrimary = await createOpportunity(ws.user, { primaryContactId: con.id });
    const asMember = await createOpportunity(ws.user, { contactIds: [con.id] });
    const res = await api(`/api/contacts/${con.id}`, { token: ws.viewer.token });
    expect(res.body.related.account).toMatchObject({ id: acc.id });
    expect(res.body.related.opportunities.map((o: any) => o.id).sort()).toEqual([asPrimary.id, asMember.id].sort());

    const lead = await createLead(ws.user, { ownerId: ws.admin.id });
    expect((await api(`/api/leads/${lead.id}`, { token: ws.viewer.token })).body.related).toMatchObject({ owner: { id: ws.admin.id }, converted: null });

    const note = await create(ws.user, "activities", { type: "note", subject: "hi", contactId: con.id });
    expect((await api(`/api/activities/${note.id}`, { token: ws.viewer.token })).body.related.actor).toMatchObject({ id: ws.user.id });
  });

  it("404 for a missing, malformed or foreign id", async () => {
    const foreign = await createAccount(other.user);
    expectProblem(await api(`/api/accounts/${foreign.id}`, { token: ws.admin.token }), 404);
    expectProblem(await api(`/api/accounts/${crypto.randomUUID()}`, { token: ws.admin.token }), 404);
    expectProblem(await api(`/api/accounts/not-a-uuid`, { token: ws.admin.token }), 404);
  });
});

// ---------------------------------------------------------------------------------------------------------------
describe("lists: keyset pagination, sorting, filters", () => {
  let lw: TestWorkspace;
  let opps: (typeof opportunities.$inferSelect)[];
  let accA: string;
  let accB: string;
  const base = Date.parse("2026-03-01T00:00:00.000Z");

  beforeAll(async () => {
    lw = await createWorkspace();
    const db = testDb().http;
    const [a, b] = await db.insert(accounts).values([{ workspaceId: lw.id, name: "Account A" }, { workspaceId: lw.id, name: "Account B" }]).returning();
    accA = a!.id;
    accB = b!.id;
    const owners = [lw.user.id, lw.admin.id, null];
    opps = await db
      .insert(opportunities)
      .values(
        Array.from({ length: 25 }, (_, i) => ({
          workspaceId: lw.id,
          name: i === 24 ? "Deal 24 — 100% upsell" : `Deal ${String(i).padStart(2, "0")}`,
          // Ties and NULLs on purpose: pagination must neither skip nor repeat rows across equal sort values.
          amount: i % 6 === 0 ? null : (i % 5) * 1000,
          currency: i % 7 === 0 ? "EUR" : "USD",
          closeDate: i % 4 === 0 ? null : `2027-0${(i % 3) + 1}-15`,
          createdAt: new Date(base + (i % 8) * 60_000),
          updatedAt: new Date(base + i * 60_000 + 123),
          ownerId: owners[i % 3],
          accountId: i % 2 === 0 ? accA : i % 3 === 0 ? accB : null,
          stageId: lw.stages[i % lw.stages.length]!.id,
          position: i,
        })),
      )
      .returning();
    // Another tenant's deals never show up.
    await db.insert(opportunities).values({ workspaceId: other.id, name: "Deal 99 foreign", stageId: other.stages[0]!.id, amount: 1000 });
  });

  function order<T extends { id: string }>(rows: T[], key: (r: T) => string | number | null, dir: "asc" | "desc"): string[] {
    return [...rows]
      .sort((a, b) => {
        const va = key(a);
        const vb = key(b);
        // Postgres: NULLS LAST ascending (hence NULLS FIRST descending), ties broken by id.
        let c = va === vb ? 0 : va === null ? 1 : vb === null ? -1 : va < vb ? -1 : 1;
        if (c === 0) c = a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
        return dir === "asc" ? c : -c;
      })
      .map((r) => r.id);
  }

  const oppKeys: Record<string, (o: (typeof opportunities.$inferSelect)) => string | number | null> = {
    name: (o) => o.name,
    amount: (o) => o.amount,
    closeDate: (o) => o.closeDate,
    createdAt: (o) => o.createdAt.getTime(),
    updatedAt: (o) => o.updatedAt.getTime(),
  };

  for (const sort of ["name", "-name", "amount", "-amount", "closeDate", "-closeDate", "createdAt", "-createdAt", "-updatedAt"]) {
    it(`opportunities sorted by ${sort}: 25 rows in pages of 7 cover every row exactly once, in order`, async () => {
      const { ids, pages } = await allPages(lw.viewer, `/api/opportunities?sort=${sort}`, 7);
      expect(pages).toBe(4);
      expect(new Set(ids).size).toBe(25);
      expect(ids).toEqual(order(opps, oppKeys[sort.replace("-", "")]!, sort.startsWith("-") ? "desc" : "asc"));
    });
  }

  it("default sort is most recently updated first", async () => {
    const res = await api("/api/opportunities?limit=3", { token: lw.viewer.token });
    expect(res.body.data.map((o: any) => o.id)).toEqual(order(opps, oppKeys.updatedAt!, "desc").slice(0, 3));
  });

  const filterCases: [string, (o: (typeof opportunities.$inferSelect)) => boolean][] = [];
  beforeAll(() => {
    const stage = lw.stages[2]!;
    const kinds = new Map(lw.stages.map((s) => [s.id, s.kind]));
    filterCases.push(
      [`ownerId=${lw.user.id}`, (o) => o.ownerId === lw.user.id],
      [`accountId=${accA}`, (o) => o.accountId === accA],
      [`accountId=${accB}&ownerId=${lw.admin.id}`, (o) => o.accountId === accB && o.ownerId === lw.admin.id],
      [`stageId=${stage.id}`, (o) => o.stageId === stage.id],
      ["status=open", (o) => kinds.get(o.stageId) === "open"],
      ["status=won", (o) => kinds.get(o.stageId) === "won"],
      ["status=lost", (o) => kinds.get(o.stageId) === "lost"],
      [`createdFrom=${new Date(base + 2 * 60_000).toISOString()}&createdTo=${new Date(base + 5 * 60_000).toISOString()}`, (o) => o.createdAt.getTime() >= base + 2 * 60_000 && o.createdAt.getTime() <= base + 5 * 60_000],
      [`updatedFrom=${new Date(base + 20 * 60_000).toISOString()}`, (o) => o.updatedAt.getTime() >= base + 20 * 60_000],
      [`updatedTo=${new Date(base + 3 * 60_000).toISOString()}`, (o) => o.updatedAt.getTime() <= base + 3 * 60_000],
      ["closeFrom=2027-02-01&closeTo=2027-02-28", (o) => o.closeDate === "2027-02-15"],
      ["closeTo=2027-01-31", (o) => o.closeDate === "2027-01-15"],
      ["amountMin=2000&amountMax=3000", (o) => o.amount !== null && o.amount >= 2000 && o.amount <= 3000],
      ["amountMin=4000", (o) => o.amount !== null && o.amount >= 4000],
      ["currency=eur", (o) => o.currency === "EUR"],
      ["q=DEAL%201", (o) => o.name.toLowerCase().includes("deal 1")],
      ["q=%25", (o) => o.name.includes("%")],
      ["q=_", () => false],
    );
  });

  it("filters return exactly the matching rows, across pages", async () => {
    expect(filterCases.length).toBeGreaterThan(10);
    for (const [query, match] of filterCases) {
      const want = opps.filter(match).map((o) => o.id).sort();
      const { ids } = await allPages(lw.viewer, `/api/opportunities?${query}&sort=-amount`, 4);
      expect([...ids].sort(), query).toEqual(want);
    }
    // Sanity: the filters above are not all trivially empty or everything.
    const sizes = filterCases.map(([, m]) => opps.filter(m).length);
    expect(sizes.filter((n) => n > 0 && n < 25).length).toBeGreaterThan(10);
  });

  it("contacts by last name (nullable), leads by status and activities by due date (nullable) paginate the same way", async () => {
    const db = testDb().http;
    const lastNames = ["Adams", "Baker", null, "Clark", "Adams"];
    const cons = await db
      .insert(contacts)
      .values(Array.from({ length: 25 }, (_, i) => ({ workspaceId: lw.id, firstName: `F${i}`, lastName: lastNames[i % 5], email: i % 3 === 0 ? null : `c${i % 10}@example.test`, accountId: i % 2 ? accA : null })))
      .returning();
    for (const sort of ["lastName", "-lastName", "email", "-email"]) {
      const { ids } = await allPages(lw.viewer, `/api/contacts?sort=${sort}`, 7);
      const key = sort.replace("-", "") as "lastName" | "email";
      expect(ids, sort).toEqual(order(cons, (c) => c[key], sort.startsWith("-") ? "desc" : "asc"));
    }
    const { ids: ofA } = await allPages(lw.viewer, `/api/contacts?accountId=${accA}&q=EXAMPLE.test`, 5);
    expect(ofA.sort()).toEqual(cons.filter((c) => c.accountId === accA && c.email).map((c) => c.id).sort());

    const statuses = ["new", "contacted", "qualified", "unqualified", "converted"] as const;
    const lds = await db
      .insert(leads)
      .values(Array.from({ length: 25 }, (_, i) => ({ workspaceId: lw.id, firstName: `L${i}`, company: i % 2 ? "Initech" : "Globex", status: statuses[i % 5] })))
      .returning();
    const { ids: byStatus } = await allPages(lw.viewer, "/api/leads?sort=-status", 7);
    expect(byStatus).toEqual(order(lds, (l) => statuses.indexOf(l.status), "desc"));
    const { ids: qualified } = await allPages(lw.viewer, "/api/leads?status=qualified&q=initech", 2);
    expect(qualified.sort()).toEqual(lds.filter((l) => l.status === "qualified" && l.company === "Initech").map((l) => l.id).sort());
    expectProblem(await api("/api/leads?status=hot", { token: lw.viewer.token }), 400, ["status"]);

    const acts = await db
      .insert(activities)
      .values(Array.from({ length: 25 }, (_, i) => ({ workspaceId: lw.id, type: i % 2 ? "task" : "note", subject: `A${i}`, accountId: accA, dueAt: i % 3 === 0 ? null : new Date(base + (i % 4) * 3_600_000), happenedAt: new Date(base + i * 1000), completedAt: i % 4 === 1 ? new Date(base) : null })))
      .returning();
    for (const sort of ["dueAt", "-dueAt", "-happenedAt"]) {
      const { ids } = await allPages(lw.viewer, `/api/activities?sort=${sort}`, 7);
      const key = sort.replace("-", "") as "dueAt" | "happenedAt";
      expect(ids, sort).toEqual(order(acts, (a) => a[key]?.getTime() ?? null, sort.startsWith("-") ? "desc" : "asc"));
    }
    const { ids: openTasks } = await allPages(lw.viewer, `/api/activities?type=task&open=true&dueFrom=${new Date(base + 3_600_000).toISOString()}`, 3);
    expect(openTasks.sort()).toEqual(acts.filter((a) => a.type === "task" && !a.completedAt && a.dueAt && a.dueAt.getTime() >= base + 3_600_000).map((a) => a.id).sort());
  });

  it("never lists another workspace's records", async () => {
    const { rows } = await allPages(other.viewer, "/api/opportunities?q=deal", 200);
    const mine = new Set(opps.map((o) => o.id));
    expect(rows.some((r) => mine.has(r.id))).toBe(false);
    expect(rows.map((r) => r.name)).toContain("Deal 99 foreign");
  });

  it("400 problem for an invalid cursor, an unknown sort and bad query values", async () => {
    const t = lw.viewer.token;
    expectProblem(await api("/api/opportunities?cursor=garbage", { token: t }), 400, ["cursor"]);
    expectProblem(await api(`/api/opportunities?cursor=${btoa(JSON.stringify([1, "not-a-uuid"]))}`, { token: t }), 400, ["cursor"]);
    expectProblem(await api("/api/opportunities?sort=probability", { token: t }), 400, ["sort"]);
    expectProblem(await api("/api/opportunities?sort=-password", { token: t }), 400, ["sort"]);
    expectProblem(await api("/api/accounts?sort=amount", { token: t }), 400, ["sort"]);
    expectProblem(await api("/api/opportunities?limit=0", { token: t }), 400, ["limit"]);
    expectProblem(await api("/api/opportunities?limit=201", { token: t }), 400, ["limit"]);
    expectProblem(await api("/api/opportunities?limit=ten", { token: t }), 400, ["limit"]);
    expectProblem(await api("/api/opportunities?ownerId=me", { token: t }), 400, ["ownerId"]);
    expectProblem(await api("/api/opportunities?createdFrom=yesterday", { token: t }), 400, ["createdFrom"]);
    expectProblem(await api("/api/opportunities?closeFrom=2027-13-01", { token: t }), 400, ["closeFrom"]);
    expectProblem(await api("/api/opportunities?amountMin=-5", { token: t }), 400, ["amountMin"]);
    expectProblem(await api("/api/opportunities?status=maybe", { token: t }), 400, ["status"]);
    // A cursor issued for one sort, replayed with another: a clear 400, never a 500.
    const byName = await api("/api/opportunities?sort=name&limit=2", { token: t });
    const replay = await api(`/api/opportunities?sort=createdAt&cursor=${byName.body.nextCursor}`, { token: t });
    expect(replay.status).toBe(400);
  });
});

// ---------------------------------------------------------------------------------------------------------------
describe("timelines", () => {
  it("an account's timeline holds its own, its contacts' and its deals' activities, newest first, paginated, with actor and target", async () => {
    const acc = await createAccount(ws.user, { name: unique("Timeline Co") });
    const con = await createContact(ws.user, { accountId: acc.id, firstName: "Tim", lastName: "Line" });
    const opp = await createOpportunity(ws.user, { accountId: acc.id, name: unique("Timeline deal") });
    const elsewhere = await createAccount(ws.user);
    const at = (m: number) => new Date(Date.parse("2026-02-01T09:00:00.000Z") + m * 60_000).toISOString();
    const note = (body: Record<string, unknown>, who = ws.user) => create(who, "activities", { type: "note", ...body });
    const expected = [
      await note({ subject: "on account", accountId: acc.id, happenedAt: at(1) }),
      await note({ subject: "on contact", contactId: con.id, happenedAt: at(2) }, ws.admin),
      await note({ subject: "on deal", opportunityId: opp.id, happenedAt: at(3) }),
      await note({ subject: "on deal and account", opportunityId: opp.id, accountId: acc.id, happenedAt: at(4) }),
      await note({ subject: "same minute A", accountId: acc.id, happenedAt: at(5) }),
      await note({ subject: "same minute B", contactId: con.id, happenedAt: at(5) }),
    ];
    await note({ subject: "elsewhere", accountId: elsewhere.id, happenedAt: at(6) });
    const deleted = await note({ subject: "deleted", accountId: acc.id, happenedAt: at(7) });
    await api(`/api/activities/${deleted.id}`, { method: "DELETE", token: ws.admin.token });

    const { rows, pages } = await allPages(ws.viewer, `/api/accounts/${acc.id}/timeline`, 2);
    expect(pages).toBe(3);
    const want = [...expected].sort((a, b) => (a.happenedAt === b.happenedAt ? (a.id < b.id ? 1 : -1) : a.happenedAt < b.happenedAt ? 1 : -1)).map((a) => a.id);
    expect(rows.map((r) => r.id)).toEqual(want);

    const byId = new Map(rows.map((r) => [r.subject, r]));
    expect(byId.get("on account")).toMatchObject({ actor: { id: ws.user.id, name: expect.any(String) }, target: { type: "account", id: acc.id, name: acc.name } });
    expect(byId.get("on contact")).toMatchObject({ actor: { id: ws.admin.id }, target: { type: "contact", id: con.id, name: "Tim Line" } });
    expect(byId.get("on deal")).toMatchObject({ target: { type: "opportunity", id: opp.id, name: opp.name } });
    expect(byId.get("on deal and account")!.target.type).toBe("opportunity");

    const contactTl = await allPages(ws.viewer, `/api/contacts/${con.id}/timeline`, 50);
    expect(contactTl.rows.map((r) => r.subject).sort()).toEqual(["on contact", "same minute B"]);
    const dealTl = await allPages(ws.viewer, `/api/opportunities/${opp.id}/timeline`, 50);
    expect(dealTl.rows.map((r) => r.subject)).toEqual(["on deal and account", "on deal"]);
  });

  it("a lead's timeline; 404 for a foreign record; 400 for a bad cursor or limit", async () => {
    const lead = await createLead(ws.user);
    await create(ws.user, "activities", { type: "call", subject: "Intro call", leadId: lead.id });
    const tl = await api(`/api/leads/${lead.id}/timeline`, { token: ws.viewer.token });
    expect(tl.body.data).toEqual([expect.objectContaining({ subject: "Intro call", target: { type: "lead", id: lead.id, name: lead.name } })]);
    expect(tl.body.nextCursor).toBeNull();
    expectProblem(await api(`/api/leads/${lead.id}/timeline`, { token: other.admin.token }), 404);
    expectProblem(await api(`/api/leads/${lead.id}/timeline?cursor=nope`, { token: ws.viewer.token }), 400, ["cursor"]);
    expectProblem(await api(`/api/leads/${lead.id}/timeline?limit=0`, { token: ws.viewer.token }), 400, ["limit"]);
  });
});
