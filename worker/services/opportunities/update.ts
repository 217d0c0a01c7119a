import { and, eq, isNull, ne, sql } from "drizzle-orm";
import type { Database, Tx } from "../../../db/client";
import { activities, opportunities, opportunityContacts, pipelines, pipelineStages, reasonCodes } from "../../../db/schema";
import { ConflictError, ValidationError } from "../../lib/errors";
import { diff, recordAudit, type Actor } from "../audit/record";
import { entities } from "../records/entities";
import { loadRecord } from "../records/load";
import { assertRefs } from "../records/refs";
import { serialize } from "../records/serialize";
import { withPipelineId } from "./pipeline-of";

export interface OpportunityPatch extends Record<string, unknown> {
  stageId?: string;
  stageChangeReason?: string | { text: string; code?: string };
  version?: number;
  contactIds?: string[];
}

/**
 * Inline edit of a deal (board card or detail page). Optimistic concurrency: the caller's version must be the
 * current one, else 409 with the current record. A stage change needs a reason and, in the same transaction,
 * writes a `stage_change` activity and sets / clears `closed_at` for won / lost stages.
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
    const stageChanged = fields.stageId !== undefined && fields.stageId !== before.stageId;
    let stageActivity: { from: StageRow; to: StageRow; reason: { text: string; code?: string } } | undefined;
    if (stageChanged) {
      if (!stageChangeReason) {
        throw new ValidationError("Moving a deal to another stage needs a reason", [{ path: "stageChangeReason", message: "is required when stageId changes" }]);
      }
      const reason = typeof stageChangeReason === "string" ? { text: stageChangeReason } : stageChangeReason;
      const [from, to] = await Promise.all([stageRow(tx, actor.workspaceId, before.stageId as string), stageRow(tx, actor.workspaceId, fields.stageId!)]);
      if (reason.code) await assertReasonCode(tx, actor.workspaceId, to.kind, reason.code);
      values.stageEnteredAt = new Date();
      // Moved from the detail page (no position given): the bottom of the new column, not wherever the old
      // column's number happens to fall among the new column's cards.
      if (fields.position === undefined) values.position = await endOfStage(tx, actor.workspaceId, fields.stageId!, id);
      if (to.kind === "open") values.closedAt = null;
      else if (from.kind === "open" || !before.closedAt) values.closedAt = new Date();
      stageActivity = { from, to, reason };
    }

    const changes = diff(before, values);
    if (Object.keys(changes).length === 0 && !contactIds) return { row: await withPipelineId(tx, actor.workspaceId, before), changes, stageActivity };
    const [row] = await tx
      .update(opportunities)
      .set({ ...values, version: (before.version as number) + 1, updatedAt: new Date() })
      .where(and(eq(opportunities.id, id), eq(opportunities.version, before.version as number)))
      .returning();
    if (contactIds) {
      await tx.delete(opportunityContacts).where(eq(opportunityContacts.opportunityId, id));
      if (contactIds.length) await tx.insert(opportunityContacts).values(contactIds.map((contactId) => ({ opportunityId: id, contactId })));
    }
    if (stageActivity) {
      const { from, to, reason } = stageActivity;
      // Moving to another pipeline is a stage change to a stage of that pipeline; the record names both pipelines.
      const crossed = from.pipelineId !== to.pipelineId;
      await tx.insert(activities).values({
        workspaceId: actor.workspaceId,
        type: "stage_change",
        subject: crossed ? `${from.pipelineName}: ${from.name} → ${to.pipelineName}: ${to.name}` : `${from.name} → ${to.name}`,
        body: reason.text,
        properties: {
          fromStageId: from.id, fromStage: from.name, toStageId: to.id, toStage: to.name, reason: reason.text,
          ...(reason.code ? { reasonCode: reason.code } : {}),
          ...(crossed ? { fromPipelineId: from.pipelineId, fromPipeline: from.pipelineName, toPipelineId: to.pipelineId, toPipeline: to.pipelineName } : {}),
        },
        actorId: actor.userId,
        opportunityId: id,
        accountId: (row!.accountId as string | null) ?? null,
      });
      await recordAudit(tx, actor, {
        action: "stage_change",
        entityType: "opportunity",
        entityId: id,
        changes: {
          stage: { from: from.name, to: to.name },
          reason: { from: null, to: reason.text },
          ...(reason.code ? { reasonCode: { from: null, to: reason.code } } : {}),
          ...(crossed ? { pipeline: { from: from.pipelineName, to: to.pipelineName }, pipelineId: { from: from.pipelineId, to: to.pipelineId } } : {}),
        },
      });
    }
    await recordAudit(tx, actor, { action: "update", entityType: "opportunity", entityId: id, changes });
    return { row: await withPipelineId(tx, actor.workspaceId, row as Record<string, unknown>), changes, stageActivity };
  });

  const out = serialize(result.row);
  if (Object.keys(result.changes).length) actor.events?.push({ type: "opportunity.updated", entityType: "opportunity", entityId: id, data: { ...out, changes: result.changes } });
  if (result.stageActivity) {
    const { from, to, reason } = result.stageActivity;
    actor.events?.push({ type: "opportunity.stage_changed", entityType: "opportunity", entityId: id, data: { opportunity: out, fromStage: from, toStage: to, reason } });
  }
  return out;
}

async function endOfStage(tx: Tx, workspaceId: string, stageId: string, exceptId: string): Promise<number> {
  const [last] = await tx
    .select({ max: sql<number | null>`max(${opportunities.position})` })
    .from(opportunities)
    .where(and(eq(opportunities.workspaceId, workspaceId), eq(opportunities.stageId, stageId), isNull(opportunities.deletedAt), ne(opportunities.id, exceptId)));
  return Number(last?.max ?? 0) + 1024;
}

type StageRow = { id: string; name: string; kind: "open" | "won" | "lost"; pipelineId: string; pipelineName: string };

async function stageRow(tx: Tx, workspaceId: string, id: string): Promise<StageRow> {
  const [s] = await tx
    .select({ id: pipelineStages.id, name: pipelineStages.name, kind: pipelineStages.kind, pipelineId: pipelineStages.pipelineId, pipelineName: pipelines.name })
    .from(pipelineStages)
    .innerJoin(pipelines, eq(pipelines.id, pipelineStages.pipelineId))
    .where(and(eq(pipelineStages.id, id), eq(pipelineStages.workspaceId, workspaceId), isNull(pipelineStages.deletedAt)))
    // Waits for a concurrent stage reconfiguration and then sees its result, so a deal never lands in a removed stage.
    .for("share", { of: pipelineStages });
  if (!s) throw new ValidationError("The stage does not exist", [{ path: "stageId", message: "no such stage in your workspace" }]);
  return s;
}

/** A reason code must be one of the workspace's codes for the kind of stage the deal moves to (GET /api/reason-codes). */
async function assertReasonCode(tx: Tx, workspaceId: string, kind: StageRow["kind"], code: string): Promise<void> {
  const [hit] = await tx
    .select({ value: reasonCodes.value })
    .from(reasonCodes)
    .where(and(eq(reasonCodes.workspaceId, workspaceId), eq(reasonCodes.kind, kind), eq(reasonCodes.value, code), isNull(reasonCodes.deletedAt)))
    .limit(1);
  if (!hit) {
    throw new ValidationError(`"${code}" is not a reason code for moving to a ${kind} stage`, [
      { path: "stageChangeReason.code", message: `not one of the workspace's ${kind} reason codes (GET /api/reason-codes)` },
    ]);
  }
}
