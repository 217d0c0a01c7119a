import { eq } from "drizzle-orm";
import type { Executor } from "../../../db/client";
import { users } from "../../../db/schema";
import type { Actor } from "../audit/record";
import { notify } from "../notifications/notify";
import type { CommentTarget } from "./target";

const plural = { account: "accounts", contact: "contacts", lead: "leads", opportunity: "opportunities" } as const;

/** The comment's address in the SPA: its record page, scrolled to the comment. */
export function commentLink(target: CommentTarget, commentId: string): string | null {
  return target.page ? `/${plural[target.page.type]}/${target.page.id}#comment-${commentId}` : null;
}

/** Mentions as plain text for a notification: `@[Ann](user:…)` → `@Ann`. */
export const plainMentions = (body: string) => body.replace(/@\[([^\]\n]{1,120})\]\(user:[0-9a-fA-F-]{36}\)/g, "@$1");

/**
 * Notifies the mentioned users (not the author) of a comment. Idempotent per comment and user (`mention:<id>`), so an
 * edit that keeps a mention does not notify again and one that adds a mention notifies only the new person.
 */
export async function notifyMentions(db: Executor, input: { actor: Actor; target: CommentTarget; commentId: string; body: string; userIds: string[] }) {
  const userIds = input.userIds.filter((u) => u !== input.actor.userId);
  if (!userIds.length) return;
  const [me] = input.actor.userId ? await db.select({ name: users.name }).from(users).where(eq(users.id, input.actor.userId)).limit(1) : [];
  const where = input.target.page?.name ? ` on ${input.target.page.name}` : "";
  await notify(db, {
    workspaceId: input.actor.workspaceId,
    userIds,
    kind: "mention",
    title: `${me?.name ?? "Someone"} mentioned you${where}`,
    body: plainMentions(input.body).slice(0, 500),
    entityType: input.target.page?.type ?? input.target.type,
    entityId: input.target.page?.id ?? input.target.id,
    link: commentLink(input.target, input.commentId),
    actorId: input.actor.userId,
    dedupeKey: `mention:${input.commentId}`,
  });
}
