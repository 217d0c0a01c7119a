import { eq } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { activities, attachments, users } from "../../../db/schema";
import { ProblemError, ValidationError } from "../../lib/errors";
import type { Attachment } from "../../schemas/attachments";
import { attachmentKey, type AttachmentStore } from "../../storage/attachments";
import { recordAudit, type Actor } from "../audit/record";
import { loadRecord } from "../records/load";
import { emit } from "../../events/outbox";
import { serialize } from "../records/serialize";
import { cleanFilename, resolveContentType, SNIFF_BYTES } from "./content-type";
import { assertWorkspaceQuota } from "./limits";
import { parentDefs, parentKey, type AttachmentParentType } from "./parent";
import { serializeAttachment } from "./serialize";

export class StorageUnavailableError extends ProblemError {
  constructor(detail: string) {
    super(503, "Service Unavailable", detail, {}, { "Retry-After": "5" });
  }
}

/**
 * Stores a file on a record. Every check runs before a byte is stored; then the object is put in R2 and the row, the
 * timeline activity and the audit entry are written in one transaction. If that transaction fails the object is
 * deleted again, so a failed upload leaves neither a row nor (barring a second failure, which is logged) an object.
 */
export async function uploadAttachment(input: {
  db: Database;
  store: AttachmentStore;
  actor: Actor;
  parentType: AttachmentParentType;
  recordId: string;
  file: File;
  maxBytes: number;
  /** UPLOAD_WORKSPACE_QUOTA_BYTES: live files of the workspace plus this one; 0 = no quota. */
  quotaBytes: number;
  allowedTypes: readonly string[];
}): Promise<Attachment> {
  const { db, store, actor, parentType, recordId, file } = input;
  const def = parentDefs[parentType];
  await loadRecord(db.http, def, actor.workspaceId, recordId);

  const filename = cleanFilename(file.name);
  if (file.size === 0) throw new ValidationError("The file is empty", [{ path: "file", message: "is empty (0 bytes)" }]);
  if (file.size > input.maxBytes) {
    throw new ProblemError(413, "Content Too Large", `The file is ${file.size} bytes; the largest accepted is ${input.maxBytes} bytes`, {
      errors: [{ path: "file", message: `larger than ${input.maxBytes} bytes` }],
    });
  }
  await assertWorkspaceQuota({ db: db.http, quotaBytes: input.quotaBytes, workspaceId: actor.workspaceId, size: file.size });
  const head = new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer());
  const verdict = resolveContentType({ declared: file.type, filename, head, allowed: input.allowedTypes });
  if (!verdict.ok) throw new ProblemError(415, "Unsupported Media Type", verdict.detail, { errors: [{ path: "file", message: verdict.detail }] });

  const key = attachmentKey(actor.workspaceId, parentType, recordId);
  const link = { [parentKey[parentType]]: recordId } as Partial<Record<"accountId" | "contactId" | "leadId" | "opportunityId", string>>;
  try {
    await store.put(key, file, { contentType: verdict.contentType, size: file.size, customMetadata: { workspaceId: actor.workspaceId, recordId } });
  } catch (err) {
    console.error(JSON.stringify({ level: "error", msg: "attachment put failed", requestId: actor.requestId, key, error: String(err) }));
    throw new StorageUnavailableError("The file store is unavailable; nothing was saved. Try again in a moment.");
  }

  let saved: { row: typeof attachments.$inferSelect; activity: Record<string, unknown> };
  try {
    saved = await db.transaction(async (tx) => {
      // Locks the parent: a delete of the record racing this upload either waits or makes this fail (404).
      await loadRecord(tx, def, actor.workspaceId, recordId, { forUpdate: true });
      const [row] = await tx
        .insert(attachments)
        .values({
          workspaceId: actor.workspaceId,
          r2Key: key,
          filename,
          contentType: verdict.contentType,
          size: file.size,
          uploadedBy: actor.userId,
          ...link,
        })
        .returning();
      const [activity] = await tx
        .insert(activities)
        .values({
          workspaceId: actor.workspaceId,
          type: "attachment_added",
          subject: `Attached ${filename}`,
          properties: { attachmentId: row!.id, filename, contentType: verdict.contentType, size: file.size },
          actorId: actor.userId,
          ...link,
        })
        .returning();
      await recordAudit(tx, actor, {
        action: "create",
        entityType: "attachment",
        entityId: row!.id,
        changes: {
          filename: { from: null, to: filename },
          contentType: { from: null, to: verdict.contentType },
          size: { from: null, to: file.size },
          [parentKey[parentType]]: { from: null, to: recordId },
        },
      });
      await emit(tx, actor, { type: "activity.created", entityType: "activity", entityId: activity!.id, data: serialize(activity as Record<string, unknown>) });
      return { row: row!, activity: activity as Record<string, unknown> };
    });
  } catch (err) {
    await store.delete(key).catch((cleanupErr) => {
      // The object has no row pointing at it; the key in this log line is all that is left to find it.
      console.error(JSON.stringify({ level: "error", msg: "orphaned attachment object", requestId: actor.requestId, key, error: String(cleanupErr) }));
    });
    throw err;
  }

  const [uploader] = actor.userId
    ? await db.http.select({ id: users.id, name: users.name }).from(users).where(eq(users.id, actor.userId)).limit(1)
    : [];
  return serializeAttachment(saved.row, uploader ?? null);
}
