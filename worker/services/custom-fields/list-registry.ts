import { and, asc, eq, sql, type SQL } from "drizzle-orm";
import { rowsOf, type Database } from "../../../db/client";
import { customFields } from "../../../db/schema";
import type { CustomFieldEntity, CustomFieldRow } from "./registry";

/**
 * The registry as lists read it (filters and sorts on `custom.<key>`), kept per isolate so a list filtered or sorted
 * on a custom field costs the round trips of the same list on a core column, not one more for the registry first.
 *
 * Never trusted blindly: the page statement carries `registryStamp` — a digest of what lists use (id, key, type,
 * options, deletion) — as a column, so the answer says which registry it was built from; a different stamp (a field
 * added, retyped, deleted in another isolate or by `bespoke.config.ts`) reloads the registry and runs the list again.
 * A page without rows carries no stamp: then the stamp is read on its own. Writes never use this cache (they read the
 * registry in their transaction: resolveCustomValues).
 */
export interface ListRegistry {
  fields: CustomFieldRow[];
  stamp: string;
}

const MAX_ENTRIES = 500;
const cache = new Map<string, ListRegistry>();
const keyOf = (workspaceId: string, entity: CustomFieldEntity) => `${workspaceId}:${entity}`;

/** The registry's digest, as a scalar subquery (an InitPlan: computed once per statement, not per row). */
export function registryStamp(workspaceId: string, entity: CustomFieldEntity): SQL<string> {
  return sql<string>`(select coalesce(md5(string_agg(cf.id::text || ':' || cf.key || ':' || cf.type || ':' || cf.options::text || ':' || coalesce(cf.deleted_at::text, ''), ',' order by cf.id)), '')
    from custom_fields cf where cf.workspace_id = ${workspaceId} and cf.entity = ${entity})`;
}

export function cachedListRegistry(workspaceId: string, entity: CustomFieldEntity): ListRegistry | undefined {
  return cache.get(keyOf(workspaceId, entity));
}

/** Reads the live fields and the stamp in one round trip, and remembers them. */
export async function loadListRegistry(db: Database, workspaceId: string, entity: CustomFieldEntity): Promise<ListRegistry> {
  const [fields, stampRes] = await db.http.batch([
    db.http
      .select()
      .from(customFields)
      .where(and(eq(customFields.workspaceId, workspaceId), eq(customFields.entity, entity), sql`${customFields.deletedAt} is null`))
      .orderBy(asc(customFields.position), asc(customFields.id)),
    db.http.execute(sql`select ${registryStamp(workspaceId, entity)} as stamp`),
  ]);
  const reg = { fields, stamp: String(rowsOf<{ stamp: string }>(stampRes)[0]?.stamp ?? "") };
  const key = keyOf(workspaceId, entity);
  cache.delete(key);
  if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  cache.set(key, reg);
  return reg;
}

/** The stamp alone (a page came back empty, so it carried none). */
export async function readRegistryStamp(db: Database, workspaceId: string, entity: CustomFieldEntity): Promise<string> {
  const res = await db.http.execute(sql`select ${registryStamp(workspaceId, entity)} as stamp`);
  return String(rowsOf<{ stamp: string }>(res)[0]?.stamp ?? "");
}

/** Forget a workspace's entry (a stamp disagreed). */
export function forgetListRegistry(workspaceId: string, entity: CustomFieldEntity): void {
  cache.delete(keyOf(workspaceId, entity));
}
