import { and, eq, isNull } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { activities, users } from "../../../db/schema";
import { ValidationError } from "../../lib/errors";
import { isUuid } from "../../lib/uuid";
import { emit } from "../../events/outbox";
import { recordAudit, type Actor } from "../audit/record";
import { serialize } from "../records/serialize";
import { assertMentionable } from "./mentions";
import { loadCommentTarget, type CommentTarget, type CommentTargetType } from "./target";
import { serializeComment, type Comment } from "./serialize";
import { notifyMentions } from "./notify-mentions";

/**
 * Adds a comment (a `comment` activity) to a record or a timeline item, or a reply to a top-level comment of it
 * (`parentId`; a reply to a reply joins the same thread: threads are one level deep). Mentions are checked first
 * (someone without access refuses the whole comment); the comment, its audit entry and the mentioned users'
 * notifications are written in one transaction.
 */
export async function createComment(input: { db: Database; actor: Actor; type: CommentTargetType; id: string; body: string; parentId?: string | null }): Promise<Comment> {
  const { db, actor, type, id } = input;
  const body = input.body.trim();
  if (!body) throw new ValidationError("Write something first", [{ path: "body", message: "is empty" }]);
  const target = await loadCommentTarget(db.http, actor.workspaceId, type, id);
  const names = await assertMentionable(db.http, actor.workspaceId, body);
  const parentId = input.parentId ? await threadParent(db, actor.workspaceId, target, input.parentId) : type === "activity" ? id : null;

  const row = await db.transaction(async (tx) => {
    const [created] = await tx
      .insert(activities)
      .values({
        workspaceId: actor.workspaceId,
        type: "comment",
        body,
        properties: { mentions: [...names.keys()] },
        actorId: actor.userId,
        parentId,
        ...target.links,
      })
      .returning();
    await recordAudit(tx, actor, { action: "create", entityType: "comment", entityId: created!.id, changes: { body: { from: null, to: body }, parentId: { from: null, to: parentId } } });
    await notifyMentions(tx, { actor, target, commentId: created!.id, body, userIds: [...names.keys()] });
    await emit(tx, actor, { type: "comment.created", entityType: "activity", entityId: created!.id, data: { comment: serialize(created as Record<string, unknown>), on: { type, id } } });
    return created!;
  });
  if (actor.userId) {
    const [me] = await db.http.select({ name: users.name }).from(users).where(eq(users.id, actor.userId)).limit(1);
    if (me) names.set(actor.userId, me.name);
  }
  return { ...serializeComment(row as Record<string, unknown>, names), replies: [] };
}

/** The top-level comment a reply belongs to: the parent itself, or (a reply to a reply) the parent's own parent. */
async function threadParent(db: Database, workspaceId: string, target: CommentTarget, parentId: string): Promise<string> {
  const bad = () => new ValidationError("The comment you reply to is not on this record", [{ path: "parentId", message: "no such comment here" }]);
  if (!isUuid(parentId)) throw bad();
  const [parent] = await db.http
    .select()
    .from(activities)
    .where(and(eq(activities.id, parentId), eq(activities.workspaceId, workspaceId), eq(activities.type, "comment"), isNull(activities.deletedAt)))
    .limit(1);
  if (!parent) throw bad();
  const rootParent = target.type === "activity" ? target.id : null;
  if (parent.parentId === rootParent) {
    const col = Object.entries(target.links)[0];
    if (col && (parent as Record<string, unknown>)[col[0]] !== col[1]) throw bad();
    return parent.id;
  }
  // The parent is itself a reply: answer in its thread.
  return parent.parentId!;
}
