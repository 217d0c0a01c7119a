import { index, primaryKey, text, uuid, pgTable } from "drizzle-orm/pg-core";
import { timestamptz } from "./columns";
import { workspaces } from "./workspaces";

/**
 * Records an import session created or matched (`options.importSessionId`), so a later import of the same session
 * resolves an account name that several accounts share to the one this session just imported. Bookkeeping only:
 * rows older than a day are deleted by the next import of the workspace (hence the created_at index).
 */
export const importSessionRecords = pgTable(
  "import_session_records",
  {
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id),
    sessionId: uuid("session_id").notNull(),
    /** "account" today; the entity type keeps the table usable for other name lookups. */
    entityType: text("entity_type").notNull(),
    recordId: uuid("record_id").notNull(),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.sessionId, t.entityType, t.recordId] }),
    index("import_session_records_ws_created_idx").on(t.workspaceId, t.createdAt),
  ],
);
