import { and, eq, inArray, isNull } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { notifications } from "../../../db/schema";
import { unreadCount } from "./list";

/** Marks the caller's notifications read: the listed ids (others' ids are ignored, never an error) or all of them. */
export async function markNotificationsRead(input: { db: Database; userId: string; body: { ids?: string[]; all?: true } }) {
  const { db, userId, body } = input;
  const rows = await db.http
    .update(notifications)
    .set({ readAt: new Date() })
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt), body.ids ? inArray(notifications.id, body.ids) : undefined))
    .returning({ id: notifications.id });
  return { updated: rows.length, unreadCount: await unreadCount(db, userId) };
}
