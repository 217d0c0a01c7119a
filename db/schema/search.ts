import { sql } from "drizzle-orm";
import { index, pgEnum, pgTable, primaryKey, text, uuid } from "drizzle-orm/pg-core";
import { workspaces } from "./workspaces";

export const searchEntityEnum = pgEnum("search_entity", ["account", "contact", "lead", "opportunity"]);

/**
 * The word dictionary of global search's typo tier (pg_trgm's "word list" technique): each distinct word of the
 * searchable names of a workspace, once per record type, however many records use it. A typo is matched against
 * these few words through the trigram index instead of against every record's name (worker/services/search/query.ts).
 *
 * Derived data, written only by statement-level triggers on accounts, contacts, leads and opportunities (custom
 * migration 0007): words of live rows are added on insert, rename and restore. Words are not removed when the last
 * record using them is renamed or deleted: a stale word only costs an empty lookup, and the nightly maintenance
 * prunes them (search_words_prune). Not backed up: a restore re-creates it through the same triggers.
 */
export const searchWords = pgTable(
  "search_words",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    entity: searchEntityEnum("entity").notNull(),
    /** A lexeme of to_tsvector('simple', …) of the name fields, as the records' `search` vectors hold it. */
    word: text("word").notNull(),
  },
  (t) => [
    // Also what a small workspace's typo lookup scans: the planner prefers reading its few words here to the trigram index.
    primaryKey({ columns: [t.workspaceId, t.entity, t.word] }),
    // Completions of a partly typed word: a range scan in byte order (C collation), like the records' prefix indexes.
    index("search_words_ws_word_prefix_idx").on(t.workspaceId, sql`${t.word} collate "C"`),
    // Similar words. Deliberately without a leading workspace_id (btree_gin), unlike the records' GIN indexes: GIN
    // intersects a key with the workspace's posting list by decoding it, which costs as much as the workspace has words
    // (10–25 ms at 300k words, measured), while the trigram postings of a table of distinct words stay short.
    index("search_words_word_trgm_idx").using("gin", sql`${t.word} gin_trgm_ops`),
  ],
);
