import { and, asc, count, eq, inArray, isNull, sql } from "drizzle-orm";
import { ensureCustomFieldIndexes, type IndexExecutor } from "../services/custom-fields/indexes";
import type { Executor } from "../../db/client";
import { accounts, automations, contacts, customFields, leads, opportunities, pipelines, pipelineStages, reasonCodes, workspaces } from "../../db/schema";
import { type BespokeConfig, CONFIG_ENTITIES, type ConfigEntity, type CustomFieldConfig } from "./define";
import { sha256Hex } from "../lib/tokens";

/** What one apply changed in one workspace; a second apply of the same file reports `changes: 0`. */
export interface ApplyReport {
  workspaceId: string;
  /** Rows inserted, updated or soft-deleted. */
  changes: number;
  /** One line per change ("pipeline candidates: created", "custom field opportunity.arr: updated label, type"). */
  log: string[];
  /** Rows the file no longer declares but that hold data, so they were kept (a deployer should look at them). */
  kept: string[];
  /** Live filterable custom fields of the workspace: each needs its expression index (ensureCustomFieldIndexes). */
  filterable: { entity: ConfigEntity; key: string }[];
}

const RECORD_TABLES = { account: accounts, contact: contacts, lead: leads, opportunity: opportunities } as const;

/** JSON with sorted keys: jsonb hands objects back with its own key order. */
function canon(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canon).join(",")}]`;
  if (v && typeof v === "object" && !(v instanceof Date)) {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canon((v as Record<string, unknown>)[k])}`).join(",")}}`;
  }
  return JSON.stringify(v ?? null);
}
const same = (a: unknown, b: unknown) => canon(a) === canon(b);

/** Field-by-field difference of `want` against `have`; only the keys that differ. */
function diff<T extends Record<string, unknown>>(have: Record<string, unknown>, want: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(want)) if (!same(have[k], v)) (out as Record<string, unknown>)[k] = v;
  return out;
}

/**
 * Applies the configuration to one workspace inside the given transaction (the caller opens one per workspace):
 * upserts pipelines and their stages by key, custom fields by (entity, key) and reason codes by (kind, value), all
 * marked source "config". What the file declares wins for the rows it declares; rows ADMINs made in the UI (source
 * "ui", stages without a key) are kept, ordered after the declared ones. A config row the file no longer declares is
 * soft-deleted when it holds nothing, and kept and reported when it does (deals in a stage, values in a field).
 * Idempotent: only differing columns are written, so a second apply changes nothing.
 */
export async function applyConfigToWorkspace(tx: Executor, workspaceId: string, config: BespokeConfig): Promise<ApplyReport> {
  // Two starters (npm start beside a deploy, two isolates' bootstrap) serialise per workspace.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`bespoke:config:${workspaceId}`}))`);
  const report: ApplyReport = { workspaceId, changes: 0, log: [], kept: [], filterable: [] };
  const note = (line: string) => {
    report.changes++;
    report.log.push(line);
  };
  const now = new Date();

  await applyPipelines(tx, workspaceId, config, note, report, now);
  await applyCustomFields(tx, workspaceId, config, note, report, now);
  await applyReasonCodes(tx, workspaceId, config, note, now);
  await applyAutomations(tx, workspaceId, config, note, now);

  const filterable = await tx
    .select({ entity: customFields.entity, key: customFields.key })
    .from(customFields)
    .where(and(eq(customFields.workspaceId, workspaceId), isNull(customFields.deletedAt), eq(customFields.filterable, true)))
    .orderBy(asc(customFields.entity), asc(customFields.position));
  report.filterable = filterable as ApplyReport["filterable"];
  return report;
}

type Note = (line: string) => void;

async function applyPipelines(tx: Executor, workspaceId: string, config: BespokeConfig, note: Note, report: ApplyReport, now: Date) {
  const live = await tx
    .select()
    .from(pipelines)
    .where(and(eq(pipelines.workspaceId, workspaceId), isNull(pipelines.deletedAt)))
    .orderBy(asc(pipelines.position));
  const byKey = new Map(live.map((p) => [p.key, p]));
  const defaultKey = (config.pipelines.find((p) => p.default) ?? config.pipelines[0]!).key;

  // At most one live default (a partial unique index): clear the old default before another row takes it.
  const oldDefault = live.find((p) => p.isDefault && p.key !== defaultKey);
  if (oldDefault) {
    await tx.update(pipelines).set({ isDefault: false, updatedAt: now }).where(eq(pipelines.id, oldDefault.id));
    note(`pipeline ${oldDefault.key}: no longer the default`);
  }

  const declaredKeys = new Set(config.pipelines.map((p) => p.key));
  const others = live.filter((p) => !declaredKeys.has(p.key));
  for (const [i, p] of config.pipelines.entries()) {
    const want = { name: p.name, position: i, isDefault: p.key === defaultKey, source: "config" };
    const have = byKey.get(p.key);
    let pipelineId: string;
    if (!have) {
      const [row] = await tx.insert(pipelines).values({ workspaceId, key: p.key, ...want }).returning({ id: pipelines.id });
      pipelineId = row!.id;
      note(`pipeline ${p.key}: created`);
    } else {
      pipelineId = have.id;
      const changed = diff(have, want);
      if (Object.keys(changed).length) {
        await tx.update(pipelines).set({ ...changed, updatedAt: now }).where(eq(pipelines.id, have.id));
        note(`pipeline ${p.key}: updated ${Object.keys(changed).join(", ")}`);
      }
    }
    await applyStages(tx, workspaceId, pipelineId, p, note, report, now);
  }

  // Pipelines the file does not declare: UI ones stay (after the declared ones); config ones go unless they hold deals.
  let position = config.pipelines.length;
  for (const p of others) {
    if (p.source === "config") {
      const deals = await dealsInPipeline(tx, workspaceId, p.id);
      if (deals === 0) {
        await tx.update(pipelineStages).set({ deletedAt: now, updatedAt: now }).where(and(eq(pipelineStages.pipelineId, p.id), isNull(pipelineStages.deletedAt)));
        await tx.update(pipelines).set({ deletedAt: now, isDefault: false, updatedAt: now }).where(eq(pipelines.id, p.id));
        note(`pipeline ${p.key}: deleted (no longer in the file, held no deals)`);
        continue;
      }
      report.kept.push(`pipeline ${p.key} ("${p.name}") is no longer in the file but holds ${deals} deal(s): kept; move them and remove it in Settings`);
    }
    if (p.position !== position) {
      await tx.update(pipelines).set({ position, updatedAt: now }).where(eq(pipelines.id, p.id));
      note(`pipeline ${p.key}: moved after the declared pipelines`);
    }
    position++;
  }
}

async function dealsInPipeline(tx: Executor, workspaceId: string, pipelineId: string): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(opportunities)
    .innerJoin(pipelineStages, eq(pipelineStages.id, opportunities.stageId))
    .where(and(eq(opportunities.workspaceId, workspaceId), eq(pipelineStages.pipelineId, pipelineId)));
  return row?.n ?? 0;
}

async function applyStages(
  tx: Executor,
  workspaceId: string,
  pipelineId: string,
  p: BespokeConfig["pipelines"][number],
  note: Note,
  report: ApplyReport,
  now: Date,
) {
  const live = await tx
    .select()
    .from(pipelineStages)
    .where(and(eq(pipelineStages.workspaceId, workspaceId), eq(pipelineStages.pipelineId, pipelineId), isNull(pipelineStages.deletedAt)))
    .orderBy(asc(pipelineStages.position));
  const byKey = new Map(live.filter((s) => s.key).map((s) => [s.key!, s]));
  const claimed = new Set<string>();
  for (const [i, s] of p.stages.entries()) {
    // A stage made before it had a key (the shipped default pipeline, a stage added in Settings) is adopted by name,
    // so applying the file to an existing workspace keeps its deals where they are instead of adding twins.
    const have =
      byKey.get(s.key) ?? live.find((r) => !r.key && !claimed.has(r.id) && r.name.trim().toLowerCase() === s.name.trim().toLowerCase());
    const want = { key: s.key, name: s.name, position: i, probability: s.probability, kind: s.kind, agingDays: s.agingDays ?? null };
    if (!have) {
      await tx.insert(pipelineStages).values({ workspaceId, pipelineId, ...want });
      note(`stage ${p.key}.${s.key}: created`);
      continue;
    }
    claimed.add(have.id);
    const changed = diff(have, want);
    if (Object.keys(changed).length) {
      await tx.update(pipelineStages).set({ ...changed, updatedAt: now }).where(eq(pipelineStages.id, have.id));
      note(`stage ${p.key}.${s.key}: updated ${Object.keys(changed).join(", ")}`);
    }
  }
  const declared = new Set(p.stages.map((s) => s.key));
  let position = p.stages.length;
  for (const s of live) {
    if (claimed.has(s.id) || (s.key && declared.has(s.key))) continue;
    if (s.key) {
      // A stage the file declared before (it has a key) and no longer does.
      const [row] = await tx.select({ n: count() }).from(opportunities).where(and(eq(opportunities.workspaceId, workspaceId), eq(opportunities.stageId, s.id)));
      if ((row?.n ?? 0) === 0) {
        await tx.update(pipelineStages).set({ deletedAt: now, updatedAt: now }).where(eq(pipelineStages.id, s.id));
        note(`stage ${p.key}.${s.key}: deleted (no longer in the file, held no deals)`);
        continue;
      }
      report.kept.push(`stage ${p.key}.${s.key} ("${s.name}") is no longer in the file but holds ${row!.n} deal(s): kept; move them in Settings → Stages`);
    }
    if (s.position !== position) {
      await tx.update(pipelineStages).set({ position, updatedAt: now }).where(eq(pipelineStages.id, s.id));
      note(`stage ${p.key}.${s.key ?? s.name}: moved after the declared stages`);
    }
    position++;
  }
}

function fieldRow(f: CustomFieldConfig, position: number) {
  const settings: Record<string, unknown> = {};
  if (f.currency) settings.currency = f.currency;
  if (f.target) settings.target = f.target;
  if (f.aiPrivate) settings.aiPrivate = true;
  return {
    label: f.label,
    type: f.type,
    options: (f.options ?? []).map((o) => ({ value: o.value, label: o.label, color: o.color ?? null })),
    settings,
    required: f.required,
    defaultValue: f.default ?? null,
    helpText: f.helpText ?? null,
    showOnCard: f.showOnCard,
    showInQuickCreate: f.showInQuickCreate,
    filterable: f.filterable,
    position,
    source: "config",
  };
}

async function recordsWithValue(tx: Executor, workspaceId: string, entity: ConfigEntity, key: string): Promise<number> {
  const t = RECORD_TABLES[entity];
  const [row] = await tx.select({ n: count() }).from(t).where(and(eq(t.workspaceId, workspaceId), sql`${t.custom} ? ${key}`));
  return row?.n ?? 0;
}

async function applyCustomFields(tx: Executor, workspaceId: string, config: BespokeConfig, note: Note, report: ApplyReport, now: Date) {
  const live = await tx
    .select()
    .from(customFields)
    .where(and(eq(customFields.workspaceId, workspaceId), isNull(customFields.deletedAt)))
    .orderBy(asc(customFields.position));
  for (const entity of CONFIG_ENTITIES) {
    const declared = config.customFields[entity];
    const rows = live.filter((r) => r.entity === entity);
    const byKey = new Map(rows.map((r) => [r.key, r]));
    for (const [i, f] of declared.entries()) {
      const want = fieldRow(f, i);
      const have = byKey.get(f.key);
      if (!have) {
        await tx.insert(customFields).values({ workspaceId, entity, key: f.key, ...want });
        note(`custom field ${entity}.${f.key}: created`);
        continue;
      }
      const changed = diff(have, want);
      if (changed.type !== undefined) {
        // Values are typed by the field: a type change with values needs the conversion in Settings → Fields, which
        // reports what does not convert. Never silently re-typed here.
        const n = await recordsWithValue(tx, workspaceId, entity, f.key);
        if (n > 0) {
          delete changed.type;
          report.kept.push(`custom field ${entity}.${f.key} stays ${have.type}: the file says ${f.type}, but ${n} record(s) hold values; convert it in Settings → Fields`);
        }
      }
      if (Object.keys(changed).length) {
        await tx.update(customFields).set({ ...changed, version: have.version + 1, updatedAt: now }).where(eq(customFields.id, have.id));
        note(`custom field ${entity}.${f.key}: updated ${Object.keys(changed).join(", ")}`);
      }
    }
    const keys = new Set(declared.map((f) => f.key));
    let position = declared.length;
    for (const r of rows) {
      if (keys.has(r.key)) continue;
      if (r.source === "config") {
        const n = await recordsWithValue(tx, workspaceId, entity, r.key);
        if (n === 0) {
          await tx.update(customFields).set({ deletedAt: now, updatedAt: now }).where(eq(customFields.id, r.id));
          note(`custom field ${entity}.${r.key}: deleted (no longer in the file, held no values; restorable for 30 days)`);
          continue;
        }
        report.kept.push(`custom field ${entity}.${r.key} ("${r.label}") is no longer in the file but ${n} record(s) hold values: kept; delete it in Settings → Fields`);
      }
      if (r.position !== position) {
        await tx.update(customFields).set({ position, updatedAt: now }).where(eq(customFields.id, r.id));
        note(`custom field ${entity}.${r.key}: moved after the declared fields`);
      }
      position++;
    }
  }
}

async function applyReasonCodes(tx: Executor, workspaceId: string, config: BespokeConfig, note: Note, now: Date) {
  const live = await tx
    .select()
    .from(reasonCodes)
    .where(and(eq(reasonCodes.workspaceId, workspaceId), isNull(reasonCodes.deletedAt)))
    .orderBy(asc(reasonCodes.position));
  for (const kind of ["won", "lost", "open"] as const) {
    const declared = config.reasonCodes[kind];
    const rows = live.filter((r) => r.kind === kind);
    const byValue = new Map(rows.map((r) => [r.value, r]));
    for (const [i, c] of declared.entries()) {
      const want = { label: c.label, position: i, source: "config" };
      const have = byValue.get(c.value);
      if (!have) {
        await tx.insert(reasonCodes).values({ workspaceId, kind, value: c.value, ...want });
        note(`reason ${kind}.${c.value}: created`);
        continue;
      }
      const changed = diff(have, want);
      if (Object.keys(changed).length) {
        await tx.update(reasonCodes).set({ ...changed, updatedAt: now }).where(eq(reasonCodes.id, have.id));
        note(`reason ${kind}.${c.value}: updated ${Object.keys(changed).join(", ")}`);
      }
    }
    const values = new Set(declared.map((c) => c.value));
    const stale = rows.filter((r) => !values.has(r.value) && r.source === "config");
    // A chosen reason is copied onto the stage-change activity as text, so removing a code loses no history.
    if (stale.length) {
      await tx.update(reasonCodes).set({ deletedAt: now, updatedAt: now }).where(inArray(reasonCodes.id, stale.map((r) => r.id)));
      for (const r of stale) note(`reason ${kind}.${r.value}: deleted (no longer in the file)`);
    }
    let position = declared.length;
    for (const r of rows) {
      if (values.has(r.value) || r.source === "config") continue;
      if (r.position !== position) {
        await tx.update(reasonCodes).set({ position, updatedAt: now }).where(eq(reasonCodes.id, r.id));
        note(`reason ${kind}.${r.value}: moved after the declared reasons`);
      }
      position++;
    }
  }
}

/**
 * Rules by key, source "config". A rule is (re)written only when the file's declaration differs from the one last
 * applied (config_hash), so an ADMIN's edits and pauses of a shipped rule survive restarts until the file changes
 * that rule. Rules the file no longer declares are deleted (soft: their run history stays).
 */
async function applyAutomations(tx: Executor, workspaceId: string, config: BespokeConfig, note: Note, now: Date) {
  const live = await tx
    .select()
    .from(automations)
    .where(and(eq(automations.workspaceId, workspaceId), isNull(automations.deletedAt), eq(automations.source, "config")));
  const byKey = new Map(live.map((r) => [r.key, r]));
  for (const rule of config.automations) {
    const { key, ...decl } = rule;
    const hash = await sha256Hex(canon(decl));
    const values = {
      name: decl.name,
      description: decl.description ?? null,
      enabled: decl.enabled,
      triggerType: decl.trigger.type,
      trigger: decl.trigger,
      conditions: decl.conditions,
      actions: decl.actions,
      configHash: hash,
    };
    const have = byKey.get(key);
    if (!have) {
      await tx.insert(automations).values({ workspaceId, key, source: "config", ...values });
      note(`automation ${key}: created`);
    } else if (have.configHash !== hash) {
      await tx.update(automations).set({ ...values, version: have.version + 1, updatedAt: now }).where(eq(automations.id, have.id));
      note(`automation ${key}: updated from the file`);
    }
  }
  const declared = new Set(config.automations.map((r) => r.key));
  for (const r of live) {
    if (r.key && declared.has(r.key)) continue;
    await tx.update(automations).set({ deletedAt: now, enabled: false, updatedAt: now }).where(eq(automations.id, r.id));
    note(`automation ${r.key}: deleted (no longer in the file)`);
  }
}

export type RunInTransaction = <T>(fn: (tx: Executor) => Promise<T>) => Promise<T>;

/**
 * What follows a workspace's apply outside its transaction: the expression indexes of its filterable custom fields
 * and the search index over textual ones (index builds do not belong in the apply's transaction).
 */
export async function afterApply(db: IndexExecutor, workspaceId: string): Promise<void> {
  await ensureCustomFieldIndexes(db, workspaceId);
}

/** Applies the configuration to every live workspace, one transaction each (a failure leaves that workspace as it was). */
export async function applyConfigToAllWorkspaces(db: Executor, run: RunInTransaction, config: BespokeConfig): Promise<ApplyReport[]> {
  const list = await db.select({ id: workspaces.id }).from(workspaces).where(isNull(workspaces.deletedAt)).orderBy(asc(workspaces.createdAt));
  const reports: ApplyReport[] = [];
  for (const ws of list) {
    const report = await run((tx) => applyConfigToWorkspace(tx, ws.id, config));
    await afterApply(db, ws.id);
    reports.push(report);
  }
  return reports;
}

/** Lines for a terminal: what changed per workspace, and what was kept for a human to decide. */
export function describeApply(reports: ApplyReport[]): string[] {
  const changed = reports.reduce((n, r) => n + r.changes, 0);
  const lines = [`configuration applied to ${reports.length} workspace(s): ${changed === 0 ? "already up to date" : `${changed} change(s)`}`];
  const SHOWN = 8;
  for (const r of reports) {
    // A first apply writes dozens of rows: the first few say what kind of change it was, the count says the rest.
    for (const l of r.log.slice(0, SHOWN)) lines.push(`  ${r.workspaceId.slice(0, 8)} ${l}`);
    if (r.log.length > SHOWN) lines.push(`  ${r.workspaceId.slice(0, 8)} … and ${r.log.length - SHOWN} more`);
    for (const k of r.kept) lines.push(`  ${r.workspaceId.slice(0, 8)} ⚠ ${k}`);
  }
  return lines;
}
