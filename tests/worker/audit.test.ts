import { beforeAll, describe, expect, it } from "vitest";
import { api, createWorkspace, unique, type TestWorkspace } from "../helpers/worker";

type Res = { status: number; headers: Headers; body: any };
const expectProblem = (res: Res, status: number) => {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  expect(res.body).toMatchObject({ status, title: expect.any(String), detail: expect.any(String) });
};
const paths = (res: Res) => (res.body.errors ?? []).map((e: any) => e.path);

let ws: TestWorkspace;
let other: TestWorkspace;
let accountId: string;
let newUserId: string;
let foreignAccountId: string;
let beforeUpdate: string;
let requestId: string;

beforeAll(async () => {
  [ws, other] = await Promise.all([createWorkspace(), createWorkspace()]);
  const created = await api("/api/accounts", { method: "POST", token: ws.user.token, body: { name: "Initech" } });
  expect(created.status).toBe(201);
  accountId = created.body.id;
  // Entries written after this instant: the update below and the user creation.
  beforeUpdate = new Date().toISOString();
  const updated = await api(`/api/accounts/${accountId}`, { method: "PATCH", token: ws.admin.token, body: { name: "Initrode", industry: "Software" }, headers: { "X-Request-Id": "audit-test-request-1" } });
  expect(updated.status).toBe(200);
  requestId = updated.headers.get("x-request-id")!;
  const user = await api("/api/users", { method: "POST", token: ws.admin.token, body: { email: `${unique("aud")}@example.test`, name: "Audit Subject", role: "USER" } });
  expect(user.status).toBe(201);
  newUserId = user.body.user.id;
  expect((await api(`/api/users/${newUserId}`, { method: "PATCH", token: ws.admin.token, body: { role: "VIEWER" } })).status).toBe(200);
  const foreign = await api("/api/accounts", { method: "POST", token: other.admin.token, body: { name: "Foreign Corp" } });
  foreignAccountId = foreign.body.id;
});

describe("GET /api/audit — security", () => {
  it("is for ADMIN only; no token is 401", async () => {
    expectProblem(await api("/api/audit"), 401);
    expectProblem(await api("/api/audit", { token: ws.user.token }), 403);
    expectProblem(await api("/api/audit", { token: ws.viewer.token }), 403);
    expect((await api("/api/audit", { token: ws.admin.token })).status).toBe(200);
  });

  it("never shows another workspace's entries, even when asked for its ids", async () => {
    const mine = await api("/api/audit?limit=200", { token: ws.admin.token });
    expect(mine.body.data.map((e: any) => e.entityId)).not.toContain(foreignAccountId);
    const foreign = await api(`/api/audit?entityId=${foreignAccountId}`, { token: ws.admin.token });
    expect(foreign.status).toBe(200);
    expect(foreign.body.data).toEqual([]);
    const byForeignActor = await api(`/api/audit?actorId=${other.admin.id}`, { token: ws.admin.token });
    expect(byForeignActor.body.data).toEqual([]);
    const theirs = await api("/api/audit?limit=200", { token: other.admin.token });
    expect(theirs.body.data.map((e: any) => e.entityId)).toEqual([foreignAccountId]);
  });
});

describe("GET /api/audit", () => {
  it("lists entries newest first with actor, request id and before → after", async () => {
    const res = await api("/api/audit?limit=200", { token: ws.admin.token });
    expect(res.status).toBe(200);
    const actions = res.body.data.map((e: any) => `${e.action}:${e.entityType}`);
    expect(actions).toEqual(["user.update:user", "user.create:user", "update:account", "create:account"]);
    const ats = res.body.data.map((e: any) => e.at);
    expect(ats).toEqual([...ats].sort().reverse());

    const update = res.body.data.find((e: any) => e.action === "update");
    expect(update).toEqual({
      id: expect.any(String),
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      action: "update",
      entityType: "account",
      entityId: accountId,
      changes: { name: { from: "Initech", to: "Initrode" }, industry: { from: null, to: "Software" } },
      actor: { id: ws.admin.id, name: expect.stringContaining("ADMIN") },
      requestId,
      apiKey: null,
    });
    expect(requestId).toBe("audit-test-request-1");
    const roleChange = res.body.data[0];
    expect(roleChange).toMatchObject({ entityId: newUserId, changes: { role: { from: "USER", to: "VIEWER" } }, actor: { id: ws.admin.id } });
    expect(JSON.stringify(res.body)).not.toMatch(/pbkdf2|passwordHash/);
  });

  it("filters by entity, actor, action (exact or family) and time window", async () => {
    const get = async (qs: string) => {
      const res = await api(`/api/audit?${qs}`, { token: ws.admin.token });
      expect(res.status).toBe(200);
      return res.body.data.map((e: any) => e.action);
    };
    expect(await get("entityType=account")).toEqual(["update", "create"]);
    expect(await get(`entityId=${accountId}`)).toEqual(["update", "create"]);
    expect(await get(`entityType=account&entityId=${accountId}&action=create`)).toEqual(["create"]);
    expect(await get(`actorId=${ws.user.id}`)).toEqual(["create"]);
    expect(await get(`actorId=${ws.admin.id}&entityType=account`)).toEqual(["update"]);
    expect(await get("action=user.*")).toEqual(["user.update", "user.create"]);
    expect(await get("action=user.create")).toEqual(["user.create"]);
    expect(await get("action=user")).toEqual([]);
    expect(await get(`from=${encodeURIComponent(beforeUpdate)}`)).toEqual(["user.update", "user.create", "update"]);
    expect(await get(`to=${encodeURIComponent(beforeUpdate)}`)).toEqual(["create"]);
    expect(await get(`from=${encodeURIComponent(beforeUpdate)}&to=${encodeURIComponent("2000-01-01T00:00:00Z")}`)).toEqual([]);
  });

  it("pages newest first with a cursor, without gaps or repeats", async () => {
    const w = await createWorkspace();
    // Entries written in one transaction share a timestamp: the id breaks the tie.
    const res = await api("/api/pipeline/stages", { token: w.admin.token });
    const stages = res.body.stages.map(({ id, name, probability, kind }: any) => ({ id, name, probability, kind }));
    for (let i = 0; i < 5; i++) {
      await api("/api/accounts", { method: "POST", token: w.user.token, body: { name: `Acct ${i}` } });
    }
    stages[0].probability = 11;
    expect((await api("/api/pipeline/stages", { method: "PUT", token: w.admin.token, body: { stages } })).status).toBe(200);
    const full = (await api("/api/audit?limit=200", { token: w.admin.token })).body.data.map((e: any) => e.id);
    expect(full).toHaveLength(6);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Res = await api(`/api/audit?limit=4${cursor ? `&cursor=${cursor}` : ""}`, { token: w.admin.token });
      expect(page.status).toBe(200);
      seen.push(...page.body.data.map((e: any) => e.id));
      cursor = page.body.nextCursor;
    } while (cursor && seen.length < 50);
    expect(seen).toEqual(full);
  });

  it("rejects malformed filters and cursors with 400 naming them", async () => {
    const bad = await api("/api/audit?entityId=nope&actorId=1&from=yesterday&limit=500", { token: ws.admin.token });
    expectProblem(bad, 400);
    expect(paths(bad).sort()).toEqual(["actorId", "entityId", "from", "limit"]);
    const cursor = await api("/api/audit?cursor=abc", { token: ws.admin.token });
    expectProblem(cursor, 400);
    expect(paths(cursor)).toEqual(["cursor"]);
  });
});
