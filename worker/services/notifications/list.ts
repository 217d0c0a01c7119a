import { and, count, desc, eq, isNull, sql } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { notifications, users } from "../../../db/schema";
import { afterCursor, decodeCursor, encodeCursor } from "../../lib/cursor";
import type { Notification } from "../../schemas/notifications";

/**
 * The caller's notifications, newest first, keyset-paginated on (created_at, id) — the index
 * notifications_user_created_idx (or its unread partial twin) — with the unread count for the bell.
 */
export async function listNotifications(input: { db: Database; userId: string; workspaceId: string; limit: number; cursor?: string; unreadOnly?: boolean }) {
  const { db, userId, workspaceId, limit } = input;
  const k = input.cursor ? decodeCursor(input.cursor) : undefined;
  const where = and(
    eq(notifications.userId, userId),
    eq(notifications.workspaceId, workspaceId),
    input.unreadOnly ? isNull(notifications.readAt) : undefined,
    k ? afterCursor(sql`${notifications.createdAt}`, sql`${notifications.id}`, "desc", k, "::timestamptz") : undefined,
  );
  const [rows, unread] = await Promise.all([
    db.http
      .select({ n: notifications, actorName: users.name })
      .from(notifications)
      .leftJoin(users, eq(users.id, notifications.actorId))
      .where(where)
      .orderBy(desc(notifications.createdAt), desc(notifications.id))
      .limit(limit + 1),
    unreadCount(db, userId),
  ]);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    data: page.map(({ n, actorName }) => serializeNotification(n, actorName)),
    nextCursor: rows.length > limit && last ? encodeCursor({ value: new Date(last.n.createdAt).toISOString(), id: last.n.id }) : null,
    unreadCount: unread,
  };
}

export async function unreadCount(db: Database, userId: string): Promise<number> {
  const [row] = await db.http.select({ n: count() }).from(notifications).where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
  return Number(row?.n ?? 0);
}

function serializeNotification(n: typeof notifications.$inferSelect, actorName: string | null): Notification {
  return {
    id: n.id,
    kind: n.kind as Notification["kind"],
    title: n.title,
    body: n.body,
    entityType: n.entityType,
    entityId: n.entityId,
    link: n.link,
    actor: n.actorId && actorName !== null ? { id: n.actorId, name: actorName } : null,
    createdAt: new Date(n.createdAt).toISOString(),
    readAt: n.readAt ? new Date(n.readAt).toISOString() : null,
  };
}
