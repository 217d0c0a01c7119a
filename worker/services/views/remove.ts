import { eq } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { savedViews } from "../../../db/schema";
import { ForbiddenError } from "../../lib/errors";
import type { Actor } from "../audit/record";
import { loadVisibleView } from "./visible";

/** Deletes a view: its owner, or an ADMIN tidying the workspace's shared views. Everyone's default on it goes too. */
export async function deleteView(input: { db: Database; actor: Actor; role: string; id: string }) {
  const { db, actor, id } = input;
  await db.transaction(async (tx) => {
    const row = await loadVisibleView(tx, actor.workspaceId, actor.userId!, id, { forUpdate: true });
    if (row.ownerId !== actor.userId && input.role !== "ADMIN") throw new ForbiddenError("Only the view's owner or an admin can delete it");
    await tx.delete(savedViews).where(eq(savedViews.id, id));
  });
}
