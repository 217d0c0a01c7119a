import { and, asc, sql, type SQL } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { users } from "../../../db/schema";
import { afterCursor, decodeCursor, encodeCursor } from "../../lib/cursor";
import type { UserListQuery } from "../../schemas/users";
import { toUser } from "../auth/login";

/** The workspace's users by name (owner pickers, the admin list), keyset-paginated on (name, id). */
export async function listUsers(input: { db: Database; workspaceId: string; query: UserListQuery }) {
  const { db, workspaceId, query: q } = input;
  const where: SQL[] = [sql`${users.workspaceId} = ${workspaceId}`, sql`${users.deletedAt} is null`];
  if (q.role) where.push(sql`${users.role} = ${q.role}`);
  if (q.active) where.push(sql`${users.active} = ${q.active === "true"}`);
  if (q.q) {
    const like = `%${q.q.toLowerCase().replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    where.push(sql`(lower(${users.name}) like ${like} or lower(${users.email}) like ${like})`);
  }
  if (q.cursor) where.push(afterCursor(sql`${users.name}`, sql`${users.id}`, "asc", decodeCursor(q.cursor)));
  const rows = await db.http
    .select()
    .from(users)
    .where(and(...where))
    .orderBy(asc(users.name), asc(users.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    data: page.map((u) => toUser(u)),
    nextCursor: rows.length > q.limit && last ? encodeCursor({ value: last.name, id: last.id }) : null,
  };
}
