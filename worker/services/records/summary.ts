import { and, sql, type SQL } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { entityDecl, type EntityDecl } from "../../../domain";
import { ValidationError } from "../../lib/errors";
import type { ListQuery } from "../../schemas/records";
import type { EntityDef } from "./entities";
import { listWhere } from "./where";

const GROUPABLE_CORE = new Set(["single_select", "user", "record_link", "checkbox"]);
const GROUPABLE_CUSTOM = new Set(["single_select", "user", "checkbox"]);

/** A money field's sums, one per currency (amounts in minor units; never added across currencies). */
export interface MoneyTotals {
  field: string;
  sums: { currency: string; amount: number }[];
}

/**
 * Count and money totals of every record a list's filters select (not just the loaded page), optionally per value
 * of a select, user or stage field (`groupBy`): the grid's totals row and group headers. One aggregate over the same
 * WHERE as the list (where.ts), so its index serves both.
 */
export async function summarizeRecords(input: { db: Database; workspaceId: string; def: EntityDef; query: ListQuery; custom?: Record<string, string>; groupBy?: string }) {
  const { db, def } = input;
  const tbl = def.table;
  const decl: EntityDecl | null = def.type === "activity" ? null : entityDecl(def.type);
  const { where, fields } = await listWhere({ ...input, needFields: !!input.groupBy?.startsWith("custom.") });

  let group: SQL | null = null;
  if (input.groupBy) {
    const fail = (message: string) => new ValidationError(`Cannot group by "${input.groupBy}"`, [{ path: "groupBy", message }], 400);
    if (input.groupBy.startsWith("custom.")) {
      const key = input.groupBy.slice("custom.".length);
      const f = fields.find((x) => x.key === key);
      if (!f || !GROUPABLE_CUSTOM.has(f.type)) throw fail("not a select, user or checkbox custom field");
      group = sql`(${tbl.custom} ->> ${key})`;
    } else {
      const f = decl?.fields[input.groupBy];
      const col = tbl[input.groupBy];
      const activityType = def.type === "activity" && input.groupBy === "type";
      if (!activityType && (!f || !col || !GROUPABLE_CORE.has(f.type) || f.column === null)) throw fail("not a select, owner or stage field of this record type");
      group = sql`${col}::text`;
    }
  }

  const money = decl ? Object.entries(decl.fields).filter(([k, f]) => f.type === "money" && tbl[k] && tbl.currency) : [];
  const sums = money.map(([k]) => sql`coalesce(sum(${tbl[k]}), 0)::bigint`);
  const keyExpr = group ?? sql`null::text`;
  const rows = await db.http
    .select({
      key: sql<string | null>`${keyExpr}`,
      currency: tbl.currency ? sql<string | null>`${tbl.currency}` : sql<string | null>`null::text`,
      count: sql<number>`count(*)::int`,
      ...Object.fromEntries(sums.map((s, i) => [`m${i}`, sql<string>`${s}`])),
    })
    .from(tbl)
    .where(and(...where))
    .groupBy(sql`1`, sql`2`); // by position: a bound parameter in the key (a custom field's key) would differ between SELECT and GROUP BY

  type Bucket = { key: string | null; count: number; totals: MoneyTotals[] };
  const bucket = (): Bucket => ({ key: null, count: 0, totals: money.map(([k]) => ({ field: k, sums: [] })) });
  const all = bucket();
  const groups = new Map<string | null, Bucket>();
  for (const r of rows as Record<string, unknown>[]) {
    const key = (r.key as string | null) ?? null;
    const g = groups.get(key) ?? { ...bucket(), key };
    groups.set(key, g);
    for (const b of [all, g]) {
      b.count += r.count as number;
      money.forEach((_, i) => {
        const amount = Number(r[`m${i}`] ?? 0);
        const currency = (r.currency as string | null) ?? "";
        if (!amount) return;
        const t = b.totals[i]!.sums.find((s) => s.currency === currency);
        if (t) t.amount += amount;
        else b.totals[i]!.sums.push({ currency, amount });
      });
    }
  }
  const byCount = [...groups.values()].sort((a, b) => b.count - a.count);
  return { count: all.count, totals: all.totals, groups: input.groupBy ? byCount : [] };
}
