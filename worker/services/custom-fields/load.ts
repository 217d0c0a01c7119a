import { and, eq, isNotNull, isNull } from "drizzle-orm";
import type { Executor } from "../../../db/client";
import { customFields } from "../../../db/schema";
import { isUuid } from "../../lib/uuid";
import { NotFoundError } from "../../lib/errors";
import type { CustomFieldRow } from "./registry";

/** One field of the caller's workspace (live, or deleted with `deleted`), locked for the transaction; else 404. */
export async function loadField(db: Executor, workspaceId: string, id: string, opts: { deleted?: boolean } = {}): Promise<CustomFieldRow> {
  if (!isUuid(id)) throw new NotFoundError("Custom field");
  const [row] = await db
    .select()
    .from(customFields)
    .where(and(eq(customFields.id, id), eq(customFields.workspaceId, workspaceId), opts.deleted ? isNotNull(customFields.deletedAt) : isNull(customFields.deletedAt)))
    .for("update");
  if (!row) throw new NotFoundError("Custom field");
  return row;
}
