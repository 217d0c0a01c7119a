import { eq } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { ConflictError, ValidationError } from "../../middleware/errors";
import { diff, recordAudit, type Actor } from "../audit/record";
import type { EntityDef } from "./entities";
import { loadRecord } from "./load";
import { assertRefs } from "./refs";
import { serialize } from "./serialize";

const systemActivityTypes = new Set(["stage_change", "lead_converted"]);

/** Partial update of an account, contact, lead or activity (opportunities have their own verb: stages, versions). */
export async function updateRecord(input: { db: Database; actor: Actor; def: EntityDef; id: string; body: Record<string, unknown> }) {
  const { db, actor, def, id } = input;
  const values = def.prepare ? def.prepare(input.body) : { ...input.body };
  const { before, after, changes } = await db.transaction(async (tx) => {
    const before = await loadRecord(tx, def, actor.workspaceId, id, { forUpdate: true });
    if (def.type === "lead" && before.status === "converted" && values.status !== undefined) {
      throw new ConflictError("A converted lead keeps its status; edit the contact or opportunity it became instead");
    }
    // Stage changes and conversions are history the pipeline reports rely on: not editable after the fact.
    if (def.type === "activity" && systemActivityTypes.has(before.type as string)) {
      throw new ConflictError(`A ${String(before.type).replace("_", " ")} activity is a system record and cannot be edited`);
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
    const changes = diff(before, values);
    if (Object.keys(changes).length === 0) return { before, after: before, changes };
    const [after] = await tx.update(def.table).set({ ...values, updatedAt: new Date() }).where(eq(def.table.id!, id)).returning();
    await recordAudit(tx, actor, { action: "update", entityType: def.type, entityId: id, changes });
    return { before, after: after as Record<string, unknown>, changes };
  });
  if (Object.keys(changes).length) {
    actor.events?.push({ type: `${def.type}.updated`, entityType: def.type, entityId: id, data: { ...serialize(after), changes } });
  }
  void before;
  return serialize(after);
}
