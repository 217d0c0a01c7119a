import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { timestamptz } from "./columns";
import { users, workspaces } from "./workspaces";

/**
 * Secret tokens of the capture features (issue 16), stored as SHA-256 hashes only and shown once when made:
 * - `inbound_workspace` / `inbound_user`: the local part of an inbound e-mail address (`crm+<token>@INBOUND_EMAIL_DOMAIN`);
 * - `ics`: a user's private calendar feed (`/api/calendar/<token>.ics`).
 * Regenerating revokes the previous token of the same kind (at most one live token per user and kind).
 */
export const captureTokens = pgTable(
  "capture_tokens",
  {
    id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id),
    /** The owner (per-user address, ICS feed); null for the workspace's shared inbound address. */
    userId: uuid("user_id").references(() => users.id),
    kind: text("kind").$type<"inbound_workspace" | "inbound_user" | "ics">().notNull(),
    tokenHash: text("token_hash").notNull(),
    /** The first characters, so a user can tell which address they are looking at. */
    prefix: text("prefix").notNull(),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    revokedAt: timestamptz("revoked_at"),
  },
  (t) => [
    uniqueIndex("capture_tokens_hash_unique").on(t.tokenHash),
    index("capture_tokens_owner_idx").on(t.workspaceId, t.kind, t.userId).where(sql`revoked_at is null`),
  ],
);

/**
 * One row per e-mail the CRM captured or sent, whatever number of timeline activities it produced (its contact, the
 * account and each open deal see it). The unique Message-ID per workspace drops duplicates (a message BCC'd to two
 * inbound addresses, or delivered twice); `thread_id` is the Message-ID of the first message of the conversation, so
 * replies group without re-reading headers. Designed so a later Gmail/Microsoft sync writes the same rows
 * (source = 'sync').
 */
export const emailMessages = pgTable(
  "email_messages",
  {
    id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id),
    messageId: text("message_id").notNull(),
    inReplyTo: text("in_reply_to"),
    threadId: text("thread_id").notNull(),
    direction: text("direction").$type<"inbound" | "outbound">().notNull(),
    source: text("source").$type<"inbound" | "sent" | "sync">().notNull(),
    fromAddress: text("from_address").notNull(),
    participants: jsonb("participants").$type<{ from: string; to: string[]; cc: string[] }>().notNull(),
    subject: text("subject"),
    /** The records its activities were logged on: a reply from someone not (yet) a contact lands on the same ones. */
    targets: jsonb("targets").$type<{ contactId?: string | null; accountId?: string | null; opportunityId?: string | null; leadId?: string | null }[]>().notNull().default([]),
    /** The user whose address captured it, or who sent it. */
    userId: uuid("user_id").references(() => users.id),
    size: integer("size").notNull().default(0),
    sentAt: timestamptz("sent_at").notNull().defaultNow(),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("email_messages_ws_message_unique").on(t.workspaceId, t.messageId),
    index("email_messages_thread_idx").on(t.workspaceId, t.threadId, t.sentAt),
  ],
);
