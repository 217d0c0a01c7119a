import { describe, expect, it } from "vitest";
import { activities } from "../../db/schema";
import { api, createWorkspace, testDb } from "../helpers/worker";

const day = 86_400_000;

describe("GET /api/dashboard/tasks", () => {
  it("counts every open and overdue task of the owner exactly, beyond the 50 the task list shows", async () => {
    const ws = await createWorkspace();
    const now = Date.now();
    const task = (ownerId: string, dueAt: Date | null, completedAt: Date | null = null) => ({
      workspaceId: ws.id, type: "task", subject: "Follow up", ownerId, dueAt, completedAt,
    });
    await testDb().http.insert(activities).values([
      ...Array.from({ length: 40 }, (_, i) => task(ws.user.id, new Date(now - (i + 1) * day))), // overdue
      ...Array.from({ length: 25 }, (_, i) => task(ws.user.id, new Date(now + (i + 1) * day))), // upcoming
      ...Array.from({ length: 3 }, () => task(ws.user.id, null)), // no due date: open, never overdue
      ...Array.from({ length: 5 }, () => task(ws.user.id, new Date(now - day), new Date())), // done
      ...Array.from({ length: 7 }, () => task(ws.admin.id, new Date(now - day))), // someone else's
    ]);

    // The page the panel shows holds 50; the counts are about all 68.
    const page = await api(`/api/activities?type=task&open=true&ownerId=${ws.user.id}&sort=dueAt&limit=50`, { token: ws.user.token });
    expect(page.body.data).toHaveLength(50);
    const mine = await api("/api/dashboard/tasks", { token: ws.user.token });
    expect(mine.status).toBe(200);
    expect(mine.body).toEqual({ ownerId: ws.user.id, open: 68, overdue: 40 });

    // Overdue is relative to the moment the SPA sends (the start of the user's day): two days ago → 39 left.
    const before = new Date(now - 1.5 * day).toISOString();
    const earlier = await api(`/api/dashboard/tasks?ownerId=${ws.user.id}&overdueBefore=${encodeURIComponent(before)}`, { token: ws.viewer.token });
    expect(earlier.body).toEqual({ ownerId: ws.user.id, open: 68, overdue: 39 });

    // Another owner, and another workspace's caller asking for this owner (sees nothing).
    expect((await api(`/api/dashboard/tasks?ownerId=${ws.admin.id}`, { token: ws.user.token })).body).toMatchObject({ open: 7, overdue: 7 });
    const other = await createWorkspace();
    expect((await api(`/api/dashboard/tasks?ownerId=${ws.user.id}`, { token: other.admin.token })).body).toMatchObject({ open: 0, overdue: 0 });
  });

  it("answers 400 naming the parameter for a bad owner id or date", async () => {
    const ws = await createWorkspace();
    const badOwner = await api("/api/dashboard/tasks?ownerId=nope", { token: ws.user.token });
    expect(badOwner.status).toBe(400);
    expect(JSON.stringify(badOwner.body)).toContain("ownerId");
    const badDate = await api("/api/dashboard/tasks?overdueBefore=yesterday", { token: ws.user.token });
    expect(badDate.status).toBe(400);
    expect(JSON.stringify(badDate.body)).toContain("overdueBefore");
  });
});
