import { and, asc, eq, inArray, isNull, or } from "drizzle-orm";
import type { Tx } from "../../../db/client";
import { accounts, contacts, pipelines, pipelineStages, users } from "../../../db/schema";
import { isUuid } from "../../lib/uuid";
import type { RelationGroup } from "./fields";
import { idsByLowerKey } from "./key-lookup";

/** A record a relation cell points at. `live` = not in the trash (users: active); a non-live target is only accepted
 * where the record already links to it, so re-importing an export never fails on a trashed account. */
export interface Target {
  id: string;
  live: boolean;
  name?: string;
}

export interface Lookups {
  usersByEmail: Map<string, Target>;
  usersById: Map<string, Target>;
  stagesById: Map<string, Target & { kind: "open" | "won" | "lost"; pipelineId: string }>;
  /** Live stages by pipeline id and lower-cased name (`stageKey`); more than one entry means the name is ambiguous. */
  stagesByName: Map<string, Target[]>;
  /** Live pipelines by lower-cased name and by key (the `pipeline` column accepts either). */
  pipelinesByName: Map<string, Target>;
  defaultPipelineId: string | undefined;
  /** The default pipeline's first open stage (new deals without a stage or pipeline cell). */
  firstOpenStageId: string | undefined;
  firstOpenStageByPipeline: Map<string, string>;
}

/** A stage name is unique within its pipeline, not across the workspace. */
export const stageKey = (pipelineId: string | undefined, name: string) => `${pipelineId ?? ""}:${key(name)}`;

export { isUuid };
export const key = (s: string) => s.trim().toLowerCase();

/** Users, pipelines and stages are few per workspace: read once per import. */
export async function loadLookups(tx: Tx, workspaceId: string): Promise<Lookups> {
  const [us, st, ps] = await Promise.all([
    tx.select({ id: users.id, email: users.email, active: users.active }).from(users).where(eq(users.workspaceId, workspaceId)),
    tx
      .select({ id: pipelineStages.id, name: pipelineStages.name, kind: pipelineStages.kind, deletedAt: pipelineStages.deletedAt, position: pipelineStages.position, pipelineId: pipelineStages.pipelineId })
      .from(pipelineStages)
      .where(eq(pipelineStages.workspaceId, workspaceId)),
    tx
      .select({ id: pipelines.id, name: pipelines.name, key: pipelines.key, isDefault: pipelines.isDefault })
      .from(pipelines)
      .where(and(eq(pipelines.workspaceId, workspaceId), isNull(pipelines.deletedAt)))
      .orderBy(asc(pipelines.position)),
  ]);
  const out: Lookups = {
    usersByEmail: new Map(), usersById: new Map(), stagesById: new Map(), stagesByName: new Map(),
    pipelinesByName: new Map(), defaultPipelineId: undefined, firstOpenStageId: undefined, firstOpenStageByPipeline: new Map(),
  };
  for (const p of ps) {
    const t = { id: p.id, live: true, name: p.name };
    out.pipelinesByName.set(key(p.name), t);
    out.pipelinesByName.set(key(p.key), t);
    if (p.isDefault) out.defaultPipelineId = p.id;
  }
  for (const u of us) {
    const t = { id: u.id, live: u.active, name: u.email };
    out.usersByEmail.set(key(u.email), t);
    out.usersById.set(u.id, t);
  }
  for (const s of st.sort((a, b) => a.position - b.position)) {
    const t = { id: s.id, live: s.deletedAt === null, name: s.name, kind: s.kind, pipelineId: s.pipelineId };
    out.stagesById.set(s.id, t);
    if (!t.live) continue;
    const k = stageKey(s.pipelineId, s.name);
    out.stagesByName.set(k, [...(out.stagesByName.get(k) ?? []), t]);
    if (!out.firstOpenStageByPipeline.has(s.pipelineId) && s.kind === "open") out.firstOpenStageByPipeline.set(s.pipelineId, s.id);
  }
  out.firstOpenStageId = out.defaultPipelineId ? out.firstOpenStageByPipeline.get(out.defaultPipelineId) : undefined;
  return out;
}

export interface RecordLookup {
  byId: Map<string, Target>;
  byExternalId: Map<string, Target>;
  /** Live records by lower-cased name (accounts only). */
  byName: Map<string, Target[]>;
}

/**
 * Accounts or contacts a batch refers to, in one query: by id, by externalId (a record without one answers to its
 * id, which is what the export writes for it) and, for accounts, by name among live records.
 */
export async function lookupRecords(
  tx: Tx,
  workspaceId: string,
  group: Extract<RelationGroup, "account" | "primaryContact">,
  want: { ids: Set<string>; externalIds: Set<string>; names: Set<string> },
): Promise<RecordLookup> {
  const out: RecordLookup = { byId: new Map(), byExternalId: new Map(), byName: new Map() };
  const ids = [...new Set([...want.ids, ...[...want.externalIds].filter(isUuid)])].map((s) => s.toLowerCase());
  const exts = [...want.externalIds];
  const names = group === "account" ? [...want.names] : [];
  if (!ids.length && !exts.length && !names.length) return out;
  const tbl = group === "account" ? accounts : contacts;
  const conds = [];
  if (ids.length) conds.push(inArray(tbl.id, ids));
  if (exts.length) conds.push(inArray(tbl.externalId, exts));
  // Names in the shape of their index (see idsByLowerKey), then every wanted row in one query.
  const nameIds = await idsByLowerKey(tx, accounts, accounts.name, workspaceId, names);
  if (nameIds.length) conds.push(inArray(tbl.id, nameIds));
  if (!conds.length) return out;
  const rows = await tx
    .select({ id: tbl.id, externalId: tbl.externalId, deletedAt: tbl.deletedAt, name: tbl.name })
    .from(tbl)
    .where(and(eq(tbl.workspaceId, workspaceId), or(...conds)));
  for (const r of rows) {
    const t: Target = { id: r.id, live: r.deletedAt === null, name: r.name ?? "" };
    out.byId.set(r.id, t);
    if (r.externalId !== null) out.byExternalId.set(r.externalId, t);
    if (t.live && group === "account") out.byName.set(key(t.name!), [...(out.byName.get(key(t.name!)) ?? []), t]);
  }
  // An externalId that is no record's externalId may be a record's id (exported records without one).
  for (const e of exts) if (!out.byExternalId.has(e) && isUuid(e) && out.byId.has(e.toLowerCase())) out.byExternalId.set(e, out.byId.get(e.toLowerCase())!);
  return out;
}
