import { sql } from "drizzle-orm";
import { customType, timestamp, uuid } from "drizzle-orm/pg-core";

/** Base columns every CRM row carries (twenty's model): uuid id, audit timestamps, soft delete. */
export const baseColumns = () => ({
  id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
  createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  deletedAt: timestamp("deleted_at", { withTimezone: true, mode: "date" }),
});

export const tsvector = customType<{ data: string }>({
  dataType: () => "tsvector",
});

export const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
