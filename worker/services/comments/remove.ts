import { and, eq, isNull, or } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { activities } from "../../../db/schema";
import type { Role } from "../../schemas/common";
import { ForbiddenError } from "../../lib/errors";
import { recordAudit, type Actor } from "../audit/record";
import { loadComment } from "./load";
import type { CommentTargetType } from "./target";

/** Deletes a comment (its author, or an ADMIN), with its replies: a thread never loses its opening comment alone. */
export async function removeComment(input: { db: Database; actor: Actor; role: Role; type: CommentTargetType; id: string; commentId: string }): Promise<{ id: string; deleted: number }> {
  const { db, actor } = input;
  return db.transaction(async (tx) => {
    const { row } = await loadComment(tx, actor.workspaceId, input.type, input.id, input.commentId);
    if (row.actorId !== actor.userId && input.role !== "ADMIN") throw new ForbiddenError("Only the author or an ADMIN can delete a comment");
    const gone = await tx
      .update(activities)
      .set({ deletedAt: new Date() })
      .where(and(eq(activities.workspaceId, actor.workspaceId), eq(activities.type, "comment"), isNull(activities.deletedAt), or(eq(activities.id, row.id), eq(activities.parentId, row.id))))
      .returning({ id: activities.id });
    await recordAudit(tx, actor, { action: "delete", entityType: "comment", entityId: row.id, changes: { body: { from: row.body, to: null } } });
    return { id: row.id, deleted: gone.length };
  });
}
