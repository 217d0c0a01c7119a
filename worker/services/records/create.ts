import { and, asc, eq, isNull, sql } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { opportunities, opportunityContacts, pipelineStages } from "../../../db/schema";
import { ValidationError } from "../../lib/errors";
import { diff, recordAudit, type Actor } from "../audit/record";
import type { EntityDef } from "./entities";
import { assertRefs } from "./refs";
import { serialize } from "./serialize";

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

    if (def.type === "opportunity") await opportunityDefaults(tx, actor.workspaceId, values);
    if (def.type === "activity") values.actorId = actor.userId;
    if (def.type === "activity" && values.type === "task" && values.ownerId === undefined) values.ownerId = actor.userId;
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
    await recordAudit(tx, actor, { action: "create", entityType: def.type, entityId: rec.id as string, changes: diff(null, rec) });
    return rec;
  });
  actor.events?.push({ type: `${def.type}.created`, entityType: def.type, entityId: row.id as string, data: serialize(row) });
  return serialize(row);
}

/** New deals land in the first open stage (unless one is named), at the bottom of its column. */
export async function opportunityDefaults(tx: Parameters<Parameters<Database["transaction"]>[0]>[0], workspaceId: string, values: Record<string, unknown>) {
  if (!values.stageId) {
    const [first] = await tx
      .select({ id: pipelineStages.id })
      .from(pipelineStages)
      .where(and(eq(pipelineStages.workspaceId, workspaceId), eq(pipelineStages.kind, "open"), isNull(pipelineStages.deletedAt)))
      .orderBy(asc(pipelineStages.position))
      .limit(1);
    if (!first) throw new ValidationError("The pipeline has no open stage; add one in Settings first", [{ path: "stageId", message: "no open stage" }]);
    values.stageId = first.id;
  }
  // FOR SHARE: a concurrent stage removal either finishes first (and we refuse) or waits for this insert.
  const [stage] = await tx
    .select({ kind: pipelineStages.kind })
    .from(pipelineStages)
    .where(and(eq(pipelineStages.id, values.stageId as string), isNull(pipelineStages.deletedAt)))
    .for("share");
  if (!stage) throw new ValidationError("The stage does not exist", [{ path: "stageId", message: "no such stage in your workspace" }]);
  if (stage.kind !== "open") values.closedAt = new Date();
  if (values.position === undefined) {
    const [last] = await tx
      .select({ max: sql<number | null>`max(${opportunities.position})` })
      .from(opportunities)
      .where(and(eq(opportunities.workspaceId, workspaceId), eq(opportunities.stageId, values.stageId as string), isNull(opportunities.deletedAt)));
    values.position = Number(last?.max ?? 0) + 1024;
  }
}
