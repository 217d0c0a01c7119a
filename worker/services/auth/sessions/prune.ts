import { lt, or } from "drizzle-orm";
import type { Executor } from "../../../../db/client";
import { sessions } from "../../../../db/schema";

/** Ended sessions are kept this long (to explain a "session ended" and in case of an investigation), then deleted. */
const KEEP_DAYS = 30;

/** Deletes sessions (and, by cascade, their refresh-token hashes) that ended more than KEEP_DAYS ago. */
export async function pruneSessions(db: Executor, now = new Date()): Promise<number> {
  const before = new Date(now.getTime() - KEEP_DAYS * 86_400_000);
  const rows = await db
    .delete(sessions)
    .where(or(lt(sessions.absoluteExpiresAt, before), lt(sessions.idleExpiresAt, before), lt(sessions.revokedAt, before)))
    .returning({ id: sessions.id });
  return rows.length;
}
