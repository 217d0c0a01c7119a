import { beforeAll, describe, expect, it } from "vitest";
import { customFields, reasonCodes } from "../../db/schema";
import { api, createWorkspace, testDb, type TestWorkspace } from "../helpers/worker";

/** GET /api/meta: the fields (core from domain/, custom from the registry), pipelines with stages and reason codes. */

let ws: TestWorkspace;
let other: TestWorkspace;
beforeAll(async () => {
  [ws, other] = await Promise.all([createWorkspace(), createWorkspace()]);
  const db = testDb();
  try {
    await db.http.insert(customFields).values([
      {
        workspaceId: ws.id,
        entity: "opportunity",
        key: "segment",
        label: "Segment",
        type: "single_select",
        options: [{ value: "smb", label: "SMB", color: "#16a34a" }, { value: "ent", label: "Enterprise", color: "#2563eb" }],
        filterable: true,
        showOnCard: true,
        position: 1,
      },
      { workspaceId: ws.id, entity: "contact", key: "linkedin", label: "LinkedIn", type: "url", position: 0 },
      { workspaceId: other.id, entity: "opportunity", key: "secret", label: "Other workspace's field", type: "text" },
    ]);
    await db.http.insert(reasonCodes).values([
      { workspaceId: ws.id, kind: "lost", value: "meta_test_budget", label: "Budget cut (test)", position: 99 },
      { workspaceId: ws.id, kind: "won", value: "meta_test_champion", label: "Strong champion (test)", position: 99 },
    ]);
  } finally {
    await db.close();
  }
});

describe("GET /api/meta", () => {
  it("a VIEWER reads the four entities' core fields, declared once in domain/", async () => {
    const res = await api("/api/meta", { token: ws.viewer.token });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.entities).sort()).toEqual(["account", "contact", "lead", "opportunity"]);
    const opp = res.body.entities.opportunity;
    expect(opp).toMatchObject({ label: "Opportunity", labelPlural: "Opportunities" });
    const amount = opp.fields.find((f: { key: string }) => f.key === "amount");
    expect(amount).toMatchObject({ type: "money", source: "core", sortable: true, filterable: true, importable: true, exportable: true, readOnly: false });
    expect(opp.fields.find((f: { key: string }) => f.key === "version")).toMatchObject({ readOnly: true, importable: false });
    expect(opp.fields.find((f: { key: string }) => f.key === "stageId")).toMatchObject({ type: "record_link", target: "stage" });
    expect(res.body.entities.account.fields.find((f: { key: string }) => f.key === "ownerId")).toMatchObject({ type: "user", target: "user" });
    const status = res.body.entities.lead.fields.find((f: { key: string }) => f.key === "status");
    expect(status.options.map((o: { value: string }) => o.value)).toEqual(["new", "contacted", "qualified", "unqualified", "converted"]);
  });

  it("custom fields follow the core ones, with options and colours; another workspace's are not there", async () => {
    const res = await api("/api/meta", { token: ws.user.token });
    const opp = res.body.entities.opportunity.fields;
    const segment = opp.find((f: { key: string }) => f.key === "segment");
    expect(segment).toMatchObject({
      source: "custom",
      type: "single_select",
      filterable: true,
      showOnCard: true,
      options: [{ value: "smb", label: "SMB", color: "#16a34a" }, { value: "ent", label: "Enterprise", color: "#2563eb" }],
    });
    expect(segment.position).toBeGreaterThan(Math.max(...opp.filter((f: { source: string }) => f.source === "core").map((f: { position: number }) => f.position)));
    expect(res.body.entities.contact.fields.find((f: { key: string }) => f.key === "linkedin")).toMatchObject({ source: "custom", type: "url" });
    expect(JSON.stringify(res.body)).not.toContain("Other workspace's field");
  });

  it("lists the pipelines with their stages in order, and the reason codes by kind", async () => {
    const res = await api("/api/meta", { token: ws.viewer.token });
    expect(res.body.pipelines).toHaveLength(1);
    const [p] = res.body.pipelines;
    expect(p).toMatchObject({ isDefault: true });
    expect(p.stages.map((s: { id: string }) => s.id)).toEqual(ws.stages.map((s) => s.id));
    expect(res.body.reasonCodes.won).toContainEqual({ value: "meta_test_champion", label: "Strong champion (test)" });
    expect(res.body.reasonCodes.lost).toContainEqual({ value: "meta_test_budget", label: "Budget cut (test)" });
    expect(res.body.reasonCodes.lost).not.toContainEqual(expect.objectContaining({ value: "meta_test_champion" }));
  });

  it("needs a login", async () => {
    expect((await api("/api/meta")).status).toBe(401);
  });
});
