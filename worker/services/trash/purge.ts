import { sql, type SQL } from "drizzle-orm";
import { rowsOf, type Database, type Tx } from "../../../db/client";
import { TRASH_RETENTION_DAYS, type TrashEntity } from "../../schemas/trash";

const DAY = 86_400_000;

export type PurgeOutcome = Record<TrashEntity, number>;

/**
 * What a purged record's children become. Decided: a child that is a record in its own right (a contact of a purged
 * account, a deal's account, a converted lead's links) survives and only loses the link; what exists only to describe
 * the purged record goes with it — its activities with no other target, its buying-committee rows — and its
 * attachments are marked deleted so the attachment cleanup (purgeDeletedAttachments, run right after this in
 * maintenance) removes the R2 object, then the row. An activity that also names another record keeps that link.
 * The audit log keeps its entries (entity ids there are not foreign keys): who deleted what stays answerable.
 */
const unlink: Record<TrashEntity, { column: string; statements: (ids: SQL) => SQL[] }> = {
  accounts: {
    column: "account_id",
    statements: (ids) => [
      sql`update contacts set account_id = null where account_id = any(${ids})`,
      sql`update opportunities set account_id = null where account_id = any(${ids})`,
      sql`update leads set converted_account_id = null where converted_account_id = any(${ids})`,
    ],
  },
  contacts: {
    column: "contact_id",
    statements: (ids) => [
      sql`delete from opportunity_contacts where contact_id = any(${ids})`,
      sql`update opportunities set primary_contact_id = null where primary_contact_id = any(${ids})`,
      sql`update leads set converted_contact_id = null where converted_contact_id = any(${ids})`,
    ],
  },
  leads: { column: "lead_id", statements: () => [] },
  opportunities: {
    column: "opportunity_id",
    statements: (ids) => [sql`delete from opportunity_contacts where opportunity_id = any(${ids})`],
  },
};
const targetColumns = ["account_id", "contact_id", "lead_id", "opportunity_id"];

/** Deals and leads first, accounts last: fewer links to undo when a whole account was deleted with its children. */
const order: TrashEntity[] = ["opportunities", "leads", "contacts", "accounts"];

/**
 * The 30-day retention of the trash: deletes for good, in every workspace, the records that were deleted more than
 * `retentionDays` ago, `batch` at a time per transaction (each one whole: a record and its children's changes commit
 * together). Rows being restored at that moment are skipped (`skip locked`) and retried next night.
 */
export async function purgeExpiredRecords(input: { db: Database; now?: Date; retentionDays?: number; batch?: number; maxBatches?: number; workspaceId?: string }): Promise<PurgeOutcome> {
  const { db } = input;
  const cutoff = new Date((input.now ?? new Date()).getTime() - (input.retentionDays ?? TRASH_RETENTION_DAYS) * DAY).toISOString();
  const batch = input.batch ?? 200;
  const out: PurgeOutcome = { accounts: 0, contacts: 0, leads: 0, opportunities: 0 };
  for (const entity of order) {
    for (let round = 0; round < (input.maxBatches ?? 20); round++) {
      const n = await db.transaction((tx) => purgeBatch(tx, entity, cutoff, batch, input.workspaceId));
      out[entity] += n;
      if (n < batch) break;
    }
  }
  return out;
}

async function purgeBatch(tx: Tx, entity: TrashEntity, cutoff: string, batch: number, workspaceId?: string): Promise<number> {
  const table = sql.identifier(entity);
  const picked = rowsOf<{ id: string }>(
    await tx.execute(sql`select id::text as id from ${table} where deleted_at is not null and deleted_at < ${cutoff}::timestamptz${workspaceId ? sql` and workspace_id = ${workspaceId}` : sql``}
      order by deleted_at limit ${batch} for update skip locked`),
  );
  if (!picked.length) return 0;
  const ids = sql`${`{${picked.map((r) => r.id).join(",")}}`}::uuid[]`;
  const { column, statements } = unlink[entity];
  const col = sql.identifier(column);
  const others = sql.join(
    targetColumns.filter((c) => c !== column).map((c) => sql`${sql.identifier(c)} is null`),
    sql` and `,
  );
  await tx.execute(sql`delete from activities where ${col} = any(${ids}) and ${others}`);
  await tx.execute(sql`update activities set ${col} = null where ${col} = any(${ids})`);
  await tx.execute(sql`update attachments set ${col} = null, deleted_at = coalesce(deleted_at, now()), updated_at = now() where ${col} = any(${ids})`);
  for (const statement of statements(ids)) await tx.execute(statement);
  await tx.execute(sql`delete from ${table} where id = any(${ids})`);
  return picked.length;
}
