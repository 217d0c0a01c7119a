import type { Database } from "../../../../db/client";
import { recordAudit, type Actor } from "../../audit/record";
import { revokeSession, revokeUserSessions } from "./revoke";

/**
 * Ends the caller's session on this device, or (`everywhere`) every session of the caller, this one included, with
 * an audit entry: access tokens stop working on their next request, refresh tokens are refused.
 */
export async function signOut(input: { db: Database; actor: Actor & { userId: string }; sessionId: string; everywhere: boolean }): Promise<{ revoked: number }> {
  const { db, actor, sessionId } = input;
  if (!input.everywhere) {
    return { revoked: (await revokeSession(db.http, { sessionId, userId: actor.userId, reason: "sign_out" })) ? 1 : 0 };
  }
  return db.transaction(async (tx) => {
    const revoked = await revokeUserSessions(tx, { userId: actor.userId, reason: "sign_out_everywhere" });
    await recordAudit(tx, actor, { action: "user.sign_out_everywhere", entityType: "user", entityId: actor.userId, changes: { sessions: { from: `${revoked} active`, to: "ended" } } });
    return { revoked };
  });
}
