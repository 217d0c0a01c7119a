import { sql } from "drizzle-orm";
import { index, integer, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { timestamptz } from "./columns";
import { users, workspaces } from "./workspaces";

/**
 * One row per sign-in on a device (a "session family"): every refresh token it ever received belongs to it, and
 * every access token carries its id, so revoking the row ends the device's access at once.
 */
export const sessions = pgTable(
  "sessions",
  {
    id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id),
    userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    /** The generation of the refresh token currently valid (0 at sign-in, +1 per rotation). */
    generation: integer("generation").notNull().default(0),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    lastRefreshedAt: timestamptz("last_refreshed_at"),
    /** Sliding: pushed forward on every refresh, never past `absoluteExpiresAt`. */
    idleExpiresAt: timestamptz("idle_expires_at").notNull(),
    absoluteExpiresAt: timestamptz("absolute_expires_at").notNull(),
    revokedAt: timestamptz("revoked_at"),
    /** sign_out | sign_out_everywhere | refresh_token_reuse | password_changed | password_reset | deactivated | expired */
    revokedReason: text("revoked_reason"),
    userAgent: text("user_agent"),
  },
  // Sign out everywhere and the revocations on password change/deactivation look up a user's live sessions. The
  // nightly prune of ended sessions reads the whole (small: one row per sign-in) table and needs no index.
  (t) => [index("sessions_user_live_idx").on(t.userId).where(sql`revoked_at is null`)],
);

/**
 * Every refresh token a session was given, by SHA-256 only (the token itself lives in the browser's HttpOnly
 * cookie). A token presented again after it was rotated is how a stolen token shows itself.
 */
export const sessionRefreshTokens = pgTable(
  "session_refresh_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    sessionId: uuid("session_id").notNull().references(() => sessions.id, { onDelete: "cascade" }),
    generation: integer("generation").notNull(),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    /** When its successor was issued; null while it is the session's current token. */
    rotatedAt: timestamptz("rotated_at"),
  },
  (t) => [index("session_refresh_tokens_session_idx").on(t.sessionId)],
);
