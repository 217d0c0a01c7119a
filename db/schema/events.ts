import { sql } from "drizzle-orm";
import { bigserial, index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { timestamptz } from "./columns";
import { users, workspaces } from "./workspaces";

/**
 * The transactional outbox (issue 13). Every mutation inserts its domain events here in the same transaction as the
 * change, so an event exists exactly when the change does — even if the isolate dies after the commit. One relay
 * moves undispatched rows to the events Queue; one consumer fans each event out (webhooks, AI summaries, automations,
 * notifications). `id` is an increasing sequence so the relay reads in commit-ish order; `event_id` is the stable
 * identity consumers de-duplicate on (at-least-once delivery, idempotent effects).
 */
export const outboxEvents = pgTable(
  "outbox_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    eventId: uuid("event_id").notNull().default(sql`gen_random_uuid()`),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id),
    /** One of the DomainEvent union's types (worker/events/types.ts), e.g. opportunity.stage_changed. */
    type: text("type").notNull(),
    entityType: text("entity_type").notNull(),
    entityId: uuid("entity_id"),
    data: jsonb("data").$type<Record<string, unknown>>().notNull(),
    actorId: uuid("actor_id"),
    apiKeyId: uuid("api_key_id"),
    requestId: text("request_id"),
    /** Set when an automation run caused the change: its own events do not re-trigger that rule (loop guard). */
    causedByRuleId: uuid("caused_by_rule_id"),
    occurredAt: timestamptz("occurred_at").notNull().defaultNow(),
    /** Null until the relay has handed the event to the Queue. */
    dispatchedAt: timestamptz("dispatched_at"),
    attempts: integer("attempts").notNull().default(0),
  },
  (t) => [
    uniqueIndex("outbox_events_event_id_unique").on(t.eventId),
    index("outbox_events_pending_idx").on(t.id).where(sql`dispatched_at is null`),
    index("outbox_events_ws_entity_idx").on(t.workspaceId, t.entityType, t.entityId, t.id),
  ],
);

/**
 * The in-app notification centre (issue 13): one row per recipient. `dedupe_key` makes `notify()` idempotent for a
 * consumer that sees the same event twice (at-least-once delivery): (user_id, dedupe_key) is unique.
 */
export const notifications = pgTable(
  "notifications",
  {
    id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id),
    userId: uuid("user_id").notNull().references(() => users.id),
    /** automation | mention | assignment | ai | rotting | reminder | system */
    kind: text("kind").notNull(),
    title: text("title").notNull(),
    body: text("body"),
    entityType: text("entity_type"),
    entityId: uuid("entity_id"),
    /** SPA path the notification opens, e.g. /opportunities/<id>#comment-<id>. */
    link: text("link"),
    actorId: uuid("actor_id"),
    dedupeKey: text("dedupe_key").notNull(),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    readAt: timestamptz("read_at"),
    /** Set when the e-mail (immediate or digest) that carried it was sent. */
    emailedAt: timestamptz("emailed_at"),
  },
  (t) => [
    uniqueIndex("notifications_user_dedupe_unique").on(t.userId, t.dedupeKey),
    index("notifications_user_created_idx").on(t.userId, t.createdAt, t.id),
    index("notifications_user_unread_idx").on(t.userId, t.createdAt).where(sql`read_at is null`),
    // The cron's e-mail runs (immediate, every minute; digest, daily) read recent rows not yet e-mailed.
    index("notifications_unemailed_idx").on(t.createdAt).where(sql`emailed_at is null`),
  ],
);

/** Per-user delivery choice per notification kind: in_app | email | digest | off. Missing row = the kind's default. */
export const notificationPreferences = pgTable(
  "notification_preferences",
  {
    userId: uuid("user_id").notNull().references(() => users.id),
    kind: text("kind").notNull(),
    channel: text("channel").notNull(),
    updatedAt: timestamptz("updated_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("notification_preferences_user_kind_unique").on(t.userId, t.kind)],
);
