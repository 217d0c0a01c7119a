import type { Executor } from "../../../../db/client";
import { sessionRefreshTokens, sessions, type users } from "../../../../db/schema";
import { signToken } from "../../../lib/jwt";
import { randomToken, sha256Hex } from "../../../lib/tokens";
import type { IssuedTokens, SessionPolicy } from "./policy";

type SessionUser = Pick<typeof users.$inferSelect, "id" | "workspaceId" | "role" | "tokenVersion">;

const addSeconds = (d: Date, s: number) => new Date(d.getTime() + s * 1000);

/** The access token of a session: short-lived, carrying the session id so revoking the session ends it. */
export async function signAccessToken(user: SessionUser, sessionId: string, policy: SessionPolicy, now = new Date()) {
  const token = await signToken({ sub: user.id, ws: user.workspaceId, role: user.role, tv: user.tokenVersion, sid: sessionId }, policy.secret, policy.accessTtlSeconds);
  return { token, expiresAt: addSeconds(now, policy.accessTtlSeconds) };
}

/** A new refresh token for generation `generation` of a session; only its hash is stored. */
export async function issueRefreshToken(db: Executor, sessionId: string, generation: number, expiresAt: Date) {
  const token = randomToken();
  await db.insert(sessionRefreshTokens).values({ tokenHash: await sha256Hex(token), sessionId, generation });
  return { token, expiresAt };
}

/**
 * Starts a session for a user who just proved who they are (password, reset link): the session row, its first
 * refresh token and an access token. Pass a transaction to make it part of a larger change.
 */
export async function openSession(input: { db: Executor; user: SessionUser; policy: SessionPolicy; userAgent?: string | null; now?: Date }): Promise<IssuedTokens> {
  const { db, user, policy } = input;
  const now = input.now ?? new Date();
  const absoluteExpiresAt = addSeconds(now, policy.maxSeconds);
  const idleExpiresAt = new Date(Math.min(addSeconds(now, policy.idleSeconds).getTime(), absoluteExpiresAt.getTime()));
  const [session] = await db
    .insert(sessions)
    .values({ workspaceId: user.workspaceId, userId: user.id, idleExpiresAt, absoluteExpiresAt, userAgent: input.userAgent?.slice(0, 300) ?? null, createdAt: now })
    .returning({ id: sessions.id });
  const refresh = await issueRefreshToken(db, session!.id, 0, idleExpiresAt);
  const access = await signAccessToken(user, session!.id, policy, now);
  return { ...access, sessionId: session!.id, refresh };
}

export { addSeconds };
