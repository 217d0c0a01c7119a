import { and, eq, isNull } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { attachments } from "../../../db/schema";
import { NotFoundError } from "../../lib/errors";
import type { AttachmentStore, StoredObject } from "../../storage/attachments";
import { parentIsLive } from "./parent";
import { StorageUnavailableError } from "./upload";
import { isUuid } from "../../lib/uuid";

/**
 * The attachment row and its object, for streaming to the caller. Another workspace's file, a deleted file and a
 * file whose record was deleted are all the same 404.
 */
export async function openAttachment(input: { db: Database; store: AttachmentStore; workspaceId: string; id: string; requestId?: string }): Promise<{ row: typeof attachments.$inferSelect; object: StoredObject }> {
  const { db, store, workspaceId, id } = input;
  if (!isUuid(id)) throw new NotFoundError("Attachment");
  const [row] = await db.http
    .select()
    .from(attachments)
    .where(and(eq(attachments.id, id), eq(attachments.workspaceId, workspaceId), isNull(attachments.deletedAt), parentIsLive))
    .limit(1);
  if (!row) throw new NotFoundError("Attachment");
  let object: StoredObject | null;
  try {
    object = await store.get(row.r2Key);
  } catch (err) {
    console.error(JSON.stringify({ level: "error", msg: "attachment get failed", requestId: input.requestId, key: row.r2Key, error: String(err) }));
    throw new StorageUnavailableError("The file store is unavailable; try again in a moment.");
  }
  if (!object) {
    // A live row must always have its object; say so loudly, but to the caller it is simply not there.
    console.error(JSON.stringify({ level: "error", msg: "attachment object missing", requestId: input.requestId, attachmentId: id, key: row.r2Key }));
    throw new NotFoundError("Attachment");
  }
  return { row, object };
}
