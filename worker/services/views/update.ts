import { eq } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { savedViews } from "../../../db/schema";
import { ForbiddenError } from "../../lib/errors";
import type { Actor } from "../audit/record";
import type { ViewUpdate } from "../../schemas/views";
import { defaultViewId, loadVisibleView, viewOut, writeDefault } from "./visible";

/**
 * Edits a view (its owner only) or makes it the caller's default (anyone who may see it: a colleague's shared view
 * can be my default without my being able to change it).
 */
export async function updateView(input: { db: Database; actor: Actor; id: string; patch: ViewUpdate }) {
  const { db, actor, id } = input;
  const userId = actor.userId!;
  const { isDefault, ...fields } = input.patch;
  return db.transaction(async (tx) => {
    let row = await loadVisibleView(tx, actor.workspaceId, userId, id, { forUpdate: true });
    if (Object.keys(fields).length > 0) {
      if (row.ownerId !== userId) throw new ForbiddenError("Only the view's owner can change it; save a copy instead");
      row = (await tx.update(savedViews).set({ ...fields, updatedAt: new Date() }).where(eq(savedViews.id, id)).returning())[0]!;
    }
    if (isDefault !== undefined) await writeDefault(tx, { workspaceId: actor.workspaceId, userId, entity: row.entity, viewId: id, isDefault });
    return viewOut(row!, await defaultViewId(tx, userId, row.entity));
  });
}
