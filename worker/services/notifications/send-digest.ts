import { and, asc, eq, gt, inArray, isNull, sql } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { notificationPreferences, notifications, users } from "../../../db/schema";
import type { EmailProvider } from "../../email";
import { notificationEmail } from "./email";

/** Notifications per digest e-mail (the rest are counted, and all are in the bell). */
const DIGEST_MAX = 50;

/**
 * The daily digest (cron, 07:00 UTC): for each user with at least one kind set to "digest", one e-mail with that
 * kind's notifications of the last day still unread and not e-mailed; they are marked e-mailed so the next digest
 * does not repeat them. Returns how many digests were sent.
 */
export async function sendNotificationDigests(input: { db: Database; mailer: EmailProvider; appUrl: string; brand: string }): Promise<number> {
  const { db } = input;
  const pending = await db.http
    .select()
    .from(notifications)
    .where(
      and(
        isNull(notifications.emailedAt),
        isNull(notifications.readAt),
        gt(notifications.createdAt, sql`now() - interval '1 day'`),
        sql`exists (select 1 from ${notificationPreferences} p where p.user_id = ${notifications.userId} and p.kind = ${notifications.kind} and p.channel = 'digest')`,
      ),
    )
    .orderBy(asc(notifications.createdAt));
  if (!pending.length) return 0;
  const byUser = new Map<string, typeof pending>();
  for (const n of pending) byUser.set(n.userId, [...(byUser.get(n.userId) ?? []), n]);
  const people = await db.http.select({ id: users.id, email: users.email, name: users.name, active: users.active }).from(users).where(inArray(users.id, [...byUser.keys()]));
  let sent = 0;
  for (const who of people) {
    const rows = byUser.get(who.id)!;
    if (!who.active) continue;
    const shown = rows.slice(0, DIGEST_MAX);
    const more = rows.length - shown.length;
    try {
      await input.mailer.send(
        notificationEmail({
          to: who.email,
          name: who.name,
          subject: `Your ${input.brand} digest: ${rows.length} notification${rows.length === 1 ? "" : "s"}`,
          intro: `What happened since yesterday${more ? ` (the first ${DIGEST_MAX}; ${more} more in the app)` : ""}:`,
          rows: shown,
          appUrl: input.appUrl,
          brand: input.brand,
        }),
      );
      await db.http.update(notifications).set({ emailedAt: new Date() }).where(and(eq(notifications.userId, who.id), inArray(notifications.id, rows.map((r) => r.id))));
      sent++;
    } catch (err) {
      console.error(JSON.stringify({ level: "error", msg: "notification digest failed", userId: who.id, error: String(err) }));
    }
  }
  return sent;
}
