import type { Executor } from "../../../db/client";
import { entities, type EntityType } from "../records/entities";
import { loadRecord } from "../records/load";

/** What a comment can be on: a record, or any timeline item (an activity). */
export type CommentTargetType = EntityType;

const column = { account: "accountId", contact: "contactId", lead: "leadId", opportunity: "opportunityId" } as const;
type RecordColumn = (typeof column)[keyof typeof column];

export interface CommentTarget {
  type: CommentTargetType;
  id: string;
  /** A record's comments carry its id in its timeline column; a timeline item's comments carry it as parent_id. */
  links: Partial<Record<RecordColumn, string>>;
  /** The record page a comment lives on (for notification links): the item's own record for a timeline item. */
  page: { type: Exclude<EntityType, "activity">; id: string; name: string | null } | null;
}

/** Loads the record (or timeline item) being commented on; 404 when it is not the caller's workspace's. */
export async function loadCommentTarget(db: Executor, workspaceId: string, type: CommentTargetType, id: string): Promise<CommentTarget> {
  const row = await loadRecord(db, entities[type], workspaceId, id);
  if (type !== "activity") return { type, id, links: { [column[type]]: id }, page: { type, id, name: (row.name as string | null) ?? null } };
  // The most specific record the item is about, as on the timeline: a deal before its account.
  const order = ["opportunity", "lead", "contact", "account"] as const;
  const on = order.find((t) => typeof row[column[t]] === "string");
  if (!on) return { type, id, links: {}, page: null };
  const rec = await loadRecord(db, entities[on], workspaceId, row[column[on]] as string).catch(() => null);
  return { type, id, links: {}, page: rec ? { type: on, id: rec.id as string, name: (rec.name as string | null) ?? null } : null };
}

export const recordColumnOf = (type: CommentTargetType) => (type === "activity" ? null : column[type]);
