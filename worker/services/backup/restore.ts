import { sql } from "drizzle-orm";
import { rowsOf, type Executor } from "../../../db/client";
import { BACKUP_FORMAT, BACKUP_VERSION, latestMigration } from "./export";
import { BACKUP_TABLES, quoteIdent, storedColumns, tableName } from "./tables";

export interface BackupDocument {
  format: string;
  version: number;
  createdAt: string;
  workspaceId: string;
  migration: number | null;
  tables: Record<string, Record<string, unknown>[]>;
}

export class RestoreError extends Error {}

const INSERT_ROWS = 500;

/** Parses and checks a backup file's JSON; throws RestoreError naming what is wrong. */
export function parseBackup(text: string, label = "backup"): BackupDocument {
  let doc: BackupDocument;
  try {
    doc = JSON.parse(text) as BackupDocument;
  } catch {
    throw new RestoreError(`${label} is not JSON (a .json.gz backup must be decompressed first)`);
  }
  if (doc?.format !== BACKUP_FORMAT) throw new RestoreError(`${label} is not a Bespoke CRM backup`);
  if (doc.version !== BACKUP_VERSION) throw new RestoreError(`${label} has format version ${doc.version}; this release reads version ${BACKUP_VERSION}`);
  if (!doc.tables || typeof doc.tables !== "object") throw new RestoreError(`${label} has no tables`);
  return doc;
}

/**
 * Restores one or more workspace backups into an EMPTY, migrated database, keeping every id, in the caller's
 * transaction (all or nothing). Refuses a database that already holds a workspace: merging into live data would
 * collide on ids and unique e-mails in ways no user could untangle. Columns the backup does not have (a newer
 * schema) get their defaults; generated columns are recomputed.
 */
export async function restoreBackups(db: Executor, docs: BackupDocument[]): Promise<{ rows: Record<string, number> }> {
  const existing = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from workspaces`))[0]!.n;
  if (existing > 0) {
    throw new RestoreError(
      `The target database is not empty (${existing} workspace${existing === 1 ? "" : "s"}): restore only into a new, migrated database (a new Neon branch or database, then npm run db:migrate)`,
    );
  }
  const schemaAt = await latestMigration(db);
  for (const doc of docs) {
    if (doc.migration !== null && (schemaAt === null || schemaAt < doc.migration)) {
      throw new RestoreError(`The backup of workspace ${doc.workspaceId} needs a newer schema than the target has: run npm run db:migrate on it first`);
    }
  }
  const counts: Record<string, number> = {};
  for (const t of BACKUP_TABLES) {
    const name = tableName(t.table);
    const stored = new Set(storedColumns(t.table));
    for (const doc of docs) {
      const rows = doc.tables[name] ?? [];
      if (rows.length === 0) continue;
      const cols = Object.keys(rows[0]!).filter((c) => stored.has(c)).map(quoteIdent).join(", ");
      for (let i = 0; i < rows.length; i += INSERT_ROWS) {
        const batch = JSON.stringify(rows.slice(i, i + INSERT_ROWS));
        await db.execute(sql`
          insert into ${sql.raw(quoteIdent(name))} (${sql.raw(cols)})
          select ${sql.raw(cols)} from json_populate_recordset(null::${sql.raw(quoteIdent(name))}, ${batch}::json)`);
      }
      counts[name] = (counts[name] ?? 0) + rows.length;
    }
  }
  return { rows: counts };
}
