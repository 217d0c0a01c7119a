import { sql, type SQL } from "drizzle-orm";
import { attachments } from "../../../db/schema";
import { entities, type EntityDef } from "../records/entities";

export type AttachmentParentType = "account" | "contact" | "lead" | "opportunity";

/** The attachments column that points at each kind of parent record. */
export const parentColumn = {
  account: attachments.accountId,
  contact: attachments.contactId,
  lead: attachments.leadId,
  opportunity: attachments.opportunityId,
} as const;

/** The same link as a property name, for inserts into attachments and activities. */
export const parentKey = { account: "accountId", contact: "contactId", lead: "leadId", opportunity: "opportunityId" } as const;

export const parentDefs: Record<AttachmentParentType, EntityDef> = {
  account: entities.account,
  contact: entities.contact,
  lead: entities.lead,
  opportunity: entities.opportunity,
};

export function parentOf(row: { accountId: string | null; contactId: string | null; leadId: string | null; opportunityId: string | null }): { type: AttachmentParentType; id: string } {
  if (row.accountId) return { type: "account", id: row.accountId };
  if (row.contactId) return { type: "contact", id: row.contactId };
  if (row.leadId) return { type: "lead", id: row.leadId };
  return { type: "opportunity", id: row.opportunityId! };
}

/**
 * True when the attachment's parent record is live in the same workspace. Reads of an attachment go through its
 * parent: once the record is deleted its files are out of reach too (restoring the record brings them back).
 */
export const parentIsLive: SQL = sql`(
  (${attachments.accountId} is not null and exists (select 1 from accounts p where p.id = ${attachments.accountId} and p.workspace_id = ${attachments.workspaceId} and p.deleted_at is null))
  or (${attachments.contactId} is not null and exists (select 1 from contacts p where p.id = ${attachments.contactId} and p.workspace_id = ${attachments.workspaceId} and p.deleted_at is null))
  or (${attachments.leadId} is not null and exists (select 1 from leads p where p.id = ${attachments.leadId} and p.workspace_id = ${attachments.workspaceId} and p.deleted_at is null))
  or (${attachments.opportunityId} is not null and exists (select 1 from opportunities p where p.id = ${attachments.opportunityId} and p.workspace_id = ${attachments.workspaceId} and p.deleted_at is null))
)`;
