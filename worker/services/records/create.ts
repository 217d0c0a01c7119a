import { sql } from "drizzle-orm";
import { rowsOf, type Database } from "../../../db/client";
import { opportunityContacts } from "../../../db/schema";
import { ValidationError } from "../../lib/errors";
import { diff, recordAudit, type Actor } from "../audit/record";
import type { EntityDef } from "./entities";
import { assertRefs } from "./refs";
import { expandCustomChanges, isCustomEntity, resolveCustomValues } from "../custom-fields/values";
import { pipelineIdExpr, resolvePipeline } from "../pipelines/read";
import { serialize } from "./serialize";
import { bottomOfStage, stageInfo } from "../opportunities/move-stage";
import { emit } from "../../events/outbox";


/** Creates a record of any entity: reference checks, insert and audit entry in one transaction. */
export async function createRecord(input: { db: Database; actor: Actor; def: EntityDef; body: Record<string, unknown> }) {
  const { db, actor, def } = input;
  const { contactIds, ...rawBody } = input.body as Record<string, unknown> & { contactIds?: string[] };
  const values: Record<string, unknown> = def.prepare ? def.prepare(rawBody) : { ...rawBody };

  const row = await db.transaction(async (tx) => {
    const refs = Object.entries(def.refs)
      .filter(([field]) => typeof values[field] === "string")
      .map(([field, kind]) => ({ field, kind: kind!, id: values[field] as string }));
    for (const id of contactIds ?? []) refs.push({ field: "contactIds", kind: "contact", id });
    await assertRefs(tx, actor.workspaceId, refs);
    if (isCustomEntity(def.type)) values.custom = await resolveCustomValues(tx, { workspaceId: actor.workspaceId, entity: def.type, custom: values.custom, mode: "create" });

    const placed = def.type === "opportunity" ? await opportunityDefaults(tx, actor.workspaceId, values) : undefined;
    if (def.type === "activity" && contactIds?.length) {
      // Everyone on a call or meeting; the first is the contact the activity is filed under unless one was named.
      values.properties = { ...(values.properties as Record<string, unknown> | undefined), contactIds: [...new Set(contactIds)] };
      values.contactId ??= contactIds[0];
    }
    if (def.type === "activity") values.actorId = actor.userId;
    // Tasks and meetings are someone's: they appear in that person's calendar (and private ICS feed).
    if (def.type === "activity" && (values.type === "task" || values.type === "meeting") && values.ownerId === undefined) values.ownerId = actor.userId;
    if ((def.type === "account" || def.type === "contact" || def.type === "lead" || def.type === "opportunity") && values.ownerId === undefined) {
      values.ownerId = actor.userId;
    }

    const [created] = await tx
      .insert(def.table)
      .values({ ...values, workspaceId: actor.workspaceId })
      .returning();
    const rec = created as Record<string, unknown>;
    if (def.type === "opportunity" && contactIds?.length) {
      await tx.insert(opportunityContacts).values(contactIds.map((contactId) => ({ opportunityId: rec.id as string, contactId }))).onConflictDoNothing();
    }
    await recordAudit(tx, actor, { action: "create", entityType: def.type, entityId: rec.id as string, changes: expandCustomChanges(diff(null, rec)) });
    const out = placed ? { ...rec, pipelineId: placed.pipelineId } : rec;
    await emit(tx, actor, { type: `${def.type}.created`, entityType: def.type, entityId: rec.id as string, data: serialize(out) });
    return out;
  });
  return serialize(row);
}

/**
 * New deals land in the first open stage of their pipeline (`pipelineId`, else the workspace's default) unless a
 * stage is named, at the bottom of its column. A named stage must belong to the named pipeline. Removes
 * `pipelineId` from `values` (deals have no such column) and returns the pipeline the deal landed in.
 */
export async function opportunityDefaults(tx: Parameters<Parameters<Database["transaction"]>[0]>[0], workspaceId: string, values: Record<string, unknown>): Promise<{ pipelineId: string }> {
  const wanted = typeof values.pipelineId === "string" ? values.pipelineId : undefined;
  delete values.pipelineId;
  if (wanted) await resolvePipeline(tx, workspaceId, wanted);
  if (!values.stageId) {
    const res = await tx.execute(sql`
      select s.id from pipeline_stages s
      where s.workspace_id = ${workspaceId} and s.kind = 'open' and s.deleted_at is null
        and s.pipeline_id = ${pipelineIdExpr(workspaceId, wanted)}
      order by s.position, s.id limit 1`);
    const first = rowsOf(res)[0];
    if (!first) throw new ValidationError("The pipeline has no open stage; add one in Settings first", [{ path: wanted ? "pipelineId" : "stageId", message: "no open stage" }]);
    values.stageId = String(first.id);
  }
  // FOR SHARE: a concurrent stage removal either finishes first (and we refuse) or waits for this insert.
  const stage = await stageInfo(tx, workspaceId, values.stageId as string, { lock: true });
  if (!stage) throw new ValidationError("The stage does not exist", [{ path: "stageId", message: "no such stage in your workspace" }]);
  if (wanted && stage.pipelineId !== wanted) {
    throw new ValidationError("The stage belongs to another pipeline", [{ path: "stageId", message: "is not a stage of the pipeline named in pipelineId" }]);
  }
  if (stage.kind !== "open") values.closedAt = new Date();
  if (values.position === undefined) values.position = (await bottomOfStage(tx, workspaceId, stage.id)) + 1024;
  return { pipelineId: stage.pipelineId };
}
