import { sql } from "drizzle-orm";
import { bigint, boolean, date, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { baseColumns, timestamptz } from "./columns";
import { roleEnum, users, workspaces } from "./workspaces";

const workspaceId = () => uuid("workspace_id").notNull().references(() => workspaces.id);

/** Integrator keys: only a SHA-256 of the secret is stored; the prefix identifies the key in lists and logs. */
export const apiKeys = pgTable(
  "api_keys",
  {
    ...baseColumns(),
    workspaceId: workspaceId(),
    name: text("name").notNull(),
    prefix: text("prefix").notNull(),
    keyHash: text("key_hash").notNull().unique(),
    role: roleEnum("role").notNull(),
    createdBy: uuid("created_by").references(() => users.id),
    lastUsedAt: timestamptz("last_used_at"),
    revokedAt: timestamptz("revoked_at"),
  },
  (t) => [index("api_keys_ws_idx").on(t.workspaceId)],
);

export const webhookEndpoints = pgTable(
  "webhook_endpoints",
  {
    ...baseColumns(),
    workspaceId: workspaceId(),
    url: text("url").notNull(),
    description: text("description"),
    /** Event names this endpoint receives, e.g. opportunity.stage_changed; empty = none. */
    events: text("events").array().notNull().default(sql`'{}'::text[]`),
    /** HMAC key for signatures; shown once at creation. */
    secret: text("secret").notNull(),
    active: boolean("active").notNull().default(true),
    createdBy: uuid("created_by").references(() => users.id),
  },
  (t) => [index("webhook_endpoints_ws_idx").on(t.workspaceId)],
);

export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    ...baseColumns(),
    workspaceId: workspaceId(),
    endpointId: uuid("endpoint_id").notNull().references(() => webhookEndpoints.id),
    eventId: uuid("event_id").notNull(),
    eventType: text("event_type").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    /** pending | succeeded | failed (will retry) | dead (gave up; redeliver by hand) */
    status: text("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    lastStatusCode: integer("last_status_code"),
    lastError: text("last_error"),
    deliveredAt: timestamptz("delivered_at"),
  },
  (t) => [
    index("webhook_deliveries_endpoint_idx").on(t.endpointId, t.createdAt.desc()),
    // One delivery per (endpoint, outbox event): the events consumer is at-least-once, a redelivered event adds none.
    uniqueIndex("webhook_deliveries_endpoint_event_unique").on(t.endpointId, t.eventId),
  ],
);

/** Stripe-style idempotent POSTs: the first response is replayed for a retried request with the same key. */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    workspaceId: workspaceId(),
    key: text("key").notNull(),
    principal: text("principal").notNull(),
    method: text("method").notNull(),
    path: text("path").notNull(),
    requestHash: text("request_hash").notNull(),
    /** null while the first request is still running. */
    statusCode: integer("status_code"),
    responseBody: text("response_body"),
    responseHeaders: jsonb("response_headers").$type<Record<string, string>>(),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.principal, t.key] }), index("idempotency_created_idx").on(t.createdAt)],
);

/** One row per AI request that goes through the queue (summaries), so a status is always answerable. */
export const aiJobs = pgTable(
  "ai_jobs",
  {
    ...baseColumns(),
    workspaceId: workspaceId(),
    kind: text("kind").notNull(),
    targetType: text("target_type").notNull(),
    targetId: uuid("target_id").notNull(),
    /** queued | running | succeeded | failed | dead */
    status: text("status").notNull().default("queued"),
    attempts: integer("attempts").notNull().default(0),
    error: text("error"),
    activityId: uuid("activity_id"),
    requestedBy: uuid("requested_by").references(() => users.id),
    completedAt: timestamptz("completed_at"),
  },
  (t) => [index("ai_jobs_ws_idx").on(t.workspaceId, t.createdAt.desc()), index("ai_jobs_target_idx").on(t.workspaceId, t.targetType, t.targetId, t.createdAt.desc())],
);

/** Metering per workspace and UTC day. */
export const aiUsage = pgTable(
  "ai_usage",
  {
    workspaceId: workspaceId(),
    day: date("day", { mode: "string" }).notNull(),
    requests: integer("requests").notNull().default(0),
    inputTokens: bigint("input_tokens", { mode: "number" }).notNull().default(0),
    outputTokens: bigint("output_tokens", { mode: "number" }).notNull().default(0),
    /** Estimated cost in millionths of a US dollar. */
    costMicros: bigint("cost_micros", { mode: "number" }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.day] })],
);

/**
 * Median days deals of a workspace spent in each stage before moving on (the AI's "days in stage vs. the norm"
 * signal), computed from the last year of stage changes by the nightly maintenance (worker/ai/stage-norms.ts) instead
 * of on every AI call (0.6 s over 228k stage changes). One row per workspace: `norms` is
 * `[{stageId, medianDays, samples}]`, possibly empty.
 */
export const aiStageNorms = pgTable("ai_stage_norms", {
  workspaceId: uuid("workspace_id")
    .primaryKey()
    .references(() => workspaces.id, { onDelete: "cascade" }),
  norms: jsonb("norms").$type<{ stageId: string; medianDays: number; samples: number }[]>().notNull(),
  computedAt: timestamptz("computed_at").notNull().defaultNow(),
});

export const passwordResetTokens = pgTable(
  "password_reset_tokens",
  {
    id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
    userId: uuid("user_id").notNull().references(() => users.id),
    /** SHA-256 of the token; the token itself only ever exists in the e-mail. */
    tokenHash: text("token_hash").notNull(),
    expiresAt: timestamptz("expires_at").notNull(),
    usedAt: timestamptz("used_at"),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("password_reset_token_hash_unique").on(t.tokenHash), index("password_reset_user_idx").on(t.userId)],
);

/** Development outbox: mails the dev e-mail provider "sends", readable at a dev-only page. */
export const emailOutbox = pgTable("email_outbox", {
  id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
  to: text("to").notNull(),
  subject: text("subject").notNull(),
  text: text("text").notNull(),
  html: text("html"),
  /** Message-ID, In-Reply-To, Cc, Reply-To… of conversation mail (the CRM's composer). */
  headers: jsonb("headers").$type<Record<string, string>>(),
  createdAt: timestamptz("created_at").notNull().defaultNow(),
});
