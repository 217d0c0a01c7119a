import { and, eq, isNull, isNotNull } from "drizzle-orm";
import type { Executor } from "../../../db/client";
import { NotFoundError } from "../../lib/errors";
import type { EntityDef } from "./entities";
import { isUuid } from "../../lib/uuid";

/**
 * Reads one record of the caller's workspace, optionally locking it for the rest of the transaction. A foreign
 * workspace's id, a malformed id and a missing id all answer the same 404.
 */
export async function loadRecord(
  db: Executor,
  def: EntityDef,
  workspaceId: string,
  id: string,
  opts: { forUpdate?: boolean; deleted?: boolean } = {},
): Promise<Record<string, unknown>> {
  if (!isUuid(id)) throw new NotFoundError(def.label);
  const tbl = def.table;
  const q = db
    .select()
    .from(tbl)
    .where(and(eq(tbl.id!, id), eq(tbl.workspaceId!, workspaceId), opts.deleted ? isNotNull(tbl.deletedAt!) : isNull(tbl.deletedAt!)))
    .limit(1);
  const [row] = opts.forUpdate ? await q.for("update") : await q;
  if (!row) throw new NotFoundError(def.label);
  return row as Record<string, unknown>;
}
