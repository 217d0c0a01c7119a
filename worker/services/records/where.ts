import { getTableName, sql, type SQL } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { ValidationError } from "../../lib/errors";
import type { ListQuery } from "../../schemas/records";
import type { EntityDef } from "./entities";
import { customFilters } from "../custom-fields/query";
import { listCustomFields, type CustomFieldRow } from "../custom-fields/registry";
import { isCustomEntity } from "../custom-fields/values";

/**
 * The WHERE of a list query (workspace, trash or not, shared and declared filters, `q`, `custom.<key>` filters):
 * one definition for the list page, its totals and groups (summary.ts) and "every record matching the filter"
 * (bulk jobs), so the three always agree on which records a filter means.
 */
export async function listWhere(input: { db: Database; workspaceId: string; def: EntityDef; query: ListQuery; custom?: Record<string, string>; needFields?: boolean }) {
  const { db, workspaceId, def, query: q } = input;
  const tbl = def.table;
  const wantsCustom = Object.keys(input.custom ?? {}).length > 0 || input.needFields;
  if (Object.keys(input.custom ?? {}).length > 0 && !isCustomEntity(def.type)) {
    throw new ValidationError(`${def.label} records have no custom fields`, [{ path: "custom", message: "not supported here" }], 400);
  }
  const fields: CustomFieldRow[] = wantsCustom && isCustomEntity(def.type) ? await listCustomFields(db.http, workspaceId, def.type) : [];
  return { where: whereOf({ workspaceId, def, query: q, custom: input.custom, fields }), fields };
}

/** The same WHERE from a field list the caller already holds (the list page keeps one per isolate: list-registry.ts). */
export function whereOf(input: { workspaceId: string; def: EntityDef; query: ListQuery; custom?: Record<string, string>; fields: CustomFieldRow[] }): SQL[] {
  const { workspaceId, def, query: q, fields } = input;
  const tbl = def.table;
  const where: SQL[] = [sql`${tbl.workspaceId} = ${workspaceId}`, q.deleted === "true" ? sql`${tbl.deletedAt} is not null` : sql`${tbl.deletedAt} is null`];
  if (q.ownerId && tbl.ownerId) where.push(sql`${tbl.ownerId} = ${q.ownerId}`);
  if (q.createdFrom) where.push(sql`${tbl.createdAt} >= ${q.createdFrom}`);
  if (q.createdTo) where.push(sql`${tbl.createdAt} <= ${q.createdTo}`);
  if (q.updatedFrom) where.push(sql`${tbl.updatedAt} >= ${q.updatedFrom}`);
  if (q.updatedTo) where.push(sql`${tbl.updatedAt} <= ${q.updatedTo}`);
  if (q.q) where.push(def.search(`%${q.q.toLowerCase().replace(/[\\%_]/g, (m) => `\\${m}`)}%`));
  where.push(...def.filters(q));
  if (input.custom && Object.keys(input.custom).length) where.push(...customFilters(fields, input.custom, getTableName(tbl)));
  return where;
}
