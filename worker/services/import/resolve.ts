import { and, eq, inArray, or } from "drizzle-orm";
import type { Tx } from "../../../db/client";
import { accounts, contacts, pipelineStages, users } from "../../../db/schema";
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
  stagesById: Map<string, Target & { kind: "open" | "won" | "lost" }>;
  /** Live stages by lower-cased name; more than one entry means the name is ambiguous. */
  stagesByName: Map<string, Target[]>;
  firstOpenStageId: string | undefined;
}

export { isUuid };
export const key = (s: string) => s.trim().toLowerCase();

/** Users and stages are few per workspace: read once per import. */
export async function loadLookups(tx: Tx, workspaceId: string): Promise<Lookups> {
  const [us, st] = await Promise.all([
    tx.select({ id: users.id, email: users.email, active: users.active }).from(users).where(eq(users.workspaceId, workspaceId)),
    tx
      .select({ id: pipelineStages.id, name: pipelineStages.name, kind: pipelineStages.kind, deletedAt: pipelineStages.deletedAt, position: pipelineStages.position })
      .from(pipelineStages)
      .where(eq(pipelineStages.workspaceId, workspaceId)),
  ]);
  const out: Lookups = { usersByEmail: new Map(), usersById: new Map(), stagesById: new Map(), stagesByName: new Map(), firstOpenStageId: undefined };
  for (const u of us) {
    const t = { id: u.id, live: u.active, name: u.email };
    out.usersByEmail.set(key(u.email), t);
    out.usersById.set(u.id, t);
  }
  for (const s of st.sort((a, b) => a.position - b.position)) {
    const t = { id: s.id, live: s.deletedAt === null, name: s.name, kind: s.kind };
    out.stagesById.set(s.id, t);
    if (!t.live) continue;
    out.stagesByName.set(key(s.name), [...(out.stagesByName.get(key(s.name)) ?? []), t]);
    if (!out.firstOpenStageId && s.kind === "open") out.firstOpenStageId = s.id;
  }
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
