import type { attachments } from "../../../db/schema";
import type { Attachment } from "../../schemas/attachments";
import { parentOf } from "./parent";

type Row = typeof attachments.$inferSelect;

export function serializeAttachment(row: Row, uploader: { id: string; name: string } | null): Attachment {
  return {
    id: row.id,
    filename: row.filename,
    contentType: row.contentType,
    size: Number(row.size),
    parent: parentOf(row),
    uploadedBy: uploader,
    createdAt: row.createdAt.toISOString(),
    downloadUrl: `/api/attachments/${row.id}/download`,
  };
}
