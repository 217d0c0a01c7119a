import { and, eq, isNull } from "drizzle-orm";
import type { Executor } from "../../../db/client";
import { activities } from "../../../db/schema";
import { NotFoundError } from "../../lib/errors";
import { isUuid } from "../../lib/uuid";
import { loadCommentTarget, recordColumnOf, type CommentTarget, type CommentTargetType } from "./target";

/** One comment of the record (or timeline item) in the path, locked for the caller's transaction; 404 otherwise. */
export async function loadComment(tx: Executor, workspaceId: string, type: CommentTargetType, id: string, commentId: string): Promise<{ row: typeof activities.$inferSelect; target: CommentTarget }> {
  const target = await loadCommentTarget(tx, workspaceId, type, id);
  if (!isUuid(commentId)) throw new NotFoundError("Comment");
  const [row] = await tx
    .select()
    .from(activities)
    .where(and(eq(activities.id, commentId), eq(activities.workspaceId, workspaceId), eq(activities.type, "comment"), isNull(activities.deletedAt)))
    .for("update");
  const col = recordColumnOf(type);
  if (!row) throw new NotFoundError("Comment");
  if (col ? row[col] !== id : !(row.parentId === id || (row.parentId && (await isCommentOn(tx, row.parentId, id))))) throw new NotFoundError("Comment");
  return { row, target };
}

async function isCommentOn(tx: Executor, commentId: string, itemId: string) {
  const [p] = await tx.select({ parentId: activities.parentId }).from(activities).where(eq(activities.id, commentId)).limit(1);
  return p?.parentId === itemId;
}
