import { notifications } from "../../../db/schema";
import type { Executor } from "../../../db/client";
import { usersWithKindOff } from "./preferences";

export const notificationKinds = ["automation", "mention", "assignment", "ai", "rotting", "reminder", "system"] as const;
export type NotificationKind = (typeof notificationKinds)[number];

export interface NotifyInput {
  workspaceId: string;
  userIds: string[];
  kind: NotificationKind;
  title: string;
  body?: string | null;
  entityType?: string | null;
  entityId?: string | null;
  link?: string | null;
  actorId?: string | null;
  /** Stable per cause (e.g. `evt:<eventId>:<rule>` or `mention:<commentId>`): delivering the same cause twice notifies once. */
  dedupeKey: string;
}

/**
 * The one verb that puts something in users' notification bells. Idempotent per (user, dedupeKey), so a consumer
 * that sees an event twice never notifies twice. E-mail delivery (immediate or digest) reads these rows afterwards,
 * per the user's preferences; a kind the user turned off is not stored for them. Returns the ids of rows created.
 */
export async function notify(db: Executor, input: NotifyInput): Promise<string[]> {
  const wanted = [...new Set(input.userIds.filter(Boolean))];
  // A user who turned this kind off gets nothing (Settings → Notifications, PUT /api/notifications/preferences).
  const off = await usersWithKindOff(db, wanted, input.kind);
  const userIds = wanted.filter((u) => !off.has(u));
  if (!userIds.length) return [];
  const rows = await db
    .insert(notifications)
    .values(
      userIds.map((userId) => ({
        workspaceId: input.workspaceId,
        userId,
        kind: input.kind,
        title: input.title.slice(0, 300),
        body: input.body?.slice(0, 2000) ?? null,
        entityType: input.entityType ?? null,
        entityId: input.entityId ?? null,
        link: input.link ?? null,
        actorId: input.actorId ?? null,
        dedupeKey: input.dedupeKey,
      })),
    )
    .onConflictDoNothing({ target: [notifications.userId, notifications.dedupeKey] })
    .returning({ id: notifications.id });
  return rows.map((r) => r.id);
}
