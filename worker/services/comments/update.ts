import { inArray } from "drizzle-orm";
import { eq } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { activities, users } from "../../../db/schema";
import { ForbiddenError, ValidationError } from "../../lib/errors";
import { recordAudit, type Actor } from "../audit/record";
import { assertMentionable } from "./mentions";
import { loadComment } from "./load";
import { notifyMentions } from "./notify-mentions";
import { serializeComment, type Comment } from "./serialize";
import type { CommentTargetType } from "./target";

/** Edits a comment's text (its author only); it is marked edited, and people newly mentioned are notified. */
export async function updateComment(input: { db: Database; actor: Actor; type: CommentTargetType; id: string; commentId: string; body: string }): Promise<Comment> {
  const { db, actor } = input;
  const body = input.body.trim();
  if (!body) throw new ValidationError("Write something first (or delete the comment)", [{ path: "body", message: "is empty" }]);
  const names = await assertMentionable(db.http, actor.workspaceId, body);
  const row = await db.transaction(async (tx) => {
    const { row: before, target } = await loadComment(tx, actor.workspaceId, input.type, input.id, input.commentId);
    if (before.actorId !== actor.userId) throw new ForbiddenError("Only the author can edit a comment");
    const editedAt = new Date().toISOString();
    const [after] = await tx
      .update(activities)
      .set({ body, properties: { ...before.properties, mentions: [...names.keys()], editedAt }, updatedAt: new Date() })
      .where(eq(activities.id, before.id))
      .returning();
    await recordAudit(tx, actor, { action: "update", entityType: "comment", entityId: before.id, changes: { body: { from: before.body, to: body } } });
    await notifyMentions(tx, { actor, target, commentId: before.id, body, userIds: [...names.keys()] });
    return after!;
  });
  if (row.actorId) {
    const [me] = await db.http.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, [row.actorId]));
    if (me) names.set(me.id, me.name);
  }
  return serializeComment(row as unknown as Record<string, unknown>, names);
}
