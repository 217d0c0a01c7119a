import { and, eq, isNull, or, sql, type SQL } from "drizzle-orm";
import type { Executor } from "../../../db/client";
import { savedViewDefaults, savedViews } from "../../../db/schema";
import { NotFoundError } from "../../lib/errors";

type Row = typeof savedViews.$inferSelect;

/** Views a user may see: their own and the workspace's shared ones (never another workspace's, never deleted). */
export const visibleTo = (workspaceId: string, userId: string): SQL =>
  and(eq(savedViews.workspaceId, workspaceId), isNull(savedViews.deletedAt), or(eq(savedViews.ownerId, userId), eq(savedViews.shared, true)))!;

/** One visible view, or 404 (a colleague's private view is as absent as a foreign one). */
export async function loadVisibleView(db: Executor, workspaceId: string, userId: string, id: string, opts: { forUpdate?: boolean } = {}): Promise<Row> {
  const q = db.select().from(savedViews).where(and(eq(savedViews.id, id), visibleTo(workspaceId, userId)));
  const [row] = opts.forUpdate ? await q.for("update") : await q;
  if (!row) throw new NotFoundError("View");
  return row;
}

/** The view as the API answers it, for one reader (whose default it may be). */
export function viewOut(row: Row, defaultId: string | null) {
  return {
    id: row.id,
    entity: row.entity as "accounts",
    ownerId: row.ownerId,
    name: row.name,
    columns: row.columns,
    filters: row.filters,
    sort: row.sort,
    groupBy: row.groupBy,
    shared: row.shared,
    isDefault: row.id === defaultId,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Makes (or stops making) a view the user's default for its entity: one default per user and entity. */
export async function writeDefault(db: Executor, input: { workspaceId: string; userId: string; entity: string; viewId: string; isDefault: boolean }) {
  const { workspaceId, userId, entity, viewId } = input;
  if (input.isDefault) {
    await db
      .insert(savedViewDefaults)
      .values({ workspaceId, userId, entity, viewId })
      .onConflictDoUpdate({ target: [savedViewDefaults.userId, savedViewDefaults.entity], set: { viewId } });
  } else {
    await db.delete(savedViewDefaults).where(and(eq(savedViewDefaults.userId, userId), eq(savedViewDefaults.entity, entity), eq(savedViewDefaults.viewId, viewId)));
  }
}

/** The user's default view id for an entity, or null. */
export async function defaultViewId(db: Executor, userId: string, entity: string): Promise<string | null> {
  const [row] = await db.select({ viewId: savedViewDefaults.viewId }).from(savedViewDefaults).where(sql`${savedViewDefaults.userId} = ${userId} and ${savedViewDefaults.entity} = ${entity}`);
  return row?.viewId ?? null;
}
