import { and, getTableName, sql, type SQL } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { csvRow } from "../../lib/csv";
import { ValidationError } from "../../lib/errors";
import type { ExportQuery, ImportEntity } from "../../schemas/import-export";
import { entityByPlural, type EntityDef } from "../records/entities";
import { customFilters, customSort } from "../custom-fields/query";
import type { CustomFieldRow } from "../custom-fields/registry";
import { columnOf, entityDecl, snake, type EntityDecl, type RefTarget } from "../../../domain";
import { exportColumnsOf } from "../../../domain/import";

/** The workspace's custom fields of the entity and the request's raw `custom.*` query parameters. */
type CustomQuery = { fields: CustomFieldRow[]; params: Record<string, string> };

/** Rows per FETCH from the server-side cursor: about 300 KB of CSV, the most the Worker holds at once. */
const BATCH_ROWS = 2_000;

/**
 * Export columns: the field names the import accepts, in declaration order (domain/). Relations are written as the
 * related record's externalId and name; a record without an externalId gets its id as externalId, so importing the
 * export into the same workspace updates every row in place (nothing duplicated) and importing it into another
 * workspace recreates the records and their links. Money stays in integer minor units next to its currency (import
 * with the default amountUnit "minor").
 */
export const exportColumns = (entity: ImportEntity | EntityDecl): string[] => exportColumnsOf(entity).map((c) => c.name);

const TARGET_TABLE: Record<RefTarget, string> = {
  account: "accounts", contact: "contacts", lead: "leads", opportunity: "opportunities", user: "users", stage: "pipeline_stages",
};
const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;
const ext = (alias: string) => `coalesce(${alias}.external_id, ${alias}.id::text)`;

/**
 * The select list and joins of one entity, derived from its declaration. The exported table keeps its own name (no
 * alias) because the list's filters and sorts are written against it (`"contacts"."owner_id"`); each reference
 * gets a left join aliased after its field.
 */
export function selectFrom(entity: ImportEntity | EntityDecl): SQL {
  const decl = typeof entity === "string" ? entityDecl(entity) : entity;
  const t = decl.table;
  const cols: string[] = [];
  const joins = new Map<string, string>();
  for (const c of exportColumnsOf(decl)) {
    const f = decl.fields[c.field]!;
    if (c.by) {
      const alias = `r_${snake(c.field)}`;
      joins.set(alias, `left join ${TARGET_TABLE[f.target!]} ${alias} on ${alias}.id = ${t}.${columnOf(c.field, f)}`);
      const expr =
        c.by === "externalId" ? `case when ${alias}.id is not null then ${ext(alias)} end`
        : c.by === "id" ? `${alias}.id`
        : c.by === "pipeline" ? `(select pl.name from pipelines pl where pl.id = ${alias}.pipeline_id)`
        : `${alias}.${c.by}`;
      cols.push(`${expr} as ${ident(c.name)}`);
    } else if (c.field === "externalId") {
      cols.push(`${ext(t)} as "externalId"`);
    } else {
      const cast = f.type === "money" || f.type === "date" ? "::text" : "";
      cols.push(`${t}.${columnOf(c.field, f)}${cast} as ${ident(c.name)}`);
    }
  }
  // Custom values travel as the record's `custom` object; exportRecords writes one `custom.<key>` column per field.
  cols.push(`${t}.custom`);
  return sql.raw(`select ${cols.join(", ")} from ${t} ${[...joins.values()].join(" ")}`);
}

/**
 * The list's WHERE and ORDER BY for the same query parameters (`GET /api/{entity}`): owner, created/updated ranges,
 * free text and the entity's own filters, sorted as the list is. Live records only: the trash is not exported.
 */
function listShape(def: EntityDef, workspaceId: string, q: ExportQuery, custom?: CustomQuery): { where: SQL; orderBy: SQL } {
  const tbl = def.table;
  const where: SQL[] = [sql`${tbl.workspaceId} = ${workspaceId}`, sql`${tbl.deletedAt} is null`];
  if (q.ownerId && tbl.ownerId) where.push(sql`${tbl.ownerId} = ${q.ownerId}`);
  if (q.createdFrom) where.push(sql`${tbl.createdAt} >= ${q.createdFrom}`);
  if (q.createdTo) where.push(sql`${tbl.createdAt} <= ${q.createdTo}`);
  if (q.updatedFrom) where.push(sql`${tbl.updatedAt} >= ${q.updatedFrom}`);
  if (q.updatedTo) where.push(sql`${tbl.updatedAt} <= ${q.updatedTo}`);
  if (q.q) where.push(def.search(`%${q.q.toLowerCase().replace(/[\\%_]/g, (m) => `\\${m}`)}%`));
  // The entity filters read only filter fields; paging fields do not apply to an export.
  where.push(...def.filters({ ...q, limit: 0 }));
  // The list's custom field filters and sort (`custom.<key>`), so the file holds what the list shows.
  if (custom) where.push(...customFilters(custom.fields, custom.params, getTableName(tbl)));
  const sortKey = q.sort ?? def.defaultSort;
  const sort = sortKey.replace(/^-/, "").startsWith("custom.") ? { col: customSort(custom?.fields ?? [], sortKey.replace(/^-/, ""), getTableName(tbl)).expr } : def.sorts[sortKey.replace(/^-/, "")];
  if (!sort) {
    throw new ValidationError(`Cannot sort by "${sortKey}"`, [{ path: "sort", message: `one of ${Object.keys(def.sorts).map((s) => `${s}, -${s}`).join(", ")}` }], 400);
  }
  const dir = sql.raw(sortKey.startsWith("-") ? "desc" : "asc");
  return { where: and(...where)!, orderBy: sql`${sort.col} ${dir}, ${tbl.id} ${dir}` };
}

/** The export's one statement; validates the sort (400) before any byte is sent. */
export function exportQuery(entity: ImportEntity, workspaceId: string, q: ExportQuery, custom?: CustomQuery): SQL {
  const { where, orderBy } = listShape(entityByPlural[entity]!, workspaceId, q, custom);
  return sql`${selectFrom(entity)} where ${where} order by ${orderBy}`;
}

/**
 * The records the list shows for the same filters and sort, as CSV, produced as the client reads: one statement
 * behind a server-side cursor on one connection (one subrequest, however many rows), FETCHed 2,000 rows at a time,
 * so memory stays at one batch and a client that stops reading stops the query.
 */
export function exportRecords(input: { db: Database; query: SQL; entity: ImportEntity; bom: boolean; requestId?: string; customFields?: { key: string; type: string }[] }): ReadableStream<Uint8Array> {
  // Custom fields come last, as `custom.<key>` columns (the import maps those headers back), from the registry.
  const custom = input.customFields ?? [];
  const core = exportColumns(input.entity);
  const cols = [...core, ...custom.map((f) => `custom.${f.key}`)];
  const encoder = new TextEncoder();
  let batches: AsyncGenerator<Record<string, unknown>[]> | undefined;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode((input.bom ? "\ufeff" : "") + csvRow(cols)));
    },
    async pull(controller) {
      try {
        batches ??= input.db.cursor(input.query, BATCH_ROWS);
        const next = await batches.next();
        if (next.done) return controller.close();
        let out = "";
        for (const r of next.value) {
          const values = (r.custom ?? {}) as Record<string, unknown>;
          out += csvRow([...core.map((c) => r[c] as string | number | null), ...custom.map((f) => customCell(values[f.key]))]);
        }
        controller.enqueue(encoder.encode(out));
      } catch (err) {
        // Headers are gone already: the client sees a broken download rather than a truncated file it might trust.
        console.error(JSON.stringify({ level: "error", msg: "export failed mid-stream", requestId: input.requestId, entity: input.entity, error: String(err) }));
        controller.error(err);
      }
    },
    async cancel() {
      await batches?.return(undefined);
    },
  }, { highWaterMark: 0 });
}

/** A custom value as one CSV cell: multi-select options joined with "; " (the import splits them), the rest as text. */
export function customCell(v: unknown): string | number | null {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v)) return v.join("; ");
  if (typeof v === "number") return v;
  return String(v);
}
