import { sql } from "drizzle-orm";
import { bigint, char, date, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { timestamptz } from "./columns";
import { workspaces } from "./workspaces";

/**
 * The win-score models of a workspace, one row per fit (versioned: the newest is in use, older ones stay for
 * comparison). `kind` is `logistic` (fitted on the workspace's closed deals replayed as they stood at past dates) or
 * `stage_probability` (not enough history: the score is the stage's probability, and says so). `model` holds the
 * feature names, standardisation, weights and Platt calibration; `quality` the time-split backtest
 * (worker/services/insights/fit-model.ts).
 */
export const scoreModels = pgTable(
  "score_models",
  {
    id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    kind: text("kind").notNull(),
    closedDeals: integer("closed_deals").notNull(),
    trainingRows: integer("training_rows").notNull(),
    model: jsonb("model").$type<Record<string, unknown>>().notNull(),
    quality: jsonb("quality").$type<Record<string, unknown>>().notNull(),
    fittedAt: timestamptz("fitted_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("score_models_ws_version_unique").on(t.workspaceId, t.version)],
);

/**
 * Weekly snapshots of every open deal (stage, amount, close date, probability, score), taken by the cron each week
 * and rebuilt back in time from stage-change and audit history (`source = 'rebuilt'`), so forecast accuracy has a past
 * on day one. `week` is the Monday (UTC) the snapshot stands for.
 */
export const forecastSnapshots = pgTable(
  "forecast_snapshots",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    week: date("week").notNull(),
    opportunityId: uuid("opportunity_id").notNull(),
    stageId: uuid("stage_id").notNull(),
    ownerId: uuid("owner_id"),
    amount: bigint("amount", { mode: "number" }),
    currency: char("currency", { length: 3 }).notNull(),
    closeDate: date("close_date"),
    probability: integer("probability").notNull(),
    score: integer("score"),
    source: text("source").notNull().default("cron"),
    takenAt: timestamptz("taken_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.week, t.opportunityId] }),
    index("forecast_snapshots_ws_close_idx").on(t.workspaceId, t.week, t.closeDate),
  ],
);
