import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { baseColumns } from "./columns";
import { workspaces } from "./workspaces";

/**
 * What a client adds to the declared domain model without a migration (worker/domain). A custom field's values live
 * in the record's `custom` jsonb column under `key`; this registry gives each key its type, label, options and flags.
 * `source` is "config" for fields declared in bespoke.config.ts (re-applied at start/deploy; the file wins) and "ui"
 * for fields an ADMIN made in Settings → Fields (kept). A deleted field is soft-deleted (`deleted_at`) and can be
 * restored for 30 days; its values stay in the records until then.
 */
export const customFields = pgTable(
  "custom_fields",
  {
    ...baseColumns(),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id),
    /** account | contact | lead | opportunity */
    entity: text("entity").notNull(),
    key: text("key").notNull(),
    label: text("label").notNull(),
    /** text | long_text | number | money | percent | date | datetime | checkbox | single_select | multi_select | url | email | phone | user | record_link */
    type: text("type").notNull(),
    /** Select options in display order: [{ value, label, color }]. */
    options: jsonb("options").$type<{ value: string; label: string; color?: string | null }[]>().notNull().default([]),
    /** Type-specific settings, e.g. { target: "account" } for a record link, { currency: "EUR" } for money. */
    settings: jsonb("settings").$type<Record<string, unknown>>().notNull().default({}),
    required: boolean("required").notNull().default(false),
    defaultValue: jsonb("default_value").$type<unknown>(),
    helpText: text("help_text"),
    showOnCard: boolean("show_on_card").notNull().default(false),
    showInQuickCreate: boolean("show_in_quick_create").notNull().default(false),
    /** Filterable fields get an expression index on (workspace_id, (custom->>key)) so list filters and sorts use it. */
    filterable: boolean("filterable").notNull().default(false),
    position: integer("position").notNull().default(0),
    source: text("source").notNull().default("ui"),
    version: integer("version").notNull().default(1),
  },
  (t) => [
    uniqueIndex("custom_fields_ws_entity_key_unique").on(t.workspaceId, t.entity, t.key).where(sql`deleted_at is null`),
    index("custom_fields_ws_entity_idx").on(t.workspaceId, t.entity, t.position),
  ],
);

/**
 * Reason codes offered when a deal is won or lost (or moved back), per workspace. Declared in bespoke.config.ts
 * (source "config") or added by an ADMIN (source "ui"). The chosen code is stored on the stage-change activity.
 */
export const reasonCodes = pgTable(
  "reason_codes",
  {
    ...baseColumns(),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id),
    /** won | lost | open (moving back to an open stage) */
    kind: text("kind").notNull(),
    value: text("value").notNull(),
    label: text("label").notNull(),
    position: integer("position").notNull().default(0),
    source: text("source").notNull().default("ui"),
  },
  (t) => [uniqueIndex("reason_codes_ws_kind_value_unique").on(t.workspaceId, t.kind, t.value).where(sql`deleted_at is null`)],
);
