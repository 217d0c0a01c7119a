import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgEnum, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { baseColumns, timestamptz } from "./columns";

export const workspaces = pgTable("workspaces", {
  ...baseColumns(),
  name: text("name").notNull(),
  slug: text("slug").notNull().unique(),
  /** Per-workspace overrides of configuration (branding, AI limits, …); validated by the Worker. */
  settings: jsonb("settings").$type<Record<string, unknown>>().notNull().default({}),
});

export const roleEnum = pgEnum("user_role", ["ADMIN", "USER", "VIEWER"]);

export const users = pgTable(
  "users",
  {
    ...baseColumns(),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id),
    email: text("email").notNull(),
    name: text("name").notNull(),
    role: roleEnum("role").notNull().default("USER"),
    active: boolean("active").notNull().default(true),
    /** `pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>`: the work factor travels with the hash. */
    passwordHash: text("password_hash"),
    mustChangePassword: boolean("must_change_password").notNull().default(false),
    /** Bumped on deactivation / password change: tokens carrying an older value stop working at once. */
    tokenVersion: integer("token_version").notNull().default(0),
    lastLoginAt: timestamptz("last_login_at"),
  },
  (t) => [
    // Sign-in is by e-mail alone, so an address belongs to one user across all workspaces.
    uniqueIndex("users_email_unique").on(sql`lower(${t.email})`),
    index("users_workspace_idx").on(t.workspaceId),
  ],
);
