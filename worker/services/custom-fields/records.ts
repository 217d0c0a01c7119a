import { sql } from "drizzle-orm";
import { rowsOf, type Executor } from "../../../db/client";
import { tableOfEntity } from "./indexes";
import type { CustomFieldEntity } from "./registry";


/** Every record of the workspace (trash included) holding a value under `key`: id and the JSON value. */
export async function recordsWithValue(db: Executor, workspaceId: string, entity: CustomFieldEntity, key: string): Promise<{ id: string; value: unknown }[]> {
  const res = await db.execute(
    sql`select id::text as id, (custom -> ${key})::text as value from ${sql.identifier(tableOfEntity[entity])} where workspace_id = ${workspaceId} and custom ? ${key} order by id`,
  );
  // As JSON text, parsed here: the drivers differ in whether they parse jsonb, and "123" must stay a string.
  return rowsOf(res).map((r) => ({ id: String(r.id), value: JSON.parse(String(r.value)) as unknown }));
}

/**
 * Sets (or, for null, removes) `key` in many records' `custom` in one statement per chunk. Does not touch
 * updated_at or versions: a registry change is not an edit of the record.
 */
export async function writeValues(db: Executor, workspaceId: string, entity: CustomFieldEntity, key: string, changes: { id: string; value: unknown }[]): Promise<void> {
  for (let i = 0; i < changes.length; i += 5000) {
    const chunk = changes.slice(i, i + 5000).map((c) => ({ id: c.id, v: c.value === null || c.value === undefined ? null : c.value }));
    await db.execute(sql`
      update ${sql.identifier(tableOfEntity[entity])} as t
      set custom = case when x.v is null or x.v = 'null'::jsonb then t.custom - ${key} else jsonb_set(t.custom, array[${key}]::text[], x.v) end
      from jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb) as x(id uuid, v jsonb)
      where t.id = x.id and t.workspace_id = ${workspaceId}`);
  }
}
