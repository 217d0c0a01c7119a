import { and, eq, inArray } from "drizzle-orm";
import type { Executor } from "../../../db/client";
import { notificationPreferences } from "../../../db/schema";
import { notificationKindValues, type NotificationChannel } from "../../schemas/notifications";
import type { NotificationKind } from "./notify";

/** Without a stored choice every kind goes to the bell only. */
export const DEFAULT_CHANNEL: NotificationChannel = "in_app";

/** Each kind's channel for one user (defaults filled in). */
export async function readPreferences(db: Executor, userId: string): Promise<Record<NotificationKind, NotificationChannel>> {
  const rows = await db.select().from(notificationPreferences).where(eq(notificationPreferences.userId, userId));
  const out = Object.fromEntries(notificationKindValues.map((k) => [k, DEFAULT_CHANNEL])) as Record<NotificationKind, NotificationChannel>;
  for (const r of rows) if (r.kind in out) out[r.kind as NotificationKind] = r.channel as NotificationChannel;
  return out;
}

/** The users among `userIds` who turned `kind` off (notify() skips them). */
export async function usersWithKindOff(db: Executor, userIds: string[], kind: string): Promise<Set<string>> {
  if (!userIds.length) return new Set();
  const rows = await db
    .select({ userId: notificationPreferences.userId })
    .from(notificationPreferences)
    .where(and(inArray(notificationPreferences.userId, userIds), eq(notificationPreferences.kind, kind), eq(notificationPreferences.channel, "off")));
  return new Set(rows.map((r) => r.userId));
}
