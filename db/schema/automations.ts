import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { baseColumns, timestamptz } from "./columns";
import { users, workspaces } from "./workspaces";

/**
 * Automation rules (issue 13): trigger → conditions → actions, the rule itself one JSON document validated by
 * worker/automations/rule.ts. `source` is "config" for rules declared in bespoke.config.ts (re-applied at
 * start/deploy, matched by `key`) and "ui" for rules an ADMIN built in Settings → Automations. `trigger_type` is
 * the trigger's kind copied out of the JSON so the event consumer reads only the rules an event can fire.
 * An inbound-webhook rule keeps only the SHA-256 of its token (shown once at creation).
 */
export const automations = pgTable(
  "automations",
  {
    ...baseColumns(),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id),
    key: text("key"),
    name: text("name").notNull(),
    description: text("description"),
    enabled: boolean("enabled").notNull().default(true),
    triggerType: text("trigger_type").notNull(),
    trigger: jsonb("trigger").$type<Record<string, unknown>>().notNull(),
    conditions: jsonb("conditions").$type<Record<string, unknown>[]>().notNull().default([]),
    actions: jsonb("actions").$type<Record<string, unknown>[]>().notNull(),
    source: text("source").notNull().default("ui"),
    /**
     * Config rules: a digest of the file's declaration as last applied. The next apply rewrites the rule only when
     * the file's declaration changed, so an ADMIN's edits and pauses of a built-in rule survive restarts.
     */
    configHash: text("config_hash"),
    webhookTokenHash: text("webhook_token_hash"),
    version: integer("version").notNull().default(1),
    createdBy: uuid("created_by").references(() => users.id),
  },
  (t) => [
    // The consumer's per-event read: a workspace's enabled rules of one trigger type.
    index("automations_ws_trigger_idx").on(t.workspaceId, t.triggerType).where(sql`enabled and deleted_at is null`),
    index("automations_ws_created_idx").on(t.workspaceId, t.createdAt),
    uniqueIndex("automations_ws_key_unique").on(t.workspaceId, t.key).where(sql`deleted_at is null and key is not null`),
  ],
);

/**
 * One execution of a rule for one trigger (an event, a cron tick, an inbound webhook call). `trigger_key` is the
 * trigger's identity (`evt:<eventId>`, `aging:<recordId>:<day>`, …): (automation_id, trigger_key) is unique, so a
 * delivery seen twice starts one run. A record already in an active run of the same rule does not enter it again
 * (the partial unique index on active runs). The run executes on Cloudflare Workflows (instance id = run id); the
 * rule is snapshotted so an edit does not change a run in flight.
 */
export const automationRuns = pgTable(
  "automation_runs",
  {
    id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id),
    automationId: uuid("automation_id").notNull().references(() => automations.id),
    triggerKey: text("trigger_key").notNull(),
    /** What fired it: { type, eventId?, entityType?, entityId?, data? } (trimmed). */
    triggerEvent: jsonb("trigger_event").$type<Record<string, unknown>>().notNull(),
    recordType: text("record_type"),
    recordId: uuid("record_id"),
    rule: jsonb("rule").$type<Record<string, unknown>>().notNull(),
    /** queued | running | waiting | succeeded | failed | skipped */
    status: text("status").notNull().default("queued"),
    error: text("error"),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    startedAt: timestamptz("started_at"),
    firstActionAt: timestamptz("first_action_at"),
    finishedAt: timestamptz("finished_at"),
  },
  (t) => [
    uniqueIndex("automation_runs_trigger_unique").on(t.automationId, t.triggerKey),
    uniqueIndex("automation_runs_active_record_unique")
      .on(t.automationId, t.recordId)
      .where(sql`status in ('queued', 'running', 'waiting') and record_id is not null`),
    // The run history, newest first.
    index("automation_runs_history_idx").on(t.automationId, t.createdAt, t.id),
    // The per-workspace cap counts the last minute's runs.
    index("automation_runs_ws_created_idx").on(t.workspaceId, t.createdAt),
  ],
);

/** Each action of a run: its result or error and timing. (run_id, index) is the side effects' idempotency key. */
export const automationRunSteps = pgTable(
  "automation_run_steps",
  {
    runId: uuid("run_id").notNull().references(() => automationRuns.id, { onDelete: "cascade" }),
    index: integer("index").notNull(),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id),
    type: text("type").notNull(),
    /** running | succeeded | failed | skipped | waiting */
    status: text("status").notNull(),
    result: jsonb("result").$type<Record<string, unknown>>(),
    error: text("error"),
    attempts: integer("attempts").notNull().default(0),
    startedAt: timestamptz("started_at").notNull().defaultNow(),
    finishedAt: timestamptz("finished_at"),
  },
  (t) => [uniqueIndex("automation_run_steps_pk").on(t.runId, t.index)],
);
