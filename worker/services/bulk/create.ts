import { and, asc, sql } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { bulkJobs } from "../../../db/schema";
import { ForbiddenError, ValidationError, zodToFieldErrors } from "../../lib/errors";
import type { Role } from "../../schemas/common";
import { BULK_MAX, type BulkCreate, type BulkEntity } from "../../schemas/bulk";
import { activityUpdateSchema, listQuerySchema, recordContracts } from "../../schemas/records";
import type { Actor } from "../audit/record";
import { entityByPlural } from "../records/entities";
import { listWhere } from "../records/where";
import { bulkJobOut } from "./job-out";

/**
 * Makes a bulk job: checks the change once (as PATCH would, so a bad value fails the request, not ten thousand
 * records), resolves the records (the selection, or every record matching the list's filters, at most BULK_MAX) and
 * stores the job. run.ts does the work; a delete needs the role a single delete needs (ADMIN).
 */
export async function createBulkJob(input: { db: Database; actor: Actor; role: Role; entity: BulkEntity; body: BulkCreate }) {
  const { db, actor, entity, body } = input;
  const def = entityByPlural[entity]!;
  if (body.action === "delete" && input.role !== "ADMIN") throw new ForbiddenError("Deleting records needs the ADMIN role");
  let changes: Record<string, unknown> = {};
  if (body.action === "update") {
    const contract = def.type === "activity" ? activityUpdateSchema : recordContracts(def.type).update;
    const parsed = contract.safeParse(body.changes ?? {});
    if (!parsed.success) throw new ValidationError("The change is not valid", zodToFieldErrors(parsed.error).map((e) => ({ ...e, path: `changes.${e.path}` })));
    changes = parsed.data as Record<string, unknown>;
    if (Object.keys(changes).length === 0) throw new ValidationError("Say what to change", [{ path: "changes", message: "is empty" }]);
    if (changes.stageId !== undefined && !changes.stageChangeReason) {
      throw new ValidationError("Moving deals to another stage needs a reason", [{ path: "changes.stageChangeReason", message: "is required when stageId changes" }]);
    }
  }
  let ids: string[];
  if (body.ids) ids = [...new Set(body.ids)];
  else if (body.filter) {
    const raw = body.filter;
    const custom = Object.fromEntries(Object.entries(raw).filter(([k]) => k.startsWith("custom.")));
    const parsed = listQuerySchema.safeParse(Object.fromEntries(Object.entries(raw).filter(([k]) => !k.startsWith("custom."))));
    if (!parsed.success) throw new ValidationError("The filter is not valid", zodToFieldErrors(parsed.error).map((e) => ({ ...e, path: `filter.${e.path}` })));
    const { where } = await listWhere({ db, workspaceId: actor.workspaceId, def, query: parsed.data, custom });
    const rows = await db.http.select({ id: sql<string>`${def.table.id}` }).from(def.table).where(and(...where)).orderBy(asc(def.table.id!)).limit(BULK_MAX + 1);
    if (rows.length > BULK_MAX) throw new ValidationError(`More than ${BULK_MAX.toLocaleString("en")} records match; narrow the filter`, [{ path: "filter", message: "matches too many records" }]);
    ids = rows.map((r) => r.id);
  } else throw new ValidationError("Choose the records: ids, or a filter", [{ path: "ids", message: "ids or filter is required" }]);
  if (ids.length === 0) throw new ValidationError("No records match", [{ path: "filter", message: "matches no records" }]);

  const [row] = await db.http
    .insert(bulkJobs)
    .values({ workspaceId: actor.workspaceId, userId: actor.userId!, entity, action: body.action, changes, recordIds: ids, total: ids.length })
    .returning();
  return bulkJobOut(row!);
}
