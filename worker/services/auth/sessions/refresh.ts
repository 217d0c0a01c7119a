import { eq, sql } from "drizzle-orm";
import type { Database } from "../../../../db/client";
import { sessionRefreshTokens, sessions, users, workspaces } from "../../../../db/schema";
import { sha256Hex } from "../../../lib/tokens";
import { UnauthorizedError } from "../../../lib/errors";
import type { User } from "../../../schemas/common";
import { recordAudit } from "../../audit/record";
import { toUser } from "../login";
import { addSeconds, issueRefreshToken, signAccessToken } from "./open";
import type { IssuedTokens, SessionPolicy } from "./policy";

/** One answer for unknown, expired, revoked and reused refresh tokens. */
export const SESSION_ENDED = "Your session has ended; sign in again";

type Outcome = { ok: true; issued: IssuedTokens; user: User } | { ok: false };

/**
 * Trades the refresh token from the cookie for a new access token and a new refresh token (rotation). The session
 * slides: its idle deadline moves to now + idle, never past its absolute deadline.
 *
 * A token that was already rotated is either a second tab that refreshed at the same moment (the one just before
 * the current token, within the grace period: it gets an access token, and the cookie the browser holds stays) or a
 * copy in someone else's hands: then the whole session is revoked, for the thief and the owner alike, and audited.
 */
export async function refreshSession(input: {
  db: Database;
  refreshToken: string;
  policy: SessionPolicy;
  requestId?: string;
  now?: Date;
}): Promise<{ issued: IssuedTokens; user: User }> {
  const { db, policy } = input;
  const now = input.now ?? new Date();
  const tokenHash = await sha256Hex(input.refreshToken);
  const outcome = await db.transaction(async (tx): Promise<Outcome> => {
    const [row] = await tx
      .select({ token: sessionRefreshTokens, session: sessions, user: users, workspaceName: workspaces.name })
      .from(sessionRefreshTokens)
      .innerJoin(sessions, eq(sessions.id, sessionRefreshTokens.sessionId))
      .innerJoin(users, eq(users.id, sessions.userId))
      .innerJoin(workspaces, eq(workspaces.id, users.workspaceId))
      .where(eq(sessionRefreshTokens.tokenHash, tokenHash))
      // Serialises refreshes of one session; the locked session row is re-read after a concurrent rotation, so its
      // generation is current even when the token row we joined is not.
      .for("update", { of: sessions });
    if (!row) return { ok: false };
    const { token, session, user } = row;
    if (session.revokedAt || session.idleExpiresAt <= now || session.absoluteExpiresAt <= now || !user.active || user.deletedAt) return { ok: false };

    if (token.generation !== session.generation) {
      const justRotated =
        token.generation === session.generation - 1 &&
        session.lastRefreshedAt !== null &&
        now.getTime() - session.lastRefreshedAt.getTime() <= policy.graceSeconds * 1000;
      if (justRotated) {
        const access = await signAccessToken(user, session.id, policy, now);
        return { ok: true, issued: { ...access, sessionId: session.id }, user: toUser(user, row.workspaceName) };
      }
      await tx.update(sessions).set({ revokedAt: now, revokedReason: "refresh_token_reuse" }).where(eq(sessions.id, session.id));
      await recordAudit(tx, { userId: user.id, workspaceId: user.workspaceId, requestId: input.requestId }, {
        action: "user.session_revoked",
        entityType: "user",
        entityId: user.id,
        changes: { session: { from: session.id, to: "revoked: a rotated refresh token was used again" } },
      });
      return { ok: false };
    }

    const idleExpiresAt = new Date(Math.min(addSeconds(now, policy.idleSeconds).getTime(), session.absoluteExpiresAt.getTime()));
    await tx.update(sessionRefreshTokens).set({ rotatedAt: now }).where(eq(sessionRefreshTokens.tokenHash, tokenHash));
    await tx
      .update(sessions)
      .set({ generation: sql`${sessions.generation} + 1`, lastRefreshedAt: now, idleExpiresAt })
      .where(eq(sessions.id, session.id));
    const refresh = await issueRefreshToken(tx, session.id, session.generation + 1, idleExpiresAt);
    const access = await signAccessToken(user, session.id, policy, now);
    return { ok: true, issued: { ...access, sessionId: session.id, refresh }, user: toUser(user, row.workspaceName) };
  });
  // Thrown after the transaction, so a reuse's revocation commits.
  if (!outcome.ok) throw new UnauthorizedError(SESSION_ENDED);
  return { issued: outcome.issued, user: outcome.user };
}
