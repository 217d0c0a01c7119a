import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgTable, primaryKey, text, uuid } from "drizzle-orm/pg-core";
import { baseColumns, timestamptz } from "./columns";
import { users, workspaces } from "./workspaces";

/** One condition of a saved view's filter (AND of all): a field, an operator, a value or a date preset. */
export interface ViewFilter {
  field: string;
  op: string;
  value?: string;
}

/** A column of a saved view, in display order, with its width in pixels when the user resized it. */
export interface ViewColumn {
  id: string;
  width?: number;
}

/**
 * Saved list views (the data grid's columns, filters, sort and grouping under a name). `shared` views are offered to
 * everyone in the workspace; private ones to their owner only. A colleague opens a shared view by its id (`?view=`).
 */
export const savedViews = pgTable(
  "saved_views",
  {
    ...baseColumns(),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id),
    ownerId: uuid("owner_id").notNull().references(() => users.id),
    /** accounts | contacts | leads | opportunities | activities */
    entity: text("entity").notNull(),
    name: text("name").notNull(),
    columns: jsonb("columns").$type<ViewColumn[]>().notNull().default([]),
    filters: jsonb("filters").$type<ViewFilter[]>().notNull().default([]),
    sort: text("sort"),
    groupBy: text("group_by"),
    shared: boolean("shared").notNull().default(false),
  },
  (t) => [
    // The navigation's list: my views and the shared ones, per entity, by name.
    index("saved_views_ws_entity_idx").on(t.workspaceId, t.entity, t.name).where(sql`deleted_at is null`),
  ],
);

/** Each user's default view per entity (opened by a bare list link). */
export const savedViewDefaults = pgTable(
  "saved_view_defaults",
  {
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id),
    userId: uuid("user_id").notNull().references(() => users.id),
    entity: text("entity").notNull(),
    viewId: uuid("view_id").notNull().references(() => savedViews.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.userId, t.entity] })],
);

/** A per-record failure of a bulk job. */
export interface BulkFailure {
  id: string;
  message: string;
}

/**
 * One bulk change over many records (change owner, stage, a field; delete): the records are resolved when the job is
 * made (a selection, or every record matching a filter), then processed in chunks, each record through the same verb
 * a single edit uses (so audited per record). Progress is polled (GET /api/bulk/jobs/:id).
 */
export const bulkJobs = pgTable(
  "bulk_jobs",
  {
    ...baseColumns(),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id),
    userId: uuid("user_id").notNull().references(() => users.id),
    entity: text("entity").notNull(),
    /** update | delete */
    action: text("action").notNull(),
    /** The change applied to each record (update), e.g. { ownerId } or { stageId, stageChangeReason }. */
    changes: jsonb("changes").$type<Record<string, unknown>>().notNull().default({}),
    recordIds: jsonb("record_ids").$type<string[]>().notNull(),
    total: integer("total").notNull(),
    processed: integer("processed").notNull().default(0),
    succeeded: integer("succeeded").notNull().default(0),
    failures: jsonb("failures").$type<BulkFailure[]>().notNull().default([]),
    /** queued | running | done */
    status: text("status").notNull().default("queued"),
    finishedAt: timestamptz("finished_at"),
  },
  (t) => [index("bulk_jobs_ws_user_idx").on(t.workspaceId, t.userId, t.createdAt)],
);
