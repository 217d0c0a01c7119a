import { z } from "zod";

/** Notification centre contracts (issue 13). The SPA imports these; they import only zod. */

export const notificationKindValues = ["automation", "mention", "assignment", "ai", "rotting", "reminder", "system"] as const;
export const notificationChannels = ["in_app", "email", "digest", "off"] as const;

export const notificationSchema = z
  .object({
    id: z.uuid(),
    kind: z.enum(notificationKindValues),
    title: z.string(),
    body: z.string().nullable(),
    entityType: z.string().nullable(),
    entityId: z.uuid().nullable(),
    /** The SPA path it opens, e.g. /opportunities/<id>. */
    link: z.string().nullable(),
    actor: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    createdAt: z.string(),
    readAt: z.string().nullable(),
  })
  .meta({ id: "Notification" });
export type Notification = z.infer<typeof notificationSchema>;

export const notificationListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(500).optional(),
  unread: z.enum(["true", "false"]).optional().describe("true: only unread ones"),
});

export const notificationListSchema = z.object({
  data: z.array(notificationSchema),
  nextCursor: z.string().nullable(),
  /** Unread notifications in all (the bell's count). */
  unreadCount: z.number().int(),
});

export const markReadSchema = z
  .strictObject({
    ids: z.array(z.uuid()).min(1).max(500).optional().describe("These notifications of yours"),
    all: z.literal(true).optional().describe("Every unread notification of yours"),
  })
  .refine((b) => (b.ids === undefined) !== (b.all === undefined), { message: "send either ids or all: true", path: ["ids"] });
export const markReadResultSchema = z.object({ updated: z.number().int(), unreadCount: z.number().int() });

export const notificationPreferencesSchema = z
  .object({
    /** Per kind: in_app (the bell only), email (the bell and an e-mail at once), digest (the bell and the daily e-mail), off. */
    preferences: z.record(z.enum(notificationKindValues), z.enum(notificationChannels)),
  })
  .meta({ id: "NotificationPreferences" });
export const notificationPreferencesPutSchema = z.strictObject({
  preferences: z.partialRecord(z.enum(notificationKindValues), z.enum(notificationChannels)),
});
export type NotificationChannel = (typeof notificationChannels)[number];
