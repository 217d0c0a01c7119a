import { eq } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { ConflictError, ValidationError } from "../../lib/errors";
import { diff, recordAudit, type Actor } from "../audit/record";
import type { EntityDef } from "./entities";
import { loadRecord } from "./load";
import { assertRefs } from "./refs";
import { serialize } from "./serialize";
import { expandCustomChanges, isCustomEntity, resolveCustomValues } from "../custom-fields/values";
import { userActivityTypes } from "../../schemas/activity-types";
import { emit } from "../../events/outbox";

/** Only what people log by hand is theirs to edit; every other type is written by the system. */
const editableActivityTypes = new Set<string>(userActivityTypes);

/** Partial update of an account, contact, lead or activity (opportunities have their own verb: stages, versions). */
export async function updateRecord(input: { db: Database; actor: Actor; def: EntityDef; id: string; body: Record<string, unknown> }) {
  const { db, actor, def, id } = input;
  const values = def.prepare ? def.prepare(input.body) : { ...input.body };
  const { before, after, changes } = await db.transaction(async (tx) => {
    const before = await loadRecord(tx, def, actor.workspaceId, id, { forUpdate: true });
    if (def.type === "lead" && before.status === "converted" && values.status !== undefined) {
      throw new ConflictError("A converted lead keeps its status; edit the contact or opportunity it became instead");
    }
    // System records are history others rely on: stage changes and conversions feed the pipeline reports, AI
    // outputs name the provider and model that produced them, attachment entries mirror the files. Read-only.
    if (def.type === "activity" && !editableActivityTypes.has(before.type as string)) {
      throw new ConflictError(`A ${String(before.type).replaceAll("_", " ")} activity is a system record and cannot be edited`);
    }
    if (def.type === "contact" || def.type === "lead") {
      const merged = { ...before, ...values };
      const has = (k: string) => typeof merged[k] === "string" && (merged[k] as string).trim() !== "";
      if (!has("firstName") && !has("lastName") && !has("email")) {
        throw new ValidationError(`A ${def.label.toLowerCase()} needs a name or an email`, [{ path: "name", message: "a name or an email is required" }]);
      }
    }
    const refs = Object.entries(def.refs)
      .filter(([field]) => typeof values[field] === "string" && values[field] !== before[field])
      .map(([field, kind]) => ({ field, kind: kind!, id: values[field] as string }));
    await assertRefs(tx, actor.workspaceId, refs);
    if (isCustomEntity(def.type) && values.custom !== undefined) {
      values.custom = await resolveCustomValues(tx, { workspaceId: actor.workspaceId, entity: def.type, custom: values.custom, mode: "update", before: before.custom as Record<string, unknown> });
    }
    const changes = expandCustomChanges(diff(before, values));
    if (Object.keys(changes).length === 0) return { before, after: before, changes };
    const [after] = await tx.update(def.table).set({ ...values, updatedAt: new Date() }).where(eq(def.table.id!, id)).returning();
    await recordAudit(tx, actor, { action: "update", entityType: def.type, entityId: id, changes });
    await emit(tx, actor, { type: `${def.type}.updated`, entityType: def.type, entityId: id, data: { ...serialize(after as Record<string, unknown>), changes } });
    return { before, after: after as Record<string, unknown>, changes };
  });
  void before;
  void changes;
  return serialize(after);
}
