import { sql } from "drizzle-orm";
import { rowsOf, type Executor } from "../../../db/client";
import { tableOfEntity } from "./indexes";
import { listCustomFields, type CustomFieldEntity, type CustomFieldRow } from "./registry";

type Rows = { id: string; custom: Record<string, unknown> }[];

/** A value as the AI reads it: option labels instead of stored values, money with its unit. */
function readable(f: CustomFieldRow, v: unknown): unknown {
  const label = (x: unknown) => f.options.find((o) => o.value === x)?.label ?? x;
  if (f.type === "single_select") return label(v);
  if (f.type === "multi_select" && Array.isArray(v)) return v.map(label);
  if (f.type === "money" && typeof v === "number") return `${(v / 100).toFixed(2)}${typeof f.settings.currency === "string" ? ` ${f.settings.currency}` : ""}`;
  return v;
}

/**
 * Adds `custom: { <field label>: value }` to the context's main records (the deal, account, contact or lead), leaving
 * out fields marked private from AI (settings.aiPrivate) and any named `custom.<key>` in AI_PRIVATE_FIELDS.
 * Two queries at most: the registry, then the records' custom values.
 */
export async function attachCustomValues(
  db: Executor,
  workspaceId: string,
  records: Partial<Record<CustomFieldEntity, { id: string } | null>>,
  privateFields: { entity: string; field: string }[],
): Promise<void> {
  const present = (Object.entries(records) as [CustomFieldEntity, { id: string } | null][]).filter((e): e is [CustomFieldEntity, { id: string }] => !!e[1]);
  if (!present.length) return;
  const fields = (await listCustomFields(db, workspaceId)).filter(
    (f) => f.settings.aiPrivate !== true && !privateFields.some((p) => p.entity === f.entity && p.field === `custom.${f.key}`),
  );
  for (const [entity, rec] of present) {
    const mine = fields.filter((f) => f.entity === entity);
    if (!mine.length) continue;
    const res = await db.execute(sql`select id::text as id, custom from ${sql.identifier(tableOfEntity[entity])} where id = ${rec.id}::uuid and workspace_id = ${workspaceId}`);
    const row = rowsOf<Rows[number]>(res)[0];
    const out: Record<string, unknown> = {};
    for (const f of mine) if (row?.custom?.[f.key] !== undefined && row.custom[f.key] !== null) out[f.label] = readable(f, row.custom[f.key]);
    if (Object.keys(out).length) (rec as Record<string, unknown>).custom = out;
  }
}
