import { getTableColumns, getTableName, type SQL, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import {
  accounts, activities, aiUsage, apiKeys, attachments, auditLog, contacts, customFields, emailMessages, leads, opportunities,
  opportunityContacts, pipelines, forecastSnapshots, pipelineStages, reasonCodes, savedViewDefaults, savedViews, users, webhookEndpoints, workspaces, automations,
} from "../../../db/schema";

export interface BackupTable {
  table: PgTable;
  /** The rows of one workspace. */
  scope: (workspaceId: string) => SQL;
  /** Primary-key columns: a stable order for paging and for comparing copies. */
  orderBy: string[];
}

const byWorkspace = (workspaceId: string) => sql`workspace_id = ${workspaceId}`;

/**
 * What a backup holds, in restore order (every foreign key points to a table earlier in the list).
 * It includes secrets a restore needs for the workspace to work as before: users' password hashes (people can sign
 * in), API-key hashes (integrations keep working) and webhook signing secrets. Keep the backup bucket private.
 */
export const BACKUP_TABLES: BackupTable[] = [
  { table: workspaces, scope: (id) => sql`id = ${id}`, orderBy: ["id"] },
  { table: users, scope: byWorkspace, orderBy: ["id"] },
  { table: pipelines, scope: byWorkspace, orderBy: ["id"] },
  { table: pipelineStages, scope: byWorkspace, orderBy: ["id"] },
  { table: customFields, scope: byWorkspace, orderBy: ["id"] },
  { table: reasonCodes, scope: byWorkspace, orderBy: ["id"] },
  { table: accounts, scope: byWorkspace, orderBy: ["id"] },
  { table: contacts, scope: byWorkspace, orderBy: ["id"] },
  { table: leads, scope: byWorkspace, orderBy: ["id"] },
  { table: opportunities, scope: byWorkspace, orderBy: ["id"] },
  {
    table: opportunityContacts,
    scope: (id) => sql`opportunity_id in (select o.id from opportunities o where o.workspace_id = ${id})`,
    orderBy: ["opportunity_id", "contact_id"],
  },
  { table: activities, scope: byWorkspace, orderBy: ["id"] },
  { table: attachments, scope: byWorkspace, orderBy: ["id"] },
  { table: emailMessages, scope: byWorkspace, orderBy: ["id"] },
  { table: auditLog, scope: byWorkspace, orderBy: ["id"] },
  { table: apiKeys, scope: byWorkspace, orderBy: ["id"] },
  { table: webhookEndpoints, scope: byWorkspace, orderBy: ["id"] },
  { table: aiUsage, scope: byWorkspace, orderBy: ["day"] },
  { table: savedViews, scope: byWorkspace, orderBy: ["id"] },
  { table: savedViewDefaults, scope: byWorkspace, orderBy: ["user_id", "entity"] },
  // Weekly forecast snapshots cannot all be rebuilt (the scores they carried): backed up.
  { table: forecastSnapshots, scope: byWorkspace, orderBy: ["week", "opportunity_id"] },
  { table: automations, scope: byWorkspace, orderBy: ["id"] },
];

/**
 * Tables deliberately left out, with the reason. A test fails when a table is in neither list, so a new table
 * cannot silently miss the backups.
 */
export const NOT_BACKED_UP: Record<string, string> = {
  webhook_deliveries: "a delivery log; restoring it would re-fire or confuse retries",
  idempotency_keys: "a 24-hour replay cache of responses",
  ai_jobs: "queue bookkeeping; the results are activities, which are backed up",
  password_reset_tokens: "short-lived secrets that must not outlive their mail",
  email_outbox: "the development mail outbox, not workspace data",
  sessions: "sign-ins on devices; a restored database starts with everyone signed out",
  session_refresh_tokens: "hashes of refresh tokens, which must not outlive their sessions",
  search_words: "search's typo dictionary, derived from record names: the restore's inserts rebuild it through triggers",
  ai_stage_norms: "the AI's stage-duration norms, derived from stage-change activities and recomputed nightly or on first use",
  import_session_records: "which accounts a CSV import session touched, kept for a day to resolve account names",
  outbox_events: "the transactional outbox: events already delivered, or re-raised by the restore's own writes",
  notifications: "per-user bell entries; they point at moments, not data, and would re-notify after a restore",
  capture_tokens: "hashes of inbound-address and calendar-feed tokens: after a restore users make new ones (shown once)",
  bulk_jobs: "progress of bulk changes; each change it made is in the records and the audit log",
  score_models: "win-score model versions, refitted nightly from the backed-up deals and their history",
  automation_runs: "run history of automation rules: restoring it would block records from re-entering rules",
  automation_run_steps: "the steps of automation runs (see automation_runs)",
  notification_preferences: "per-user delivery choices, re-chosen in a minute; users themselves are backed up",
};

export const tableName = (t: PgTable) => getTableName(t);

/** Stored columns (generated ones, such as search vectors, are recomputed by Postgres on restore). */
export function storedColumns(t: PgTable): string[] {
  return Object.values(getTableColumns(t))
    .filter((c) => !c.generated)
    .map((c) => c.name);
}

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
