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
});
