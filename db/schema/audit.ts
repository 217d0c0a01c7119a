import { index, jsonb, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { timestamptz } from "./columns";
import { users, workspaces } from "./workspaces";

/**
 * Append-only audit trail: every mutation with actor and field-level before → after.
 * Activities stay the domain timeline; this also covers users, stages and settings.
 */
export const auditLog = pgTable(
  "audit_log",
  {
    id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id),
    actorId: uuid("actor_id").references(() => users.id),
    /** create | update | delete | restore | stage_change | convert | user.* | settings.* */
    action: text("action").notNull(),
    entityType: text("entity_type").notNull(),
    entityId: uuid("entity_id"),
    changes: jsonb("changes").$type<Record<string, { from: unknown; to: unknown }>>().notNull().default({}),
    requestId: text("request_id"),
    /** Set when the change came through an integrator's API key (actor_id is then the key's creator). */
    apiKeyId: uuid("api_key_id"),
    at: timestamptz("at").notNull().defaultNow(),
  },
  (t) => [
    index("audit_ws_at_idx").on(t.workspaceId, t.at.desc(), t.id.desc()),
    index("audit_entity_idx").on(t.workspaceId, t.entityType, t.entityId),
  ],
);
