import { describe, expect, it } from "vitest";
import { api, createWorkspace } from "../helpers/worker";

describe("GET /api/activities", () => {
  it("names who did it and the record it is about, so lists need no request per row", async () => {
    const ws = await createWorkspace();
    const acc = await api("/api/accounts", { method: "POST", token: ws.user.token, body: { name: "Globex" } });
    const opp = await api("/api/opportunities", { method: "POST", token: ws.user.token, body: { name: "Globex renewal", accountId: acc.body.id } });
    await api("/api/activities", { method: "POST", token: ws.user.token, body: { type: "call", subject: "Pricing call", opportunityId: opp.body.id, accountId: acc.body.id } });
    await api("/api/activities", { method: "POST", token: ws.user.token, body: { type: "note", subject: "Account note", accountId: acc.body.id } });

    const res = await api("/api/activities?sort=-happenedAt", { token: ws.viewer.token });
    expect(res.status).toBe(200);
    const bySubject = Object.fromEntries(res.body.data.map((a: any) => [a.subject, a]));
    // A deal's activity is about the deal, not its account; an account note is about the account.
    expect(bySubject["Pricing call"].target).toEqual({ type: "opportunity", id: opp.body.id, name: "Globex renewal" });
    expect(bySubject["Account note"].target).toEqual({ type: "account", id: acc.body.id, name: "Globex" });
    expect(bySubject["Pricing call"].actor).toEqual({ id: ws.user.id, name: expect.stringContaining("USER") });

    // Another workspace sees none of it.
    const other = await createWorkspace();
    const foreign = await api("/api/activities", { token: other.admin.token });
    expect(foreign.body.data).toEqual([]);
  });

  it("lists contacts and deals with their account's name", async () => {
    const ws = await createWorkspace();
    const acc = await api("/api/accounts", { method: "POST", token: ws.user.token, body: { name: "Initech" } });
    await api("/api/contacts", { method: "POST", token: ws.user.token, body: { name: "Peter Gibbons", accountId: acc.body.id } });
    await api("/api/contacts", { method: "POST", token: ws.user.token, body: { name: "No Company" } });
    await api("/api/opportunities", { method: "POST", token: ws.user.token, body: { name: "TPS reports", accountId: acc.body.id } });
    const contacts = await api("/api/contacts?sort=lastName", { token: ws.viewer.token });
    expect(contacts.body.data.map((c: any) => [c.name, c.accountName])).toEqual([["No Company", null], ["Peter Gibbons", "Initech"]]);
    const deals = await api("/api/opportunities", { token: ws.viewer.token });
    expect(deals.body.data.map((d: any) => [d.name, d.accountName])).toEqual([["TPS reports", "Initech"]]);
  });
});
