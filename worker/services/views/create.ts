import type { Database } from "../../../db/client";
import { savedViews } from "../../../db/schema";
import type { Actor } from "../audit/record";
import type { ViewCreate } from "../../schemas/views";
import { viewOut, writeDefault } from "./visible";

/** Saves the grid's current columns, filters, sort and grouping under a name (private unless `shared`). */
export async function createView(input: { db: Database; actor: Actor; body: ViewCreate }) {
  const { db, actor, body } = input;
  const userId = actor.userId!;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(savedViews)
      .values({ workspaceId: actor.workspaceId, ownerId: userId, entity: body.entity, name: body.name, columns: body.columns, filters: body.filters, sort: body.sort ?? null, groupBy: body.groupBy ?? null, shared: body.shared })
      .returning();
    if (body.isDefault) await writeDefault(tx, { workspaceId: actor.workspaceId, userId, entity: body.entity, viewId: row!.id, isDefault: true });
    return viewOut(row!, body.isDefault ? row!.id : null);
  });
}
