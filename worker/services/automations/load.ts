import { and, eq, isNull } from "drizzle-orm";
import type { Executor } from "../../../db/client";
import { automations } from "../../../db/schema";
import { NotFoundError } from "../../lib/errors";
import { isUuid } from "../../lib/uuid";

/** One rule of the workspace; another workspace's id answers 404 like a missing one. */
export async function loadAutomation(db: Executor, workspaceId: string, id: string, opts: { forUpdate?: boolean } = {}) {
  if (!isUuid(id)) throw new NotFoundError("Automation");
  const q = db.select().from(automations).where(and(eq(automations.id, id), eq(automations.workspaceId, workspaceId), isNull(automations.deletedAt)));
  const [row] = opts.forUpdate ? await q.for("update") : await q;
  if (!row) throw new NotFoundError("Automation");
  return row;
}
