import { accounts } from "../../../db/schema";
import { serialize } from "../records/serialize";
import { groupField, relationOf, type RelationGroup } from "./fields";
import { isUuid, key, lookupRecords, stageKey, type RecordLookup, type Target } from "./resolve";
import { addError, groupOrder, type BatchContext, type Row } from "./row";
import { pickCandidate, sessionAmong } from "./session";

/**
 * Relation cells → foreign keys, with one query per related table for the whole batch. Within a group the most
 * precise cell wins (id, then externalId, then name); an empty group clears the link. Rows whose account is missing
 * are queued for createMissingAccounts when the option is on.
 */
export async function resolveRelations(ctx: BatchContext, rows: Row[]): Promise<void> {
  const { plan, lookups, tx, actor, options } = ctx;
  const want = (group: "account" | "primaryContact") => {
    const w = { ids: new Set<string>(), externalIds: new Set<string>(), names: new Set<string>() };
    const [idF, extF, nameF] = groupOrder[group];
    for (const r of rows) {
      if (r.rel[idF!] && isUuid(r.rel[idF!]!)) w.ids.add(r.rel[idF!]!.toLowerCase());
      if (r.rel[extF!]) w.externalIds.add(r.rel[extF!]!);
      if (nameF && r.rel[nameF]) w.names.add(key(r.rel[nameF]!));
    }
    return w;
  };
  const empty: RecordLookup = { byId: new Map(), byExternalId: new Map(), byName: new Map() };
  const [acc, con] = await Promise.all([
    plan.groups.has("account") ? lookupRecords(tx, actor.workspaceId, "account", want("account")) : empty,
    plan.groups.has("primaryContact") ? lookupRecords(tx, actor.workspaceId, "primaryContact", want("primaryContact")) : empty,
  ]);
  const inSession = await sessionAmong(ctx.session, acc.byName.values());
  const resolveAccountName = (name: string): { found?: Target; ambiguous?: string } => {
    const list = acc.byName.get(key(name)) ?? [];
    const found = pickCandidate(list, name, inSession);
    if (!found && list.length > 1) return { ambiguous: `${list.length} accounts are named "${name}"; add an accountExternalId column to pick one` };
    return { found };
  };

  for (const row of rows) {
    for (const group of plan.groups) {
      const field = groupOrder[group].find((f) => row.rel[f] !== undefined);
      const target = groupField[group];
      if (!field) {
        row.values[target] = null;
        continue;
      }
      const value = row.rel[field]!;
      const header = plan.headerOf.get(field) ?? field;
      const by = relationOf[field]!.by;
      let found: Target | undefined;
      let problem: string | undefined;
      if (by === "id" && !isUuid(value)) problem = "must be a UUID";
      else if (group === "owner") {
        found = by === "id" ? lookups.usersById.get(value.toLowerCase()) : lookups.usersByEmail.get(key(value));
        if (!found) problem = by === "id" ? "no user with this id in your workspace" : `no user with the e-mail "${value}" in your workspace`;
      } else if (group === "stage") {
        // The pipeline cell (name or key) says where a stage name is looked up; without one, the default pipeline.
        const pipelineCell = row.rel.pipeline;
        const pipeline = pipelineCell === undefined ? undefined : lookups.pipelinesByName.get(key(pipelineCell));
        if (pipelineCell !== undefined && !pipeline) {
          const names = [...new Set([...lookups.pipelinesByName.values()].map((p) => p.name))];
          addError(row, plan.headerOf.get("pipeline") ?? "pipeline", `no pipeline named "${pipelineCell}" (pipelines: ${names.join(", ")})`);
          continue;
        }
        if (pipeline) row.pipelineId = pipeline.id;
        const inPipeline = pipeline?.id ?? lookups.defaultPipelineId;
        if (by === "pipeline") continue; // no stage cell: validateRow keeps the deal's stage or picks the pipeline's first open one
        if (by === "id") {
          found = lookups.stagesById.get(value.toLowerCase());
          if (found && pipeline && lookups.stagesById.get(found.id)!.pipelineId !== pipeline.id) problem = `is not a stage of the pipeline "${pipeline.name}"`;
        } else {
          const list = lookups.stagesByName.get(stageKey(inPipeline, value)) ?? [];
          if (list.length > 1) problem = `${list.length} stages are named "${value}"; rename one in Settings`;
          found = list.length === 1 ? list[0] : undefined;
        }
        if (!found && !problem) {
          const names = [...lookups.stagesById.values()].filter((s) => s.live && s.pipelineId === inPipeline).map((s) => s.name);
          problem = by === "id" ? "no stage with this id in your pipeline" : `no stage named "${value}" (stages: ${names.join(", ")}); map the file's values with options.valueMap.stageName`;
        }
      } else {
        const look = group === "account" ? acc : con;
        const label = group === "account" ? "account" : "contact";
        if (by === "id") {
          found = look.byId.get(value.toLowerCase());
          if (!found) problem = `no ${label} with this id in your workspace`;
        } else if (by === "externalId") {
          found = look.byExternalId.get(value);
          const name = group === "account" ? row.rel.accountName : undefined;
          if (found && name && key(found.name ?? "") !== key(name)) {
            problem = `accountExternalId "${value}" is the account "${found.name}", not "${name}"; clear one of the two cells`;
          } else if (!found && name) {
            const byName = resolveAccountName(name);
            if (byName.found) found = byName.found;
            else if (byName.ambiguous) problem = byName.ambiguous;
            else if (options.createMissingAccounts) row.createAccount = { name, externalId: value };
            else problem = `no account with externalId "${value}" or named "${name}"; set createMissingAccounts to create it`;
          } else if (!found) problem = `no ${label} with externalId "${value}" in your workspace`;
        } else {
          const byName = resolveAccountName(value);
          if (byName.found) found = byName.found;
          else if (byName.ambiguous) problem = byName.ambiguous;
          else if (options.createMissingAccounts) row.createAccount = { name: value, externalId: null };
          else problem = `no account named "${value}"; set createMissingAccounts to create it`;
        }
      }
      if (problem) addError(row, header, problem);
      if (found) {
        row.values[target] = found.id;
        row.targets[group] = found;
      }
    }
  }
}

/** Accounts named by valid rows but not found: created once per name (or per externalId) in the import's transaction. */
export async function createMissingAccounts(ctx: BatchContext, rows: Row[]): Promise<void> {
  const pending = rows.filter((r) => r.createAccount && r.errors.length === 0);
  if (!pending.length) return;
  const keyOf = (a: { name: string; externalId: string | null }) => (a.externalId !== null ? `x:${a.externalId}` : `n:${key(a.name)}`);
  const wanted = new Map<string, { name: string; externalId: string | null }>();
  for (const r of pending) if (!wanted.has(keyOf(r.createAccount!))) wanted.set(keyOf(r.createAccount!), r.createAccount!);
  const made = await ctx.tx
    .insert(accounts)
    .values([...wanted.values()].map((a) => ({ workspaceId: ctx.actor.workspaceId, name: a.name, externalId: a.externalId, ownerId: ctx.actor.userId })))
    .returning();
  const byKey = new Map(made.map((a) => [keyOf({ name: a.name, externalId: a.externalId }), a]));
  for (const r of pending) {
    const a = byKey.get(keyOf(r.createAccount!))!;
    r.values.accountId = a.id;
    r.targets.account = { id: a.id, live: true, name: a.name };
  }
  ctx.result.accountsCreated += made.length;
  await ctx.session.rememberAccounts(made.map((a) => a.id));
  for (const a of made) ctx.events.push({ type: "account.created", entityType: "account", entityId: a.id, data: serialize(a as Record<string, unknown>) });
}

