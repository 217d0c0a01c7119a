import { sql } from "drizzle-orm";
import {
  bigint, boolean, char, doublePrecision, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, uniqueIndex, uuid, type PgColumn,
} from "drizzle-orm/pg-core";
import { domain, leadStatuses } from "../../domain";
import { baseColumns, timestamptz, tsvector } from "./columns";
import { declaredColumns } from "./declared";
import { users, workspaces } from "./workspaces";

const workspaceId = () => uuid("workspace_id").notNull().references(() => workspaces.id);
const ownerId = () => uuid("owner_id").references(() => users.id);
/**
 * Custom field values, keyed by the field's key in the `custom_fields` registry (db/schema/customization.ts). Written
 * only through the validation in worker/domain (type, options, required), never as free-form JSON.
 */
const custom = () => jsonb("custom").$type<Record<string, unknown>>().notNull().default({});

/*
 * Global search (worker/services/search/query.ts) indexes. The query repeats these expressions verbatim.
 * - Prefix: btree on (workspace_id, lower(x) COLLATE "C") for live rows: `like 'abc%'` becomes a range scan in key
 *   order that stops after a few rows, whatever the table size (C collation makes LIKE prefixes indexable).
 * - Trigram / full text: GIN with workspace_id as a first column (btree_gin, migration 0003), so a small workspace
 *   does not pay for the posting lists of every other workspace's rows.
 * - Phones: trigrams of the digits alone, so "555 0100" matches "+1 (555) 010-0100".
 * - Typos are matched against a dictionary of the names' distinct words (db/schema/search.ts), not against these
 *   tables' trigram indexes; the name/e-mail trigram indexes serve the record lists' substring filter (`q`).
 */
const prefixIndex = (name: string, ws: PgColumn, col: PgColumn) =>
  index(name).on(ws, sql`lower(${col}) collate "C"`).where(sql`deleted_at is null`);
const phoneDigitsIndex = (name: string, ws: PgColumn, col: PgColumn) =>
  index(name).using("gin", ws, sql`regexp_replace(${col}, '\\D', '', 'g') gin_trgm_ops`);

/**
 * The trash (Recently deleted, newest first, keyset on (deleted_at, id)) and the 30-day purge read only deleted rows:
 * a partial index holds just those, however large the live table.
 */
const trashIndex = (name: string, ws: PgColumn, deletedAt: PgColumn, id: PgColumn) =>
  index(name).on(ws, deletedAt, id).where(sql`deleted_at is not null`);

export const accounts = pgTable(
  "accounts",
  {
    ...baseColumns(),
    workspaceId: workspaceId(),
    ...declaredColumns(domain.account),
    currency: char("currency", { length: 3 }),
    ownerId: ownerId(),
    custom: custom(),
    search: tsvector("search").generatedAlwaysAs(
      sql`to_tsvector('simple', coalesce(name, '') || ' ' || coalesce(domain, '') || ' ' || coalesce(industry, ''))`,
    ),
  },
  (t) => [
    index("accounts_ws_name_idx").on(t.workspaceId, t.name, t.id),
    index("accounts_ws_created_idx").on(t.workspaceId, t.createdAt, t.id),
    index("accounts_ws_updated_idx").on(t.workspaceId, t.updatedAt, t.id),
    index("accounts_owner_idx").on(t.workspaceId, t.ownerId),
    uniqueIndex("accounts_external_id_unique").on(t.workspaceId, t.externalId),
    index("accounts_ws_search_idx").using("gin", t.workspaceId, t.search),
    index("accounts_ws_name_trgm_idx").using("gin", t.workspaceId, sql`lower(${t.name}) gin_trgm_ops`),
    prefixIndex("accounts_ws_name_prefix_idx", t.workspaceId, t.name),
    prefixIndex("accounts_ws_domain_prefix_idx", t.workspaceId, t.domain),
    phoneDigitsIndex("accounts_ws_phone_digits_idx", t.workspaceId, t.phone),
    trashIndex("accounts_ws_trash_idx", t.workspaceId, t.deletedAt, t.id),
  ],
);

export const contacts = pgTable(
  "contacts",
  {
    ...baseColumns(),
    workspaceId: workspaceId(),
    ...declaredColumns(domain.contact),
    accountId: uuid("account_id").references(() => accounts.id),
    name: text("name").generatedAlwaysAs(
      sql`btrim(coalesce(first_name, '') || ' ' || coalesce(last_name, ''))`,
    ),
    ownerId: ownerId(),
    custom: custom(),
    search: tsvector("search").generatedAlwaysAs(
      sql`to_tsvector('simple', coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' ' || coalesce(email, '') || ' ' || coalesce(title, ''))`,
    ),
  },
  (t) => [
    index("contacts_ws_name_idx").on(t.workspaceId, t.lastName, t.id),
    index("contacts_ws_created_idx").on(t.workspaceId, t.createdAt, t.id),
    index("contacts_ws_updated_idx").on(t.workspaceId, t.updatedAt, t.id),
    index("contacts_account_idx").on(t.accountId),
    index("contacts_owner_idx").on(t.workspaceId, t.ownerId),
    uniqueIndex("contacts_external_id_unique").on(t.workspaceId, t.externalId),
    index("contacts_ws_search_idx").using("gin", t.workspaceId, t.search),
    index("contacts_ws_name_trgm_idx").using(
      "gin",
      t.workspaceId,
      sql`lower(coalesce(first_name, '') || ' ' || coalesce(last_name, '')) gin_trgm_ops`,
    ),
    index("contacts_ws_email_trgm_idx").using("gin", t.workspaceId, sql`lower(${t.email}) gin_trgm_ops`),
    // The contacts list sorted by e-mail (keyset on (email, id); the NULL segment reads it with `email is null`).
    index("contacts_ws_email_idx").on(t.workspaceId, t.email, t.id),
    prefixIndex("contacts_ws_name_prefix_idx", t.workspaceId, t.name),
    prefixIndex("contacts_ws_last_name_prefix_idx", t.workspaceId, t.lastName),
    prefixIndex("contacts_ws_email_prefix_idx", t.workspaceId, t.email),
    phoneDigitsIndex("contacts_ws_phone_digits_idx", t.workspaceId, t.phone),
    trashIndex("contacts_ws_trash_idx", t.workspaceId, t.deletedAt, t.id),
  ],
);

export const leadStatusEnum = pgEnum("lead_status", leadStatuses);

export const leads = pgTable(
  "leads",
  {
    ...baseColumns(),
    workspaceId: workspaceId(),
    ...declaredColumns(domain.lead),
    name: text("name").generatedAlwaysAs(
      sql`btrim(coalesce(first_name, '') || ' ' || coalesce(last_name, ''))`,
    ),
    status: leadStatusEnum("status").notNull().default("new"),
    ownerId: ownerId(),
    custom: custom(),
    convertedAt: timestamptz("converted_at"),
    convertedAccountId: uuid("converted_account_id").references(() => accounts.id),
    convertedContactId: uuid("converted_contact_id").references(() => contacts.id),
    convertedOpportunityId: uuid("converted_opportunity_id"),
    search: tsvector("search").generatedAlwaysAs(
      sql`to_tsvector('simple', coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' ' || coalesce(email, '') || ' ' || coalesce(company, ''))`,
    ),
  },
  (t) => [
    index("leads_ws_created_idx").on(t.workspaceId, t.createdAt, t.id),
    index("leads_ws_updated_idx").on(t.workspaceId, t.updatedAt, t.id),
    index("leads_ws_status_idx").on(t.workspaceId, t.status),
    index("leads_owner_idx").on(t.workspaceId, t.ownerId),
    uniqueIndex("leads_external_id_unique").on(t.workspaceId, t.externalId),
    index("leads_ws_search_idx").using("gin", t.workspaceId, t.search),
    index("leads_ws_name_trgm_idx").using(
      "gin",
      t.workspaceId,
      sql`lower(coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' ' || coalesce(company, '')) gin_trgm_ops`,
    ),
    prefixIndex("leads_ws_name_prefix_idx", t.workspaceId, t.name),
    prefixIndex("leads_ws_last_name_prefix_idx", t.workspaceId, t.lastName),
    prefixIndex("leads_ws_email_prefix_idx", t.workspaceId, t.email),
    prefixIndex("leads_ws_company_prefix_idx", t.workspaceId, t.company),
    phoneDigitsIndex("leads_ws_phone_digits_idx", t.workspaceId, t.phone),
    trashIndex("leads_ws_trash_idx", t.workspaceId, t.deletedAt, t.id),
    // The purge unlinks converted leads from a purged account/contact (and the foreign-key checks look them up).
    index("leads_converted_account_idx").on(t.convertedAccountId).where(sql`converted_account_id is not null`),
    index("leads_converted_contact_idx").on(t.convertedContactId).where(sql`converted_contact_id is not null`),
  ],
);

export const stageKindEnum = pgEnum("stage_kind", ["open", "won", "lost"]);

/**
 * A workspace's sales processes (New business, Renewals, Partnerships…), each with its own ordered stages. Exactly one
 * live pipeline per workspace is the default (what `GET /api/opportunities/pipeline` shows without `pipelineId`).
 * `key` is the stable handle the configuration file (bespoke.config.ts) uses; `source` says who owns the row: rows
 * from the file are re-applied at start/deploy, rows an ADMIN made in the UI are kept.
 */
export const pipelines = pgTable(
  "pipelines",
  {
    ...baseColumns(),
    workspaceId: workspaceId(),
    key: text("key").notNull(),
    name: text("name").notNull(),
    position: integer("position").notNull().default(0),
    isDefault: boolean("is_default").notNull().default(false),
    source: text("source").notNull().default("ui"),
  },
  (t) => [
    uniqueIndex("pipelines_ws_key_unique").on(t.workspaceId, t.key).where(sql`deleted_at is null`),
    uniqueIndex("pipelines_ws_default_unique").on(t.workspaceId).where(sql`is_default and deleted_at is null`),
    index("pipelines_ws_position_idx").on(t.workspaceId, t.position),
  ],
);

export const pipelineStages = pgTable(
  "pipeline_stages",
  {
    ...baseColumns(),
    workspaceId: workspaceId(),
    pipelineId: uuid("pipeline_id").notNull().references(() => pipelines.id),
    /** Stable handle for the configuration file; null for stages made in the UI. */
    key: text("key"),
    name: text("name").notNull(),
    position: integer("position").notNull(),
    probability: integer("probability").notNull(),
    kind: stageKindEnum("kind").notNull().default("open"),
    /** Days a deal may sit in this stage before it is "rotting" (null: derived from the workspace's history). */
    agingDays: integer("aging_days"),
  },
  (t) => [
    index("pipeline_stages_ws_idx").on(t.workspaceId, t.position),
    index("pipeline_stages_pipeline_idx").on(t.pipelineId, t.position),
  ],
);

export const opportunities = pgTable(
  "opportunities",
  {
    ...baseColumns(),
    workspaceId: workspaceId(),
    // Plain fields (name, amount in integer minor units, probability override, close date, next step…) from domain/.
    ...declaredColumns(domain.opportunity),
    accountId: uuid("account_id").references(() => accounts.id),
    primaryContactId: uuid("primary_contact_id").references(() => contacts.id),
    ownerId: ownerId(),
    stageId: uuid("stage_id").notNull().references(() => pipelineStages.id),
    currency: char("currency", { length: 3 }).notNull().default("USD"),
    closedAt: timestamptz("closed_at"),
    /** Kanban order within a stage; fractional so a move rewrites one row. */
    position: doublePrecision("position").notNull().default(0),
    stageEnteredAt: timestamptz("stage_entered_at").notNull().defaultNow(),
    /** Calibrated win probability 0–100, written by the nightly scoring (null until the first run). */
    winScore: integer("win_score"),
    /** Optimistic concurrency: every update bumps it; a PATCH carrying an older one gets 409. */
    version: integer("version").notNull().default(1),
    custom: custom(),
    search: tsvector("search").generatedAlwaysAs(sql`to_tsvector('simple', coalesce(name, ''))`),
  },
  (t) => [
    // The board reads cards per stage in Kanban order.
    index("opportunities_board_idx").on(t.workspaceId, t.stageId, t.position).where(sql`deleted_at is null`),
    index("opportunities_ws_created_idx").on(t.workspaceId, t.createdAt, t.id),
    index("opportunities_ws_updated_idx").on(t.workspaceId, t.updatedAt, t.id),
    index("opportunities_ws_close_idx").on(t.workspaceId, t.closeDate, t.id),
    index("opportunities_ws_amount_idx").on(t.workspaceId, t.amount, t.id),
    // The list's "Win score" sort, and rotting: per stage, the deals that entered it before a limit (a range).
    index("opportunities_ws_win_score_idx").on(t.workspaceId, t.winScore, t.id),
    index("opportunities_stage_entered_idx").on(t.workspaceId, t.stageId, t.stageEnteredAt).where(sql`deleted_at is null`),
    index("opportunities_account_idx").on(t.accountId),
    index("opportunities_owner_idx").on(t.workspaceId, t.ownerId),
    // Reports (win/loss, win rate) read closed deals by close time through `opportunities_ws_closed_idx`, a covering
    // index written in SQL (migration 0014: drizzle's index builder has no INCLUDE).
    uniqueIndex("opportunities_external_id_unique").on(t.workspaceId, t.externalId),
    index("opportunities_ws_search_idx").using("gin", t.workspaceId, t.search),
    index("opportunities_ws_name_trgm_idx").using("gin", t.workspaceId, sql`lower(${t.name}) gin_trgm_ops`),
    prefixIndex("opportunities_ws_name_prefix_idx", t.workspaceId, t.name),
    trashIndex("opportunities_ws_trash_idx", t.workspaceId, t.deletedAt, t.id),
    index("opportunities_primary_contact_idx").on(t.primaryContactId).where(sql`primary_contact_id is not null`),
  ],
);

/** Contacts involved in a deal besides the primary one (buying committee). */
export const opportunityContacts = pgTable(
  "opportunity_contacts",
  {
    opportunityId: uuid("opportunity_id").notNull().references(() => opportunities.id),
    contactId: uuid("contact_id").notNull().references(() => contacts.id),
    role: text("role"),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.opportunityId, t.contactId] }), index("opportunity_contacts_contact_idx").on(t.contactId)],
);

export const activities = pgTable(
  "activities",
  {
    ...baseColumns(),
    workspaceId: workspaceId(),
    /** note, call, email, meeting, task, stage_change, lead_converted, ai_summary, ai_next_actions, ai_email_draft, attachment_added, system… */
    type: text("type").notNull(),
    subject: text("subject"),
    body: text("body"),
    properties: jsonb("properties").$type<Record<string, unknown>>().notNull().default({}),
    actorId: uuid("actor_id").references(() => users.id),
    accountId: uuid("account_id").references(() => accounts.id),
    contactId: uuid("contact_id").references(() => contacts.id),
    leadId: uuid("lead_id").references(() => leads.id),
    opportunityId: uuid("opportunity_id").references(() => opportunities.id),
    happenedAt: timestamptz("happened_at").notNull().defaultNow(),
    dueAt: timestamptz("due_at"),
    completedAt: timestamptz("completed_at"),
    ownerId: ownerId(),
    /**
     * Comments (type 'comment') only: the timeline item a comment is about, or the top-level comment a reply answers
     * (threads are one level deep). No foreign key: a backup restores activities in id order.
     */
    parentId: uuid("parent_id"),
  },
  (t) => [
    // A timeline item's comments and a comment's replies, oldest first.
    index("activities_comments_parent_idx").on(t.parentId, t.happenedAt, t.id).where(sql`type = 'comment' and deleted_at is null`),
    // Timelines: newest first per target record.
    index("activities_account_tl_idx").on(t.accountId, t.happenedAt.desc(), t.id.desc()),
    index("activities_contact_tl_idx").on(t.contactId, t.happenedAt.desc(), t.id.desc()),
    index("activities_lead_tl_idx").on(t.leadId, t.happenedAt.desc(), t.id.desc()),
    index("activities_opportunity_tl_idx").on(t.opportunityId, t.happenedAt.desc(), t.id.desc()),
    // Recent activity, newest first. Ascending keys read backwards give `happened_at desc, id desc` with NULLs first,
    // the order the list asks for; a `desc` key here (drizzle-kit writes DESC NULLS LAST) did not match it and the
    // dashboard sorted all 5M rows.
    index("activities_ws_happened_idx").on(t.workspaceId, t.happenedAt, t.id),
    // Open tasks by due date, per owner (dashboard "my open tasks", its counts) and for the whole workspace. `id` ends
    // the key so the keyset order (due_at, id) needs no sort, and the NULL segment (`due_at is null`) is a range too.
    index("activities_open_tasks_owner_due_idx")
      .on(t.workspaceId, t.ownerId, t.dueAt, t.id)
      .where(sql`type = 'task' and completed_at is null and deleted_at is null`),
    index("activities_open_tasks_due_idx")
      .on(t.workspaceId, t.dueAt, t.id)
      .where(sql`type = 'task' and completed_at is null and deleted_at is null`),
    // The calendar's meetings in a date range, per owner (my calendar) and for the whole workspace (team).
    index("activities_meetings_owner_idx").on(t.workspaceId, t.ownerId, t.happenedAt, t.id).where(sql`type = 'meeting' and deleted_at is null`),
    index("activities_meetings_idx").on(t.workspaceId, t.happenedAt, t.id).where(sql`type = 'meeting' and deleted_at is null`),
    // Reports: a deal's stage moves in order (its last move into its closing stage: the win/loss reason; the move
    // before / after another: conversion and days in stage), and a workspace's moves in a period. Stage changes are
    // about a tenth of the activities, so both stay small.
    index("activities_stage_changes_idx").on(t.opportunityId, t.happenedAt, t.id).where(sql`type = 'stage_change' and deleted_at is null`),
    index("activities_ws_stage_changes_idx").on(t.workspaceId, t.happenedAt).where(sql`type = 'stage_change' and deleted_at is null`),
  ],
);

export const attachments = pgTable(
  "attachments",
  {
    ...baseColumns(),
    workspaceId: workspaceId(),
    r2Key: text("r2_key").notNull().unique(),
    filename: text("filename").notNull(),
    contentType: text("content_type").notNull(),
    size: bigint("size", { mode: "number" }).notNull(),
    uploadedBy: uuid("uploaded_by").references(() => users.id),
    accountId: uuid("account_id").references(() => accounts.id),
    contactId: uuid("contact_id").references(() => contacts.id),
    leadId: uuid("lead_id").references(() => leads.id),
    opportunityId: uuid("opportunity_id").references(() => opportunities.id),
  },
  (t) => [
    index("attachments_account_idx").on(t.accountId),
    index("attachments_contact_idx").on(t.contactId),
    index("attachments_lead_idx").on(t.leadId),
    index("attachments_opportunity_idx").on(t.opportunityId),
    // The upload quota sums one workspace's live file sizes: an index-only scan instead of the whole table.
    index("attachments_ws_live_size_idx").on(t.workspaceId, t.size).where(sql`deleted_at is null`),
  ],
);
