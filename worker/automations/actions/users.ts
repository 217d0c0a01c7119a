import { and, eq, inArray } from "drizzle-orm";
import type { Executor } from "../../../db/client";
import { users } from "../../../db/schema";

/** E-mail addresses of active users of the workspace, in the order asked. */
export async function loadUserEmails(db: Executor, workspaceId: string, ids: string[]): Promise<string[]> {
  if (!ids.length) return [];
  const rows = await db
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(and(eq(users.workspaceId, workspaceId), inArray(users.id, ids), eq(users.active, true)));
  const byId = new Map(rows.map((r) => [r.id, r.email]));
  return ids.map((id) => byId.get(id)).filter((e): e is string => !!e);
}
