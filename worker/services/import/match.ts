import { and, eq, inArray, isNull, or } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import { entityMatchKeys, type MatchKey } from "../../schemas/import-export";
import { idsByLowerKey } from "./key-lookup";
import { isUuid, key, type Target } from "./resolve";
import { addError, type BatchContext, type Row } from "./row";
import { pickCandidate, sessionAmong } from "./session";

type NaturalKey = Exclude<MatchKey, "externalId">;
type Rec = Record<string, unknown>;

const keyLabel: Record<NaturalKey, string> = { email: "e-mail", domain: "domain", name: "name" };

/**
 * Finds (and locks) the existing record each valid row is about, then applies the duplicate handling.
 * Order: the externalId (or, for records exported without one, their id), then the entity's natural keys —
 * contacts and leads by e-mail, accounts by domain, then by exact name among accounts without another domain.
 * A candidate that carries a different externalId is another record of the source system and never matches.
 * Natural keys are looked up among live rows by idsByLowerKey, in the shape of their indexes, so 1M contacts cost
 * about what a thousand do.
 */
export async function matchExisting(ctx: BatchContext, rows: Row[]): Promise<void> {
  const valid = rows.filter((r) => !r.errors.length);
  await matchByExternalId(ctx, valid);
  await matchByNaturalKeys(ctx, valid.filter((r) => !r.match));
  applyDuplicateMode(ctx, valid);
}

async function matchByExternalId(ctx: BatchContext, rows: Row[]): Promise<void> {
  const table = ctx.spec.def.table;
  const exts = [...new Set(rows.filter((r) => r.values.externalId).map((r) => r.values.externalId as string))];
  if (!exts.length) return;
  const ids = exts.filter(isUuid).map((s) => s.toLowerCase());
  const existing = (await ctx.tx
    .select()
    .from(table)
    .where(and(eq(table.workspaceId!, ctx.actor.workspaceId), or(inArray(table.externalId!, exts), ids.length ? inArray(table.id!, ids) : undefined)))
    .for("update")) as Rec[];
  const byExt = new Map(existing.filter((e) => e.externalId !== null).map((e) => [e.externalId as string, e]));
  const byId = new Map(existing.map((e) => [e.id as string, e]));
  for (const row of rows) {
    const ext = row.values.externalId as string | null;
    if (!ext) continue;
    const hit = byExt.get(ext);
    if (hit) {
      row.before = hit;
      row.match = { id: hit.id as string, by: "externalId" };
    } else if (isUuid(ext) && byId.has(ext.toLowerCase())) {
      row.before = byId.get(ext.toLowerCase());
      row.match = { id: row.before!.id as string, by: "id" };
    }
  }
}

/** The natural key a row offers, in match order, with its lower-cased value. */
function naturalKeys(ctx: BatchContext, row: Row): { k: NaturalKey; v: string; raw: string }[] {
  const keys = entityMatchKeys[ctx.spec.entity].filter((k): k is NaturalKey => k !== "externalId" && ctx.plan.headerOf.has(k));
  return keys.flatMap((k) => {
    const raw = row.values[k];
    return typeof raw === "string" && raw.trim() ? [{ k, v: key(raw), raw }] : [];
  });
}

async function matchByNaturalKeys(ctx: BatchContext, rows: Row[]): Promise<void> {
  const { tx, spec, actor } = ctx;
  const table = spec.def.table;
  const wanted = new Map<NaturalKey, Set<string>>();
  for (const row of rows) for (const { k, v } of naturalKeys(ctx, row)) wanted.set(k, (wanted.get(k) ?? new Set()).add(v));
  if (!wanted.size) return;
  const ids = (await Promise.all([...wanted].map(([k, vs]) => idsByLowerKey(tx, table, table[k] as PgColumn, actor.workspaceId, [...vs])))).flat();
  if (!ids.length) return;
  const existing = (await tx
    .select()
    .from(table)
    .where(and(eq(table.workspaceId!, actor.workspaceId), isNull(table.deletedAt!), inArray(table.id!, [...new Set(ids)])))
    .for("update")) as Rec[];
  const index = new Map<string, Rec[]>();
  for (const rec of existing) {
    for (const k of wanted.keys()) {
      const v = rec[k];
      if (typeof v === "string" && v) index.set(`${k}:${key(v)}`, [...(index.get(`${k}:${key(v)}`) ?? []), rec]);
    }
  }
  const candidatesOf = (row: Row, k: NaturalKey, v: string) =>
    (index.get(`${k}:${v}`) ?? []).filter((rec) => {
      // Another externalId is another record of the source system, and an account with another domain another company.
      if (rec.externalId != null && row.values.externalId != null && rec.externalId !== row.values.externalId) return false;
      if (k === "name" && typeof row.values.domain === "string" && row.values.domain && rec.domain != null) return key(rec.domain as string) === key(row.values.domain);
      return true;
    });
  const asTarget = (rec: Rec, k: NaturalKey): Target & { rec: Rec } => ({ id: rec.id as string, live: true, name: String(rec[k] ?? ""), rec });
  const lists = rows.flatMap((row) => naturalKeys(ctx, row).map(({ k, v }) => candidatesOf(row, k, v).map((rec) => asTarget(rec, k))));
  // Only accounts are remembered by import sessions (they are what later files name).
  const inSession = spec.entity === "accounts" ? await sessionAmong(ctx.session, lists) : new Set<string>();
  const label = spec.def.label.toLowerCase();

  for (const row of rows) {
    for (const { k, v, raw } of naturalKeys(ctx, row)) {
      const list = candidatesOf(row, k, v).map((rec) => asTarget(rec, k));
      if (!list.length) continue;
      const picked = pickCandidate(list, raw, inSession);
      if (picked) {
        row.before = picked.rec;
        row.match = { id: picked.id, by: k };
      } else if (ctx.options.duplicates === "update") {
        addError(row, ctx.plan.headerOf.get(k) ?? k, `${list.length} ${label}s have the ${keyLabel[k]} "${raw}"; add an externalId column to say which one this row updates`);
      } else {
        row.match = { id: list[0]!.id, by: k };
      }
      break;
    }
  }
}

/**
 * update: natural-key matches update that record (externalId matches are upserts already); skip: matched rows are
 * left alone; create: natural-key matches are created anyway, but an externalId belongs to one record, so a row
 * repeating one is refused. Within one file, two rows may not both become the same record.
 */
function applyDuplicateMode(ctx: BatchContext, rows: Row[]): void {
  const { options, plan, result, spec } = ctx;
  const mode = options.duplicates;
  const label = spec.def.label.toLowerCase();
  const extHeader = plan.headerOf.get("externalId") ?? "externalId";
  for (const row of rows) {
    if (row.errors.length) continue;
    const m = row.match;
    if (m) {
      result.matched.total++;
      result.matched[m.by === "id" ? "externalId" : m.by]++;
    }
    if (mode === "skip" && m) {
      row.duplicateSkipped = true;
      continue;
    }
    if (mode === "create") {
      if (m && (m.by === "externalId" || m.by === "id")) {
        addError(row, extHeader, `externalId "${row.values.externalId}" is already the ${label} "${row.before?.name ?? m.id}"; with duplicate handling "create" clear the externalId cell, or choose "update"`);
      } else if (m) {
        // Counted as a match above, but the row becomes a record of its own (and that one is the session's).
        row.before = undefined;
        row.match = undefined;
      }
      continue;
    }
    if (m && m.by !== "externalId") row.matchId = m.id;
    // Repeats within the file: the same record twice, or two new rows with the same natural key.
    const first = naturalKeys(ctx, row)[0];
    const seenKey = m ? `record:${m.id}` : !row.values.externalId && first ? `${first.k}:${first.v}` : undefined;
    if (!seenKey) continue;
    const earlier = ctx.matchedBy.get(seenKey);
    if (earlier === undefined) ctx.matchedBy.set(seenKey, row.rowNo);
    else if (m) addError(row, null, `updates the same ${label} as row ${earlier} (matched by ${m.by === "id" ? "id" : m.by === "externalId" ? "externalId" : keyLabel[m.by]})`);
    else addError(row, plan.headerOf.get(first!.k) ?? first!.k, `the ${keyLabel[first!.k]} "${first!.raw}" already appears on row ${earlier} of this file`);
  }
}
