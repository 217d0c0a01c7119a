import { and, desc, eq, isNull } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { attachments, users } from "../../../db/schema";
import type { Attachment } from "../../schemas/attachments";
import { loadRecord } from "../records/load";
import { parentColumn, parentDefs, type AttachmentParentType } from "./parent";
import { serializeAttachment } from "./serialize";

/** A record's files, newest first (404 when the record is not the caller's or is deleted). */
export async function listAttachments(input: { db: Database; workspaceId: string; parentType: AttachmentParentType; recordId: string }): Promise<Attachment[]> {
  const { db, workspaceId, parentType, recordId } = input;
  await loadRecord(db.http, parentDefs[parentType], workspaceId, recordId);
  const rows = await db.http
    .select({ row: attachments, uploaderId: users.id, uploaderName: users.name })
    .from(attachments)
    .leftJoin(users, eq(users.id, attachments.uploadedBy))
    .where(and(eq(parentColumn[parentType], recordId), eq(attachments.workspaceId, workspaceId), isNull(attachments.deletedAt)))
    .orderBy(desc(attachments.createdAt), desc(attachments.id));
  return rows.map((r) => serializeAttachment(r.row, r.uploaderId ? { id: r.uploaderId, name: r.uploaderName! } : null));
}
