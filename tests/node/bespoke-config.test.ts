import { and, eq, getTableColumns, isNull } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Executor } from "../../db/client";
import * as schema from "../../db/schema";
import { accounts, contacts, customFields, leads, opportunities, pipelines, pipelineStages, reasonCodes, workspaces } from "../../db/schema";
import { readFileSync } from "node:fs";
import { createDefaultPipeline, DEFAULT_REASON_CODES, DEFAULT_STAGES } from "../../db/seed";
import { createDatabase, dropDatabase, migrate } from "../../scripts/lib/database";
import { loadConfigFile, resolveConfigPath } from "../../scripts/lib/config-file";
import { resolveConfig } from "../../worker/config";
import { applyConfigToWorkspace } from "../../worker/config-file/apply";
import { type BespokeConfig, type BespokeConfigInput, CORE_FIELDS, validateBespokeConfig } from "../../worker/config-file/define";
import defaultFile from "../../bespoke.config";
import recruitingFile from "../../examples/recruiting/bespoke.config";
import renewalsFile from "../../examples/saas-renewals/bespoke.config";

const valid = (raw: unknown): BespokeConfig => {
  const r = validateBespokeConfig(raw);
  if (!r.ok) throw new Error(r.problems.join("\n"));
  return r.config;
};

describe("the configuration files", () => {
  it.each([
    ["bespoke.config.ts", defaultFile],
    ["examples/recruiting", recruitingFile],
    ["examples/saas-renewals", renewalsFile],
  ])("%s validates", (_name, file) => {
    expect(validateBespokeConfig(file)).toMatchObject({ ok: true });
  });

  it("the default reproduces the shipped product: the Sales pipeline's stages and the dialog's reason codes", () => {
    const c = valid(defaultFile);
    expect(c.pipelines).toHaveLength(1);
    expect(c.pipelines[0]).toMatchObject({ key: "sales", name: "Sales", default: true });
    expect(c.pipelines[0]!.stages.map(({ name, probability, kind }) => ({ name, probability, kind }))).toEqual(DEFAULT_STAGES);
    // The stock reason codes live in three places that cannot share code — this file (a client edits it), the seed
    // (workspaces made without a file: tests, scripts) and migration 0015 (committed SQL, never edited) — so they
    // are held equal here, code by code, label and order included.
    expect(c.reasonCodes).toEqual(DEFAULT_REASON_CODES);
    expect(c.reasonCodes.lost.find((r) => r.value === "competitor")?.label).toBe("Went with a competitor");
    expect(c.branding).toEqual({ name: "Bespoke CRM", accentColor: "#4f46e5" });
    expect(c.ai.privateFields).toEqual(["contact.mobilePhone", "contact.phone"]);
  });

  it("migration 0015 gave existing workspaces the same stock reason codes as the seed", () => {
    const sql = readFileSync("db/migrations/0015_default_reason_codes.sql", "utf8");
    const rows = [...sql.matchAll(/\('(open|won|lost)', '([^']+)', '([^']+)', (\d+)\)/g)].map(([, kind, value, label, position]) => ({ kind, value, label, position: Number(position) }));
    const seeded = (["open", "won", "lost"] as const).flatMap((kind) => DEFAULT_REASON_CODES[kind].map((c, position) => ({ kind, ...c, position })));
    expect(rows).toEqual(seeded);
  });

  it("knows every core column of the four entities, so a custom key cannot shadow one", () => {
    const tables = { account: accounts, contact: contacts, lead: leads, opportunity: opportunities } as const;
    for (const [entity, table] of Object.entries(tables)) {
      const columns = Object.keys(getTableColumns(table));
      expect(CORE_FIELDS[entity as keyof typeof tables], entity).toEqual(expect.arrayContaining(columns));
    }
  });

  it("lists every problem of a bad file at once, each with its path", () => {
    const r = validateBespokeConfig({
      branding: { name: "", accentColor: "teal" },
      pipelines: [
        { key: "sales", name: "Sales", default: true, stages: [{ key: "a", name: "A", probability: 140 }, { key: "a", name: "B", probability: 100, kind: "won" }] },
        { key: "sales", name: "Again", default: true, stages: [{ key: "x", name: "X", probability: 5, kind: "open" }] },
      ],
      customFields: {
        opportunity: [
          { key: "amount", label: "Amount", type: "number" },
          { key: "tier", label: "Tier", type: "single_select" },
          { key: "arr", label: "ARR", type: "money", default: 1.5 },
          { key: "arr", label: "ARR again", type: "rainbow" },
        ],
      },
      reasonCodes: { lost: [{ value: "price", label: "Price" }, { value: "price", label: "Cost" }] },
      ai: { privateFields: ["contact.shoeSize"] },
      colours: {},
    });
    expect(r.ok).toBe(false);
    const problems = r.ok ? [] : r.problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        "branding.name must not be empty",
        'branding.accentColor must be a colour like "#4f46e5"',
        "pipelines[0].stages[0].probability must be between 0 and 100",
        'pipelines[0].stages[1].key "a" is also the key of stages[0] of this pipeline',
        'pipelines[0].stages must have at least one lost stage (kind: "lost")',
        'pipelines[1].key "sales" is also the key of pipelines[0]',
        "pipelines must mark exactly one pipeline default: true (sales, sales are)",
        'pipelines[1].stages must have at least one won stage (kind: "won")',
        'customFields.opportunity[0].key "amount" is a core opportunity field: pick another key',
        "customFields.opportunity[1].options must list at least one option for a single_select field",
        "customFields.opportunity[2].default must be a whole number of minor units (cents)",
        'customFields.opportunity[3].key "arr" is also the key of customFields.opportunity[2]',
        'reasonCodes.lost[1].value "price" is also the value of reasonCodes.lost[0]',
        expect.stringMatching(/^customFields\.opportunity\[3\]\.type must be one of text, long_text/),
        expect.stringMatching(/^ai\.privateFields\[0\] "shoeSize" is not a core contact field/),
        '(top level) Unrecognized key: "colours"',
      ]),
    );
    expect(problems.length).toBeGreaterThanOrEqual(16);
  });

  it("one pipeline needs no default flag; two need exactly one", () => {
    const base = valid(defaultFile);
    const one = { ...base, pipelines: [{ ...base.pipelines[0]!, default: false }] };
    expect(validateBespokeConfig(one).ok).toBe(true);
    const two = { ...base, pipelines: [{ ...base.pipelines[0]!, default: false }, { ...base.pipelines[0]!, key: "b", default: false }] };
    expect(validateBespokeConfig(two)).toMatchObject({ ok: false, problems: ["pipelines must mark exactly one pipeline default: true (none is)"] });
  });

  it("BESPOKE_CONFIG names a folder or a file; loading a bad file stops with every problem", async () => {
    expect(resolveConfigPath("examples/recruiting")).toMatch(/examples\/recruiting\/bespoke\.config\.ts$/);
    expect(resolveConfigPath(undefined)).toMatch(/\/bespoke\.config\.ts$/);
    const loaded = await loadConfigFile("examples/saas-renewals");
    expect(loaded.config.pipelines.map((p) => p.key)).toEqual(["renewals", "expansion"]);
    await expect(loadConfigFile("examples/nowhere")).rejects.toThrow(/does not exist/);
  });
});

describe("the environment and the file together", () => {
  const env = { DATABASE_URL: "postgres://u:p@db.example.com/crm", JWT_SECRET: "x".repeat(48) };
  const recruiting = valid(recruitingFile);

  it("the file supplies branding and AI privacy; a variable set in the environment wins", () => {
    const fromFile = resolveConfig({ ...env, BRAND_NAME: "" }, { ok: true, config: recruiting });
    expect(fromFile).toMatchObject({ ok: true, config: { BRAND_NAME: "TalentBridge Recruiting", BRAND_ACCENT_COLOR: "#0f766e" } });
    expect(fromFile.ok && fromFile.config.AI_PRIVATE_FIELDS).toContainEqual({ entity: "opportunity", field: "custom.expectedSalary" });
    expect(fromFile.ok && fromFile.config.bespoke?.ai.promptAdditions).toMatch(/recruiting agency/);
    const overridden = resolveConfig({ ...env, BRAND_NAME: "Acme", AI_PRIVATE_FIELDS: "none" }, { ok: true, config: recruiting });
    expect(overridden).toMatchObject({ ok: true, config: { BRAND_NAME: "Acme", BRAND_ACCENT_COLOR: "#0f766e", AI_PRIVATE_FIELDS: [] } });
  });

  it("a bad file and a bad variable are reported together", () => {
    const r = resolveConfig({ ...env, JWT_SECRET: "short" }, { ok: false, problems: ["pipelines[0].name must not be empty"] });
    expect(r).toEqual({ ok: false, problems: ["JWT_SECRET must be at least 16 characters", "bespoke.config.ts: pipelines[0].name must not be empty"] });
  });
});

describe("applying a configuration to the database", () => {
  const adminUrl = inject("adminDatabaseUrl");
  const name = `bespoke_config_${process.pid}_${Date.now()}`;
  let client: pg.Client;
  let db: Executor;
  const run = <T>(fn: (tx: Executor) => Promise<T>) => db.transaction((tx) => fn(tx as unknown as Executor));

  beforeAll(async () => {
    const url = await createDatabase(adminUrl, name);
    await migrate(url);
    client = new pg.Client({ connectionString: url });
    await client.connect();
    db = drizzle({ client, schema }) as unknown as Executor;
  }, 60_000);
  afterAll(async () => {
    await client?.end();
    await dropDatabase(adminUrl, name);
  });

  /** A workspace as the product makes one today (createDefaultPipeline, stages without keys). */
  const workspace = async () => {
    const [ws] = await db.insert(workspaces).values({ name: "W", slug: `w-${crypto.randomUUID()}` }).returning();
    const stages = await createDefaultPipeline(db, ws!.id);
    return { id: ws!.id, stages };
  };
  const state = async (workspaceId: string) => {
    const ps = await db.select().from(pipelines).where(and(eq(pipelines.workspaceId, workspaceId), isNull(pipelines.deletedAt))).orderBy(pipelines.position);
    const stages = await db.select().from(pipelineStages).where(and(eq(pipelineStages.workspaceId, workspaceId), isNull(pipelineStages.deletedAt))).orderBy(pipelineStages.position);
    const fields = await db.select().from(customFields).where(and(eq(customFields.workspaceId, workspaceId), isNull(customFields.deletedAt))).orderBy(customFields.position);
    const reasons = await db.select().from(reasonCodes).where(and(eq(reasonCodes.workspaceId, workspaceId), isNull(reasonCodes.deletedAt))).orderBy(reasonCodes.position);
    return {
      pipelines: ps.map((p) => ({ key: p.key, name: p.name, isDefault: p.isDefault, source: p.source, stages: stages.filter((s) => s.pipelineId === p.id).map((s) => `${s.key}:${s.name}:${s.probability}:${s.kind}:${s.agingDays}`) })),
      fields: fields.map((f) => `${f.entity}.${f.key}:${f.type}:${f.source}`),
      reasons: reasons.map((r) => `${r.kind}.${r.value}:${r.source}`),
    };
  };

  it("the default file adopts today's Sales pipeline (same stage rows, now with keys) and writes the reason codes", async () => {
    const ws = await workspace();
    const first = await run((tx) => applyConfigToWorkspace(tx, ws.id, valid(defaultFile)));
    const after = await state(ws.id);
    expect(after.pipelines).toEqual([
      { key: "sales", name: "Sales", isDefault: true, source: "config", stages: ["prospecting:Prospecting:10:open:null", "qualification:Qualification:25:open:null", "proposal:Proposal:50:open:null", "negotiation:Negotiation:75:open:null", "closed_won:Closed Won:100:won:null", "closed_lost:Closed Lost:0:lost:null"] },
    ]);
    const ids = (await db.select({ id: pipelineStages.id }).from(pipelineStages).where(eq(pipelineStages.workspaceId, ws.id))).map((r) => r.id).sort();
    expect(ids).toEqual(ws.stages.map((s) => s.id).sort());
    expect(after.reasons).toHaveLength(15);
    expect(first.log).not.toContainEqual(expect.stringMatching(/stage .*: created/));
    const second = await run((tx) => applyConfigToWorkspace(tx, ws.id, valid(defaultFile)));
    expect(second).toMatchObject({ changes: 0, log: [], kept: [] });
  });

  it.each([
    ["examples/recruiting", recruitingFile, ["candidates", "roles"], 9, "opportunity.seniority"],
    ["examples/saas-renewals", renewalsFile, ["renewals", "expansion"], 10, "opportunity.health"],
  ])("%s on a fresh workspace creates its pipelines, fields and reasons; a second apply changes nothing", async (_n, file, keys, fieldCount, filterable) => {
    const ws = await workspace();
    const config = valid(file);
    const first = await run((tx) => applyConfigToWorkspace(tx, ws.id, config));
    expect(first.changes).toBeGreaterThan(10);
    const after = await state(ws.id);
    expect(after.pipelines.map((p) => p.key)).toEqual([...keys, "sales"]);
    expect(after.pipelines.filter((p) => p.isDefault).map((p) => p.key)).toEqual([keys[0]]);
    for (const p of config.pipelines) {
      expect(after.pipelines.find((x) => x.key === p.key)!.stages).toEqual(p.stages.map((s) => `${s.key}:${s.name}:${s.probability}:${s.kind}:${s.agingDays ?? null}`));
    }
    expect(after.fields).toHaveLength(fieldCount);
    expect(after.fields.every((f) => f.endsWith(":config"))).toBe(true);
    const reasonCount = config.reasonCodes.won.length + config.reasonCodes.lost.length + config.reasonCodes.open.length;
    expect(after.reasons).toHaveLength(reasonCount);
    expect(first.filterable.map((f) => `${f.entity}.${f.key}`)).toContain(filterable);
    // The shipped "Sales" pipeline was made in the product, not by the file: kept, no longer the default.
    expect(after.pipelines.find((p) => p.key === "sales")).toMatchObject({ isDefault: false, source: "ui" });

    const second = await run((tx) => applyConfigToWorkspace(tx, ws.id, config));
    expect(second).toMatchObject({ changes: 0, log: [], kept: [] });
    expect(await state(ws.id)).toEqual(after);
  });

  it("the file wins for what it declares, keeps what ADMINs made, and never deletes a removed row that holds data", async () => {
    const ws = await workspace();
    const config = valid(recruitingFile);
    await run((tx) => applyConfigToWorkspace(tx, ws.id, config));
    const [candidates] = await db.select().from(pipelines).where(and(eq(pipelines.workspaceId, ws.id), eq(pipelines.key, "candidates")));
    const stageRows = await db.select().from(pipelineStages).where(eq(pipelineStages.pipelineId, candidates!.id));
    const offer = stageRows.find((s) => s.key === "offer")!;
    // An ADMIN's additions in the UI, and someone's edit to a declared row.
    await db.insert(pipelineStages).values({ workspaceId: ws.id, pipelineId: candidates!.id, name: "Reference check", position: 10, probability: 60, kind: "open" });
    await db.insert(customFields).values({ workspaceId: ws.id, entity: "opportunity", key: "referredBy", label: "Referred by", type: "text", source: "ui" });
    await db.insert(reasonCodes).values({ workspaceId: ws.id, kind: "lost", value: "ghosted", label: "Candidate ghosted", source: "ui" });
    await db.update(pipelineStages).set({ name: "Offer made", probability: 80 }).where(eq(pipelineStages.id, offer.id));
    await db.insert(opportunities).values({ workspaceId: ws.id, name: "Ada → Initech", stageId: offer.id, custom: { noticePeriodDays: 30 } });

    // The next version of the file: drops the "offer" stage (which holds a deal), the "roles" pipeline (empty),
    // the noticePeriodDays field (a deal has a value) and the skills field (none has), renames a reason.
    const next = valid({
      ...recruitingFile,
      pipelines: [{ ...recruitingFile.pipelines[0]!, stages: recruitingFile.pipelines[0]!.stages.filter((s) => s.key !== "offer") }],
      customFields: { ...recruitingFile.customFields, opportunity: recruitingFile.customFields!.opportunity!.filter((f) => f.key !== "noticePeriodDays" && f.key !== "skills") },
      reasonCodes: { ...recruitingFile.reasonCodes, lost: [{ value: "candidate_declined", label: "Declined" }] },
    } satisfies BespokeConfigInput);
    const report = await run((tx) => applyConfigToWorkspace(tx, ws.id, next));
    expect(report.kept).toEqual([
      'stage candidates.offer ("Offer made") is no longer in the file but holds 1 deal(s): kept; move them in Settings → Stages',
      'custom field opportunity.noticePeriodDays ("Notice period (days)") is no longer in the file but 1 record(s) hold values: kept; delete it in Settings → Fields',
    ]);
    const after = await state(ws.id);
    expect(after.pipelines.map((p) => p.key)).toEqual(["candidates", "sales"]);
    expect(after.pipelines[0]!.stages).toEqual([
      "sourced:Sourced:5:open:7", "screening:Screening:15:open:7", "client_interview:Client interview:40:open:14", "placed:Placed:100:won:null", "not_placed:Not placed:0:lost:null",
      "offer:Offer made:80:open:7", "null:Reference check:60:open:null",
    ]);
    expect(after.fields).toContain("opportunity.referredBy:text:ui");
    expect(after.fields).toContain("opportunity.noticePeriodDays:number:config");
    expect(after.fields.some((f) => f.startsWith("opportunity.skills"))).toBe(false);
    expect(after.reasons.filter((r) => r.startsWith("lost."))).toEqual(["lost.candidate_declined:config", "lost.ghosted:ui"]);
    const [declined] = await db.select().from(reasonCodes).where(and(eq(reasonCodes.workspaceId, ws.id), eq(reasonCodes.value, "candidate_declined"), isNull(reasonCodes.deletedAt)));
    expect(declined!.label).toBe("Declined");

    // Putting the full file back restores what the file declares and still keeps the UI rows.
    await run((tx) => applyConfigToWorkspace(tx, ws.id, config));
    const restored = await state(ws.id);
    expect(restored.pipelines.map((p) => p.key)).toEqual(["candidates", "roles", "sales"]);
    expect(restored.pipelines[0]!.stages.slice(0, 6)).toEqual(config.pipelines[0]!.stages.map((s) => `${s.key}:${s.name}:${s.probability}:${s.kind}:${s.agingDays ?? null}`));
    expect(restored.pipelines[0]!.stages[6]).toBe("null:Reference check:60:open:null");
    expect(await run((tx) => applyConfigToWorkspace(tx, ws.id, config))).toMatchObject({ changes: 0 });
  });

  it("never re-types a field that holds values; reports it instead", async () => {
    const ws = await workspace();
    const config = valid(recruitingFile);
    await run((tx) => applyConfigToWorkspace(tx, ws.id, config));
    const [stage] = await db.select().from(pipelineStages).where(and(eq(pipelineStages.workspaceId, ws.id), eq(pipelineStages.key, "sourced")));
    await db.insert(opportunities).values({ workspaceId: ws.id, name: "Deal", stageId: stage!.id, custom: { noticePeriodDays: 30 } });
    const retyped = valid({
      ...recruitingFile,
      customFields: { ...recruitingFile.customFields, opportunity: recruitingFile.customFields!.opportunity!.map((f) => (f.key === "noticePeriodDays" ? { ...f, type: "text" as const, label: "Notice" } : f)) },
    });
    const report = await run((tx) => applyConfigToWorkspace(tx, ws.id, retyped));
    expect(report.kept).toEqual(["custom field opportunity.noticePeriodDays stays number: the file says text, but 1 record(s) hold values; convert it in Settings → Fields"]);
    const [field] = await db.select().from(customFields).where(and(eq(customFields.workspaceId, ws.id), eq(customFields.key, "noticePeriodDays")));
    expect(field).toMatchObject({ type: "number", label: "Notice", version: 2 });
  });
});
