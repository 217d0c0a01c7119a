import { and, eq, isNull } from "drizzle-orm";
import { sql, type SQL } from "drizzle-orm";
import { rowsOf, type Database, type Executor } from "../../../db/client";

/**
 * After a field change in a request: the indexes are an optimisation (filters and sorts are correct without them),
 * so a build that times out waiting for a long transaction is logged, not turned into an error for the admin; the
 * next field change, restore or start-up (afterApply) builds it again.
 */
export async function ensureCustomFieldIndexesBestEffort(db: IndexExecutor, workspaceId: string): Promise<void> {
  await ensureCustomFieldIndexes(db, workspaceId).catch((err: unknown) => {
    console.warn(JSON.stringify({ level: "warn", msg: "custom field index build postponed", workspaceId, error: String(err) }));
  });
}

/**
 * Where index DDL can run: the Worker's Database (its `ddl`: own connection, no transaction, no statement timeout), or
 * a plain autocommit connection of a script (scripts/bootstrap.ts, npm start) — never a transaction or a batch.
 */
export type IndexExecutor = Pick<Database, "http" | "ddl"> | Executor;
import { customFields } from "../../../db/schema";
import { expressionText, typeClass, type TypeClass } from "./query";
import { CUSTOM_TSVECTOR, SEARCHABLE_TYPES } from "./search";
import type { CustomFieldEntity } from "./registry";

export const tableOfEntity: Record<CustomFieldEntity, string> = { account: "accounts", contact: "contacts", lead: "leads", opportunity: "opportunities" };

/** FNV-1a, 32 bits, hex: a short stable suffix so long keys still give distinct index names within 63 bytes. */
function fnv(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, "0");
}

/**
 * The index for one (table, key, type class), named from those three alone. It is shared by every workspace using
 * that key with that type class (workspace_id leads), so it is created once and its name says what it holds.
 */
export function customIndexName(entity: CustomFieldEntity, key: string, cls: TypeClass): string {
  const table = tableOfEntity[entity];
  return `cf_${table.slice(0, 4)}_${cls[0]}_${key.slice(0, 30).toLowerCase()}_${fnv(`${table}:${key}:${cls}`)}`;
}

/** CREATE INDEX statement for a field: btree (workspace_id, typed value, id); GIN over the array for multi selects. */
export function customIndexDdl(entity: CustomFieldEntity, key: string, type: string): { name: string; ddl: string } | null {
  const table = tableOfEntity[entity];
  if (type === "multi_select") {
    if (!/^[a-zA-Z0-9_]+$/.test(key)) return null;
    const name = `cf_${table.slice(0, 4)}_m_${key.slice(0, 30).toLowerCase()}_${fnv(`${table}:${key}:multi`)}`;
    return { name, ddl: `CREATE INDEX CONCURRENTLY IF NOT EXISTS "${name}" ON "${table}" USING gin ((custom -> '${key}'))` };
  }
  const cls = typeClass(type);
  if (!cls) return null;
  const name = customIndexName(entity, key, cls);
  return { name, ddl: `CREATE INDEX CONCURRENTLY IF NOT EXISTS "${name}" ON "${table}" (workspace_id, ${expressionText(key, cls)}, id)` };
}

/**
 * Makes sure every filterable field of the workspace has its expression index. Idempotent (IF NOT EXISTS, names
 * derived from table/key/type), and CONCURRENTLY, so writes to a 200k-row table are not blocked while it builds —
 * which is why each statement runs alone, outside any transaction and without the request's statement timeout
 * (Database.ddl: its own connection).
 * A build that failed half-way leaves an INVALID index under the name: it is dropped and rebuilt.
 * Returns the names it ensured.
 */
/** The global search's index over a table's string custom values (search.ts). */
export function customSearchIndexDdl(entity: CustomFieldEntity): { name: string; ddl: string } {
  const table = tableOfEntity[entity];
  const name = `cf_${table}_search_idx`;
  return { name, ddl: `CREATE INDEX CONCURRENTLY IF NOT EXISTS "${name}" ON "${table}" USING gin (workspace_id, (${CUSTOM_TSVECTOR}))` };
}

export async function ensureCustomFieldIndexes(database: IndexExecutor, workspaceId: string): Promise<string[]> {
  const db = "ddl" in database ? database.http : database;
  const ddl = (statement: SQL) => ("ddl" in database ? database.ddl(statement) : database.execute(statement).then(() => undefined));
  const all = await db
    .select({ entity: customFields.entity, key: customFields.key, type: customFields.type, filterable: customFields.filterable })
    .from(customFields)
    .where(and(eq(customFields.workspaceId, workspaceId), isNull(customFields.deletedAt)));
  const wanted = all.filter((f) => f.filterable).map((f) => customIndexDdl(f.entity as CustomFieldEntity, f.key, f.type));
  // Global search over textual custom values: one GIN index per table, shared by all workspaces and fields.
  for (const entity of new Set(all.filter((f) => (SEARCHABLE_TYPES as readonly string[]).includes(f.type)).map((f) => f.entity as CustomFieldEntity))) {
    wanted.push(customSearchIndexDdl(entity));
  }
  const names: string[] = [];
  for (const idx of wanted) {
    if (!idx) continue;
    const res = await db.execute(sql`select i.indisvalid as valid from pg_index i join pg_class c on c.oid = i.indexrelid where c.relname = ${idx.name}`);
    const rows = rowsOf<{ valid: boolean }>(res);
    if (rows[0]?.valid === true) {
      names.push(idx.name);
      continue;
    }
    if (rows[0]) await ddl(sql.raw(`DROP INDEX CONCURRENTLY IF EXISTS "${idx.name}"`));
    await ddl(sql.raw(idx.ddl));
    names.push(idx.name);
  }
  return names;
}
