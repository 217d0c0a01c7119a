import { sql } from "drizzle-orm";
import { rowsOf, type Executor } from "../../../db/client";
import { BACKUP_TABLES, quoteIdent, storedColumns, tableName } from "./tables";

export const BACKUP_FORMAT = "bespoke-crm-backup";
export const BACKUP_VERSION = 1;
const PAGE_ROWS = 2000;

/** The newest applied migration (drizzle's bookkeeping): a restore needs a schema at least that new. */
export async function latestMigration(db: Executor): Promise<number | null> {
  const result = await db.execute(sql`select max(created_at)::text as at from drizzle.__drizzle_migrations`).catch(() => null);
  const at = result ? rowsOf<{ at: string | null }>(result)[0]?.at : null;
  return at ? Number(at) : null;
}

/**
 * Writes one workspace as a JSON document `{format, version, createdAt, workspaceId, migration, tables: {name: rows}}`
 * to `write`, page by page. Rows come from Postgres's own json_agg, so timestamps keep their microseconds and
 * jsonb/array/enum columns their exact values. Run it inside a REPEATABLE READ transaction for one consistent
 * snapshot across tables.
 */
export async function exportWorkspace(
  db: Executor,
  workspaceId: string,
  write: (text: string) => Promise<void> | void,
  now = new Date(),
): Promise<{ rows: Record<string, number> }> {
  const counts: Record<string, number> = {};
  const header = {
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    createdAt: now.toISOString(),
    workspaceId,
    migration: await latestMigration(db),
  };
  await write(`${JSON.stringify(header).slice(0, -1)},"tables":{`);
  for (const [i, t] of BACKUP_TABLES.entries()) {
    const name = tableName(t.table);
    const cols = storedColumns(t.table).map(quoteIdent).join(", ");
    const order = t.orderBy.map(quoteIdent).join(", ");
    const orderX = t.orderBy.map((c) => `x.${quoteIdent(c)}`).join(", ");
    await write(`${i ? "," : ""}${JSON.stringify(name)}:[`);
    let total = 0;
    for (let offset = 0; ; offset += PAGE_ROWS) {
      const result = await db.execute(sql`
        select count(*)::int as n, coalesce(json_agg(x order by ${sql.raw(orderX)})::text, '[]') as page
        from (select ${sql.raw(cols)} from ${sql.raw(quoteIdent(name))} where ${t.scope(workspaceId)}
              order by ${sql.raw(order)} limit ${PAGE_ROWS} offset ${offset}) x`);
      const { n, page } = rowsOf<{ n: number; page: string }>(result)[0]!;
      if (n > 0) await write(`${total ? "," : ""}${page.slice(1, -1)}`);
      total += n;
      if (n < PAGE_ROWS) break;
    }
    counts[name] = total;
    await write("]");
  }
  await write("}}");
  return { rows: counts };
}
