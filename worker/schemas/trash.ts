import { z } from "zod";

/** Trash (Recently deleted) contracts. The SPA imports these; they import only zod. */

export const trashEntities = ["accounts", "contacts", "leads", "opportunities"] as const;
export type TrashEntity = (typeof trashEntities)[number];

/** Deleted records stay restorable this long; the nightly maintenance then deletes them for good. */
export const TRASH_RETENTION_DAYS = 30;

export const trashQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

export const trashItemSchema = z
  .object({
    id: z.string(),
    name: z.string().nullable(),
    deletedAt: z.string(),
    /** Who moved it to the trash (from the audit log); null when unknown (e.g. deleted before auditing). */
    deletedBy: z.object({ id: z.string(), name: z.string() }).nullable(),
    /** When the nightly purge deletes it for good. */
    purgeAt: z.string(),
    /** Whole days left before the purge (0 on the last day). */
    daysLeft: z.number().int(),
  })
  .meta({ id: "TrashItem" });
export type TrashItem = z.infer<typeof trashItemSchema>;
export const trashPageSchema = z.object({ data: z.array(trashItemSchema), nextCursor: z.string().nullable(), retentionDays: z.number().int() });
export type TrashPage = z.infer<typeof trashPageSchema>;
