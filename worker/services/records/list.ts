import { and, asc, desc, getTableName, sql, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import type { Database } from "../../../db/client";
import { afterCursor, decodeCursor, encodeCursor, type Keyset } from "../../lib/cursor";
import { ValidationError } from "../../lib/errors";
import type { ListQuery } from "../../schemas/records";
import type { EntityDef } from "./entities";
import { withAccountNames, withActivityContext } from "./activity-context";
import { serialize } from "./serialize";
import { customSort } from "../custom-fields/query";
import { cachedListRegistry, forgetListRegistry, loadListRegistry, readRegistryStamp, registryStamp, type ListRegistry } from "../custom-fields/list-registry";
import { whereOf } from "./where";
import { isCustomEntity } from "../custom-fields/values";
import { withPipelineIds } from "../opportunities/pipeline-of";

/**
 * Filtered, sorted, keyset-paginated list. The cursor is a row comparison on (column, id), an index range on the
 * (workspace, column, id) indexes, so a page at row 900,000 costs what the first page costs.
 *
 * A nullable sort column is read in two segments, in Postgres' order (ascending: values then NULLs; descending:
 * NULLs then values), both in one batch: `(col, id) > (…)` alone would skip the NULLs, and an `OR col IS NULL`
 * would stop the index from bounding the scan. The NULL segment still orders by (col, id): with `col is null` that is
 * a range of the same index, whereas `order by id` alone had Postgres walk the primary key through every row of the
 * table looking for NULLs (17 s for a rep's open tasks over 5M activities when none had a NULL due date).
 *
 * With a text filter (`q`) the page is taken from the matching rows (found through the trigram indexes) and sorted,
 * rather than by walking the sort index and filtering: the walk reads every row sorted before the first match, so a
 * surname late in the alphabet ("tanaka") read most of 1M contacts.
 */
export async function listRecords(input: { db: Database; workspaceId: string; def: EntityDef; query: ListQuery; custom?: Record<string, string> }) {
  const { db, workspaceId, def, query: q } = input;
  const sortKey = q.sort ?? def.defaultSort;
  // Custom fields (`?custom.<key>=`, `sort=custom.<key>`): typed expressions over the `custom` jsonb, matching the
  // expression indexes of filterable fields (services/custom-fields/indexes.ts). Always nullable.
  const wantsCustom = sortKey.replace(/^-/, "").startsWith("custom.") || Object.keys(input.custom ?? {}).length > 0;
  if (wantsCustom && !isCustomEntity(def.type)) throw new ValidationError(`${def.label} records have no custom fields`, [{ path: "custom", message: "not supported here" }], 400);
  if (!wantsCustom || !isCustomEntity(def.type)) return finish(input, await pageOf(input, undefined));

  // The registry this isolate knows, checked by the stamp the page carries (list-registry.ts): the registry costs no
  // round trip of its own unless it changed. A filter it refuses may name a field added since: read it again first.
  const entity = def.type;
  let reg = cachedListRegistry(workspaceId, entity);
  let fresh = !reg;
  reg ??= await loadListRegistry(db, workspaceId, entity);
  let page: Page;
  try {
    page = await pageOf(input, reg);
  } catch (err) {
    if (fresh || !(err instanceof ValidationError)) throw err;
    reg = await loadListRegistry(db, workspaceId, entity);
    fresh = true;
    page = await pageOf(input, reg);
  }
  if (!fresh && (page.stamp ?? (await readRegistryStamp(db, workspaceId, entity))) !== reg.stamp) {
    forgetListRegistry(workspaceId, entity);
    page = await pageOf(input, await loadListRegistry(db, workspaceId, entity));
  }
  return finish(input, page);
}

type Page = { rows: { row: unknown; sortValue: string | null }[]; stamp?: string };

/** One page's statements (both NULL segments in one batch) built against `reg` when the list involves custom fields. */
async function pageOf(input: Parameters<typeof listRecords>[0], reg: ListRegistry | undefined): Promise<Page> {
  const { db, workspaceId, def, query: q } = input;
  const tbl = def.table;
  const sortKey = q.sort ?? def.defaultSort;
  const dir: "asc" | "desc" = sortKey.startsWith("-") ? "desc" : "asc";
  const fields = reg?.fields ?? [];
  const custom = sortKey.replace(/^-/, "").startsWith("custom.") ? customSort(fields, sortKey.replace(/^-/, ""), getTableName(tbl)) : undefined;
  const sort: { col: PgColumn | SQL; cast: string; nullable?: boolean } | undefined = custom ? { col: custom.expr, cast: custom.cast, nullable: true } : def.sorts[sortKey.replace(/^-/, "")];
  if (!sort) {
    throw new ValidationError(`Cannot sort by "${sortKey}"`, [{ path: "sort", message: `one of ${Object.keys(def.sorts).map((s) => `${s}, -${s}`).join(", ")}` }], 400);
  }

  const where = whereOf({ workspaceId, def, query: q, custom: input.custom, fields });

  const col = sql`${sort.col}`;
  const id = sql`${tbl.id}`;
  const cursor: Keyset | undefined = q.cursor ? decodeCursor(q.cursor) : undefined;
  const valuesFirst = dir === "asc";
  type Segment = "values" | "nulls";
  const notNull = sort.nullable ? false : (sort.col as PgColumn).notNull;
  const segments: Segment[] = !notNull ? (valuesFirst ? ["values", "nulls"] : ["nulls", "values"]) : ["values"];
  // Segments before the cursor's are done; the cursor's own segment is bounded by it; later ones start fresh.
  const from = cursor ? segments.indexOf(cursor.value === null ? "nulls" : "values") : 0;
  if (from < 0) throw new ValidationError("The cursor is invalid; start again without one", [{ path: "cursor", message: "does not fit this sort" }], 400);

  const queries = segments.slice(from).map((segment, i) => {
    const bounded = i === 0 && cursor;
    const cond: SQL[] = [...where];
    if (segment === "nulls") {
      cond.push(sql`${col} is null`);
      if (bounded) cond.push(dir === "asc" ? sql`${id} > ${cursor.id}::uuid` : sql`${id} < ${cursor.id}::uuid`);
    } else {
      if (!notNull) cond.push(sql`${col} is not null`);
      if (bounded) cond.push(afterCursor(col, id, dir, cursor, sort.cast));
    }
    const order = dir === "asc" ? [asc(sort.col), asc(tbl.id!)] : [desc(sort.col), desc(tbl.id!)];
    // The cursor keeps the sort value as Postgres prints it: microsecond timestamps survive the round trip.
    // With custom fields, each row also says which registry the statement was built from (list-registry.ts).
    const stamp = reg && isCustomEntity(def.type) ? registryStamp(workspaceId, def.type) : sql<null>`null`;
    const page = db.http.select({ row: tbl, sortValue: sql<string | null>`${sort.col}::text`, stamp }).from(tbl);
    if (!q.q) return page.where(and(...cond)).orderBy(...order).limit(q.limit + 1);
    // OFFSET 0 keeps the matches a subquery of their own, planned without the page's order (so not as an index walk).
    const way = dir === "asc" ? sql`asc` : sql`desc`;
    const top = sql`select m.mid from (select ${tbl.id} as mid, ${sort.col} as msort from ${tbl} where ${and(...cond)} offset 0) m
      order by m.msort ${way}, m.mid ${way} limit ${q.limit + 1}`;
    return page.where(sql`${tbl.id} in (${top})`).orderBy(...order).limit(q.limit + 1);
  });
  const results = queries.length === 1 ? [await queries[0]!] : await db.http.batch(queries as [typeof queries[0], ...typeof queries]);
  const rows = results.flat() as (Page["rows"][number] & { stamp: string | null })[];
  return { rows, stamp: rows[0]?.stamp ?? undefined };
}

/** The page's records, serialised, with its cursor and what list rows carry besides their columns. */
async function finish(input: Parameters<typeof listRecords>[0], page: Page) {
  const { db, workspaceId, def, query: q } = input;
  const rows = page.rows.slice(0, q.limit + 1);
  const shown = rows.slice(0, q.limit);
  const last = shown.at(-1);
  const nextCursor =
    rows.length > q.limit && last ? encodeCursor({ value: last.sortValue, id: String((last.row as Record<string, unknown>).id) }) : null;
  const data = shown.map((r) => serialize(r.row as Record<string, unknown>));
  if (def.type === "activity") return { data: await withActivityContext(db, workspaceId, data), nextCursor };
  if (def.type === "contact") return { data: await withAccountNames(db, workspaceId, data), nextCursor };
  if (def.type !== "opportunity") return { data, nextCursor };
  // A deal's account name and pipeline: two independent reads, side by side (one round trip's time, not two).
  const [named, piped] = await Promise.all([withAccountNames(db, workspaceId, data), withPipelineIds(db.http, workspaceId, data)]);
  return { data: named.map((r, i) => ({ ...r, pipelineId: piped[i]!.pipelineId })), nextCursor };
}
