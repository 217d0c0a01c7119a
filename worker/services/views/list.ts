import { and, asc, eq } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { savedViewDefaults, savedViews } from "../../../db/schema";
import type { Actor } from "../audit/record";
import type { ViewEntity } from "../../schemas/views";
import { viewOut, visibleTo } from "./visible";

/** The views the caller may open (their own and shared ones), by entity and name, each marked if it is their default. */
export async function listViews(input: { db: Database; actor: Actor; entity?: ViewEntity }) {
  const { db, actor, entity } = input;
  const userId = actor.userId!;
  const [rows, defaults] = await Promise.all([
    db.http
      .select()
      .from(savedViews)
      .where(and(visibleTo(actor.workspaceId, userId), entity ? eq(savedViews.entity, entity) : undefined))
      .orderBy(asc(savedViews.entity), asc(savedViews.name), asc(savedViews.id))
      .limit(500),
    db.http.select().from(savedViewDefaults).where(and(eq(savedViewDefaults.workspaceId, actor.workspaceId), eq(savedViewDefaults.userId, userId))),
  ]);
  const byEntity = new Map(defaults.map((d) => [d.entity, d.viewId]));
  return { data: rows.map((r) => viewOut(r, byEntity.get(r.entity) ?? null)) };
}
