import { and, eq, isNull, ne } from "drizzle-orm";
import type { Executor } from "../../../../db/client";
import { sessions } from "../../../../db/schema";

export type RevokeReason =
  | "sign_out"
  | "sign_out_everywhere"
  | "refresh_token_reuse"
  | "password_changed"
  | "password_reset"
  | "deactivated";

/**
 * Ends a user's sessions (all, or all but `except`): their access tokens stop working on the next request and their
 * refresh tokens are refused. Returns how many were live.
 */
export async function revokeUserSessions(db: Executor, input: { userId: string; reason: RevokeReason; except?: string; now?: Date }): Promise<number> {
  const rows = await db
    .update(sessions)
    .set({ revokedAt: input.now ?? new Date(), revokedReason: input.reason })
    .where(and(eq(sessions.userId, input.userId), isNull(sessions.revokedAt), input.except ? ne(sessions.id, input.except) : undefined))
    .returning({ id: sessions.id });
  return rows.length;
}

/** Ends one session of the user (sign out on this device). Signing out twice is not an error. */
export async function revokeSession(db: Executor, input: { sessionId: string; userId: string; reason: RevokeReason; now?: Date }): Promise<boolean> {
  const rows = await db
    .update(sessions)
    .set({ revokedAt: input.now ?? new Date(), revokedReason: input.reason })
    .where(and(eq(sessions.id, input.sessionId), eq(sessions.userId, input.userId), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  return rows.length > 0;
}
