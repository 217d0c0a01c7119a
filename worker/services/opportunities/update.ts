import { and, eq } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { opportunities, opportunityContacts } from "../../../db/schema";
import { emit } from "../../events/outbox";
import { ConflictError, ValidationError } from "../../lib/errors";
import { diff, recordAudit, type Actor } from "../audit/record";
import { entities } from "../records/entities";
import { loadRecord } from "../records/load";
import { assertRefs } from "../records/refs";
import { serialize } from "../records/serialize";
import { expandCustomChanges, resolveCustomValues } from "../custom-fields/values";
import { moveDealsToStage } from "./move-stage";
import { withPipelineId } from "./pipeline-of";

export interface OpportunityPatch extends Record<string, unknown> {
  stageId?: string;
  stageChangeReason?: string | { text: string; code?: string };
  version?: number;
  contactIds?: string[];
}

/**
 * Inline edit of a deal (board card or detail page). Optimistic concurrency: the caller's version must be the
 * current one, else 409 with the current record. A stage change needs a reason and goes through the one stage-move
 * verb (move-stage.ts) in the same transaction: one version bump for the whole edit.
 */
export async function updateOpportunity(input: { db: Database; actor: Actor; id: string; patch: OpportunityPatch; expectedVersion?: number }) {
  const { db, actor, id } = input;
  const { stageChangeReason, version, contactIds, ...fields } = input.patch;
  const expected = input.expectedVersion ?? version;
  const def = entities.opportunity;

  const result = await db.transaction(async (tx) => {
    const before = await loadRecord(tx, def, actor.workspaceId, id, { forUpdate: true });
    if (expected !== undefined && expected !== before.version) {
      throw new ConflictError(`This deal was changed by someone else (you edited version ${expected}, it is now ${before.version}); review and re-apply`, {
        current: serialize(await withPipelineId(tx, actor.workspaceId, before)),
      });
    }
    const refs = Object.entries(def.refs)
      .filter(([field]) => typeof fields[field] === "string" && fields[field] !== before[field])
      .map(([field, kind]) => ({ field, kind: kind!, id: fields[field] as string }));
    for (const c of contactIds ?? []) refs.push({ field: "contactIds", kind: "contact", id: c });
    await assertRefs(tx, actor.workspaceId, refs);

    const values: Record<string, unknown> = { ...fields };
    if (values.custom !== undefined) {
      values.custom = await resolveCustomValues(tx, { workspaceId: actor.workspaceId, entity: "opportunity", custom: values.custom, mode: "update", before: before.custom as Record<string, unknown> });
    }
    const stageChanged = fields.stageId !== undefined && fields.stageId !== before.stageId;
    let reason: { text: string; code?: string } | undefined;
    if (stageChanged) {
      if (!stageChangeReason) {
        throw new ValidationError("Moving a deal to another stage needs a reason", [{ path: "stageChangeReason", message: "is required when stageId changes" }]);
      }
      reason = typeof stageChangeReason === "string" ? { text: stageChangeReason } : stageChangeReason;
      // The stage columns are the stage-move verb's to write (below); a drop position travels with the move.
      delete values.stageId;
      delete values.position;
    }

    const fieldChanges = expandCustomChanges(diff(before, values));
    if (Object.keys(fieldChanges).length === 0 && !contactIds && !stageChanged) return { row: await withPipelineId(tx, actor.workspaceId, before), changes: fieldChanges };
    let row: Record<string, unknown> = before;
    const bumped = Object.keys(fieldChanges).length > 0 || !!contactIds;
    if (bumped) {
      const [updated] = await tx
        .update(opportunities)
        .set({ ...values, version: (before.version as number) + 1, updatedAt: new Date() })
        .where(and(eq(opportunities.id, id), eq(opportunities.version, before.version as number)))
        .returning();
      row = updated as Record<string, unknown>;
    }
    if (contactIds) {
      await tx.delete(opportunityContacts).where(eq(opportunityContacts.opportunityId, id));
      if (contactIds.length) await tx.insert(opportunityContacts).values(contactIds.map((contactId) => ({ opportunityId: id, contactId })));
    }
    if (stageChanged) {
      const [moved] = await moveDealsToStage({
        tx, actor, ids: [id], toStageId: fields.stageId!, reason: reason!.text, reasonCode: reason!.code, source: "edit",
        position: typeof fields.position === "number" ? fields.position : undefined,
        versionBumped: bumped ? new Set([id]) : undefined,
      });
      row = moved!.row;
    }
    const changes = stageChanged ? expandCustomChanges(diff(before, { ...values, ...pick(row, ["stageId", "stageEnteredAt", "position", "closedAt"]) })) : fieldChanges;
    await recordAudit(tx, actor, { action: "update", entityType: "opportunity", entityId: id, changes });
    const out = await withPipelineId(tx, actor.workspaceId, row);
    if (Object.keys(changes).length) await emit(tx, actor, { type: "opportunity.updated", entityType: "opportunity", entityId: id, data: { ...serialize(out), changes } });
    return { row: out, changes };
  });

  return serialize(result.row);
}

const pick = (row: Record<string, unknown>, keys: string[]) => Object.fromEntries(keys.map((k) => [k, row[k]]));
