import { and, eq, gt, inArray, isNull, sql } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { notificationPreferences, notifications, users } from "../../../db/schema";
import type { EmailProvider } from "../../email";
import { notificationEmail } from "./email";

/**
 * Immediate e-mails (run every minute by the cron): each notification of the last hour not yet e-mailed whose
 * recipient chose "email" for its kind goes out on its own, then is marked e-mailed — a row is claimed (emailed_at
 * set) before it is sent, so two overlapping runs never send it twice. Returns how many were sent.
 */
export async function sendImmediateNotificationEmails(input: { db: Database; mailer: EmailProvider; appUrl: string; brand: string }): Promise<number> {
  const { db } = input;
  const claimed = await db.http
    .update(notifications)
    .set({ emailedAt: new Date() })
    .where(
      and(
        isNull(notifications.emailedAt),
        gt(notifications.createdAt, sql`now() - interval '1 hour'`),
        sql`exists (select 1 from ${notificationPreferences} p where p.user_id = ${notifications.userId} and p.kind = ${notifications.kind} and p.channel = 'email')`,
      ),
    )
    .returning();
  if (!claimed.length) return 0;
  const people = await db.http.select({ id: users.id, email: users.email, name: users.name, active: users.active }).from(users).where(inArray(users.id, [...new Set(claimed.map((c) => c.userId))]));
  const byId = new Map(people.map((p) => [p.id, p]));
  let sent = 0;
  for (const n of claimed) {
    const who = byId.get(n.userId);
    if (!who?.active) continue;
    try {
      await input.mailer.send(notificationEmail({ to: who.email, name: who.name, subject: n.title, intro: "You have a new notification:", rows: [n], appUrl: input.appUrl, brand: input.brand }));
      sent++;
    } catch (err) {
      // Unclaim it: the next run tries again (within the hour).
      await db.http.update(notifications).set({ emailedAt: null }).where(eq(notifications.id, n.id));
      console.error(JSON.stringify({ level: "error", msg: "notification e-mail failed", notificationId: n.id, error: String(err) }));
    }
  }
  return sent;
}
