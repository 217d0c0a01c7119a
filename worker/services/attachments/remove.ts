import { and, eq, isNotNull, isNull } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { activities, attachments } from "../../../db/schema";
import { ForbiddenError, NotFoundError } from "../../lib/errors";
import type { Role } from "../../schemas/common";
import type { AttachmentStore } from "../../storage/attachments";
import { recordAudit, type Actor } from "../audit/record";
import { emit } from "../../events/outbox";
import { serialize } from "../records/serialize";
import { parentIsLive, parentKey, parentOf } from "./parent";
import { isUuid } from "../../lib/uuid";

/**
 * Deletes an attachment. Who may: ADMIN any file; USER only files they uploaded (fixing one's own wrong upload should
 * not need an admin, while other people's files follow the ADMIN-only rule for deletes); VIEWER never.
 *
 * The row is marked deleted (with its activity and audit entry) in one transaction first, so the file disappears for
 * everyone at once; then the object is deleted from R2 and the row removed. If R2 fails, the marked row stays behind
 * as the to-do list for purgeDeletedAttachments (the scheduled cleanup), which retries until the object is gone.
 */
export async function removeAttachment(input: { db: Database; store: AttachmentStore; actor: Actor; role: Role; id: string }): Promise<void> {
  const { db, store, actor, role, id } = input;
  if (!isUuid(id)) throw new NotFoundError("Attachment");
  const { row, activity } = await db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(attachments)
      .where(and(eq(attachments.id, id), eq(attachments.workspaceId, actor.workspaceId), isNull(attachments.deletedAt), parentIsLive))
      .for("update")
      .limit(1);
    if (!row) throw new NotFoundError("Attachment");
    if (role !== "ADMIN" && (role !== "USER" || row.uploadedBy === null || row.uploadedBy !== actor.userId)) {
      throw new ForbiddenError("Only the person who uploaded this file or an ADMIN can delete it");
    }
    const now = new Date();
    await tx.update(attachments).set({ deletedAt: now, updatedAt: now }).where(eq(attachments.id, id));
    const parent = parentOf(row);
    const [activity] = await tx
      .insert(activities)
      .values({
        workspaceId: actor.workspaceId,
        type: "attachment_removed",
        subject: `Removed ${row.filename}`,
        properties: { attachmentId: id, filename: row.filename, contentType: row.contentType, size: Number(row.size) },
        actorId: actor.userId,
        [parentKey[parent.type]]: parent.id,
      })
      .returning();
    await recordAudit(tx, actor, { action: "delete", entityType: "attachment", entityId: id, changes: { deletedAt: { from: null, to: now.toISOString() }, filename: { from: row.filename, to: row.filename } } });
    await emit(tx, actor, { type: "activity.created", entityType: "activity", entityId: activity!.id, data: serialize(activity as Record<string, unknown>) });
    return { row, activity: activity as Record<string, unknown> };
  });
  void activity;
  await purgeOne(db, store, row.id, row.r2Key, actor.requestId);
}

/** Deletes the object, then the tombstone row. False (and the row kept for a retry) when R2 fails. */
async function purgeOne(db: Database, store: AttachmentStore, id: string, key: string, requestId?: string): Promise<boolean> {
  try {
    await store.delete(key);
  } catch (err) {
    console.error(JSON.stringify({ level: "warn", msg: "attachment object delete failed; left for the cleanup", requestId, attachmentId: id, key, error: String(err) }));
    return false;
  }
  await db.http.delete(attachments).where(and(eq(attachments.id, id), isNotNull(attachments.deletedAt)));
  return true;
}

/**
 * The scheduled cleanup: finishes deletes whose R2 step failed (rows marked deleted whose object may still exist),
 * oldest first, at most `limit` per run. Safe to run concurrently with requests and with itself (R2 deletes are
 * idempotent; a row is removed only once it is marked deleted).
 */
export async function purgeDeletedAttachments(input: { db: Database; store: AttachmentStore; limit?: number; workspaceId?: string }): Promise<{ purged: number; failed: number }> {
  const { db, store } = input;
  const rows = await db.http
    .select({ id: attachments.id, key: attachments.r2Key })
    .from(attachments)
    .where(and(isNotNull(attachments.deletedAt), input.workspaceId ? eq(attachments.workspaceId, input.workspaceId) : undefined))
    .orderBy(attachments.deletedAt)
    .limit(input.limit ?? 100);
  let purged = 0;
  let failed = 0;
  for (const r of rows) {
    if (await purgeOne(db, store, r.id, r.key)) purged++;
    else failed++;
  }
  return { purged, failed };
}
