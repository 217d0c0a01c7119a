import { sql } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { notificationPreferences } from "../../../db/schema";
import type { NotificationChannel } from "../../schemas/notifications";
import { readPreferences } from "./preferences";

/** Sets the caller's channel per notification kind (kinds not named keep theirs); answers the whole set. */
export async function setNotificationPreferences(input: { db: Database; userId: string; preferences: Partial<Record<string, NotificationChannel>> }) {
  const { db, userId } = input;
  const entries = Object.entries(input.preferences).filter((e): e is [string, NotificationChannel] => typeof e[1] === "string");
  if (entries.length) {
    await db.http
      .insert(notificationPreferences)
      .values(entries.map(([kind, channel]) => ({ userId, kind, channel })))
      .onConflictDoUpdate({ target: [notificationPreferences.userId, notificationPreferences.kind], set: { channel: sql`excluded.channel`, updatedAt: new Date() } });
  }
  return { preferences: await readPreferences(db.http, userId) };
}
