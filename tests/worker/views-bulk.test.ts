import { beforeAll, describe, expect, it } from "vitest";
import { api, createWorkspace, unique, type TestWorkspace } from "../helpers/worker";

let ws: TestWorkspace;
beforeAll(async () => {
  ws = await createWorkspace();
});

async function deal(body: Record<string, unknown>): Promise<string> {
  const res = await api("/api/opportunities", { method: "POST", token: ws.admin.token, body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

async function waitForJob(id: string, token = ws.admin.token) {
  for (let i = 0; i < 200; i++) {
    const res = await api(`/api/bulk/jobs/${id}`, { token });
    expect(res.status).toBe(200);
    if (res.body.status === "done") return res.body;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("bulk job did not finish");
}

describe("saved views", () => {
  it("a shared view is offered to a colleague, who may make it their default but not change it", async () => {
    const body = { entity: "opportunities", name: unique("Big deals"), columns: [{ id: "name" }, { id: "amount", width: 140 }], filters: [{ field: "closeDate", op: "this_quarter" }], sort: "-amount", groupBy: "stageId", shared: true };
    const made = await api("/api/views", { method: "POST", token: ws.admin.token, body });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ ...body, isDefault: false, ownerId: ws.admin.id });

    const seen = await api("/api/views?entity=opportunities", { token: ws.user.token });
    expect(seen.body.data.map((v: { id: string }) => v.id)).toContain(made.body.id);

    const rename = await api(`/api/views/${made.body.id}`, { method: "PATCH", token: ws.user.token, body: { name: "Mine now" } });
    expect(rename.status).toBe(403);
    const asDefault = await api(`/api/views/${made.body.id}`, { method: "PATCH", token: ws.user.token, body: { isDefault: true } });
    expect(asDefault.status).toBe(200);
    expect(asDefault.body.isDefault).toBe(true);
    // The default is the colleague's, not the owner's.
    const ownerList = await api("/api/views?entity=opportunities", { token: ws.admin.token });
    expect(ownerList.body.data.find((v: { id: string }) => v.id === made.body.id).isDefault).toBe(false);

    // One default per user and entity: a second default replaces the first.
    const other = await api("/api/views", { method: "POST", token: ws.user.token, body: { entity: "opportunities", name: unique("Mine"), isDefault: true } });
    expect(other.body.isDefault).toBe(true);
    const after = await api("/api/views?entity=opportunities", { token: ws.user.token });
    expect(after.body.data.filter((v: { isDefault: boolean }) => v.isDefault).map((v: { id: string }) => v.id)).toEqual([other.body.id]);
  }, 90_000);

  it("a private view stays its owner's; a bad body names the field", async () => {
    const made = await api("/api/views", { method: "POST", token: ws.admin.token, body: { entity: "contacts", name: unique("Private") } });
    expect(made.body.shared).toBe(false);
    expect((await api(`/api/views/${made.body.id}`, { method: "PATCH", token: ws.user.token, body: { isDefault: true } })).status).toBe(404);
    const bad = await api("/api/views", { method: "POST", token: ws.admin.token, body: { entity: "widgets", name: "" } });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(["entity", "name"]));
    expect((await api(`/api/views/${made.body.id}`, { method: "DELETE", token: ws.admin.token })).status).toBe(204);
    expect((await api(`/api/views/${made.body.id}`, { method: "PATCH", token: ws.admin.token, body: { name: "x" } })).status).toBe(404);
  });
});

describe("list summary", () => {
  it("counts and totals every matching record per currency, per group", async () => {
    const tag = unique("Summary");
    const [first, second] = ws.stages;
    await deal({ name: `${tag} a`, amount: 10_000, currency: "USD", stageId: first!.id });
    await deal({ name: `${tag} b`, amount: 2_500, currency: "USD", stageId: first!.id });
    await deal({ name: `${tag} c`, amount: 700, currency: "EUR", stageId: second!.id });
    const res = await api(`/api/opportunities/summary?q=${encodeURIComponent(tag)}&groupBy=stageId`, { token: ws.viewer.token });
    expect(res.status).toBe(200);
    expect(res.body.count).toBe(3);
    const sums = res.body.totals.find((t: { field: string }) => t.field === "amount").sums;
    expect(sums).toEqual(expect.arrayContaining([{ currency: "USD", amount: 12_500 }, { currency: "EUR", amount: 700 }]));
    const group = res.body.groups.find((g: { key: string }) => g.key === first!.id);
    expect(group.count).toBe(2);
    expect(group.totals[0].sums).toEqual([{ currency: "USD", amount: 12_500 }]);
    // By a custom select: its key is part of the grouping expression.
    const key = `tier_${Math.random().toString(36).slice(2, 8)}`;
    const field = await api("/api/fields", { method: "POST", token: ws.admin.token, body: { entity: "opportunity", key, label: "Tier", type: "single_select", options: [{ value: "gold", label: "Gold" }] } });
    expect(field.status, JSON.stringify(field.body)).toBe(201);
    await deal({ name: `${tag} d`, amount: 300, currency: "USD", custom: { [key]: "gold" } });
    const byTier = await api(`/api/opportunities/summary?q=${encodeURIComponent(tag)}&groupBy=custom.${key}`, { token: ws.viewer.token });
    expect(byTier.status, JSON.stringify(byTier.body)).toBe(200);
    expect(byTier.body.groups.map((g: { key: string | null; count: number }) => [g.key, g.count])).toEqual([[null, 3], ["gold", 1]]);
    const bad = await api("/api/opportunities/summary?groupBy=name", { token: ws.viewer.token });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe("groupBy");
  });
});

describe("bulk jobs", () => {
  it("changes the owner of every deal matching a filter, audited per record", async () => {
    const tag = unique("Bulk");
    const ids = await Promise.all(Array.from({ length: 12 }, (_, i) => deal({ name: `${tag} ${i}` })));
    const start = await api("/api/bulk/opportunities", { method: "POST", token: ws.user.token, body: { action: "update", filter: { q: tag }, changes: { ownerId: ws.viewer.id } } });
    expect(start.status, JSON.stringify(start.body)).toBe(202);
    expect(start.body.total).toBe(12);
    const done = await waitForJob(start.body.id, ws.user.token);
    expect(done).toMatchObject({ processed: 12, succeeded: 12, failed: 0 });
    const list = await api(`/api/opportunities?q=${encodeURIComponent(tag)}&ownerId=${ws.viewer.id}&limit=100`, { token: ws.user.token });
    expect(list.body.data).toHaveLength(12);
    const trail = await api(`/api/audit?entityId=${ids[0]}`, { token: ws.admin.token });
    const update = trail.body.data.find((e: { action: string }) => e.action === "update");
    expect(update.changes.ownerId.to).toBe(ws.viewer.id);
    expect(update.actor.id).toBe(ws.user.id);
    // Another user cannot watch someone else's job.
    expect((await api(`/api/bulk/jobs/${start.body.id}`, { token: ws.admin.token })).status).toBe(404);
  }, 120_000);

  it("moves deals between stages with one reason, reporting a failing record without stopping the rest", async () => {
    const tag = unique("Stage");
    const ids = await Promise.all(Array.from({ length: 3 }, (_, i) => deal({ name: `${tag} ${i}` })));
    expect((await api(`/api/opportunities/${ids[1]}`, { method: "DELETE", token: ws.admin.token })).status).toBe(200);
    const target = ws.stages[2]!;
    const noReason = await api("/api/bulk/opportunities", { method: "POST", token: ws.user.token, body: { action: "update", ids, changes: { stageId: target.id } } });
    expect(noReason.status).toBe(422);
    expect(noReason.body.errors[0].path).toBe("changes.stageChangeReason");
    const start = await api("/api/bulk/opportunities", { method: "POST", token: ws.user.token, body: { action: "update", ids, changes: { stageId: target.id, stageChangeReason: "Quarter review" } } });
    expect(start.status).toBe(202);
    const done = await waitForJob(start.body.id, ws.user.token);
    expect(done).toMatchObject({ processed: 3, succeeded: 2, failed: 1 });
    expect(done.failures[0].id).toBe(ids[1]);
    const moved = await api(`/api/opportunities/${ids[0]}`, { token: ws.user.token });
    expect(moved.body.stageId).toBe(target.id);
  }, 60_000);

  it("a bad change fails the request, not each record; deleting needs ADMIN", async () => {
    const id = await deal({ name: unique("Guard") });
    const bad = await api("/api/bulk/opportunities", { method: "POST", token: ws.user.token, body: { action: "update", ids: [id], changes: { amount: "lots" } } });
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].path).toBe("changes.amount");
    expect((await api("/api/bulk/opportunities", { method: "POST", token: ws.user.token, body: { action: "delete", ids: [id] } })).status).toBe(403);
    const del = await api("/api/bulk/opportunities", { method: "POST", token: ws.admin.token, body: { action: "delete", ids: [id] } });
    expect(del.status).toBe(202);
    expect((await waitForJob(del.body.id)).succeeded).toBe(1);
    expect((await api(`/api/opportunities/${id}`, { token: ws.admin.token })).status).toBe(404);
  });
});
