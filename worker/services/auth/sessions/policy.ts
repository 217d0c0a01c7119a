import type { Config } from "../../../config";

/** How long the pieces of a session live (README → Configuration). */
export interface SessionPolicy {
  secret: string;
  /** The access token (JWT) lifetime. */
  accessTtlSeconds: number;
  /** A session unused (no refresh) this long ends. */
  idleSeconds: number;
  /** A session ends this long after sign-in however active it is. */
  maxSeconds: number;
  /**
   * A refresh token rotated less than this long ago still yields an access token (no new cookie): two tabs that
   * refreshed at the same moment must not read as a stolen token.
   */
  graceSeconds: number;
}

export function sessionPolicy(config: Config): SessionPolicy {
  return {
    secret: config.JWT_SECRET,
    accessTtlSeconds: config.JWT_TTL_SECONDS,
    idleSeconds: config.SESSION_IDLE_TIMEOUT_SECONDS,
    maxSeconds: config.SESSION_MAX_LIFETIME_SECONDS,
    graceSeconds: config.SESSION_REFRESH_GRACE_SECONDS,
  };
}

/** What the client is handed when a session starts or refreshes. */
export interface IssuedTokens {
  /** The access token (Bearer). */
  token: string;
  expiresAt: Date;
  sessionId: string;
  /** The new refresh token for the HttpOnly cookie; absent when the cookie the browser holds stays valid. */
  refresh?: { token: string; expiresAt: Date };
}
