import { and, eq, isNull, sql } from "drizzle-orm";
import { activities } from "../../../db/schema";
import type { Database } from "../../../db/client";
import { NotFoundError, ValidationError } from "../../lib/errors";
import type { NextActionsOutput } from "../../schemas/ai";
import { diff, recordAudit, type Actor } from "../audit/record";
import { assertRefs } from "../records/refs";
import { emit } from "../../events/outbox";
import { serialize } from "../records/serialize";
import { suggestedDueAt } from "./results";
import { isUuid } from "../../lib/uuid";

/**
 * One click on a suggested action: writes its task (linked back through properties.suggestionActivityId) and records
 * the task on the suggestion. Clicking twice returns the task already made instead of a duplicate.
 */
export async function createSuggestedTask(input: {
  db: Database;
  actor: Actor;
  suggestionId: string;
  index: number;
  overrides: { subject?: string; dueAt?: string; ownerId?: string };
  now?: Date;
}): Promise<{ task: Record<string, unknown>; created: boolean }> {
  const { db, actor, suggestionId, index, overrides } = input;
  if (!isUuid(suggestionId)) throw new NotFoundError("Suggestion");
  const result = await db.transaction(async (tx) => {
    const [suggestion] = await tx
      .select()
      .from(activities)
      .where(and(eq(activities.id, suggestionId), eq(activities.workspaceId, actor.workspaceId), eq(activities.type, "ai_next_actions"), isNull(activities.deletedAt)))
      .for("update");
    if (!suggestion) throw new NotFoundError("Suggestion");
    const props = suggestion.properties as Record<string, unknown>;
    const actions = (props.output as NextActionsOutput).actions;
    const action = actions[index];
    if (!action) throw new ValidationError(`This suggestion has ${actions.length} actions; index must be 0–${actions.length - 1}`, [{ path: "index", message: "no action at this position" }]);

    const existingId = ((props.createdTasks ?? {}) as Record<string, string>)[String(index)];
    if (existingId) {
      const [existing] = await tx.select().from(activities).where(and(eq(activities.id, existingId), isNull(activities.deletedAt)));
      if (existing) return { task: existing, created: false };
    }
    if (overrides.ownerId) await assertRefs(tx, actor.workspaceId, [{ field: "ownerId", kind: "user", id: overrides.ownerId }]);
    const [task] = await tx
      .insert(activities)
      .values({
        workspaceId: actor.workspaceId,
        type: "task",
        subject: overrides.subject ?? action.task.subject,
        body: action.task.body,
        dueAt: overrides.dueAt ? new Date(overrides.dueAt) : suggestedDueAt(input.now ?? new Date(), action.task.dueInDays),
        ownerId: overrides.ownerId ?? (props.taskOwnerId as string | null) ?? actor.userId,
        actorId: actor.userId,
        opportunityId: suggestion.opportunityId,
        accountId: suggestion.accountId,
        contactId: action.task.contactId,
        properties: { suggestionActivityId: suggestion.id, suggestionIndex: index, suggestionTitle: action.title },
      })
      .returning();
    await tx
      .update(activities)
      .set({
        properties: sql`jsonb_set(${activities.properties}, '{createdTasks}', coalesce(${activities.properties} -> 'createdTasks', '{}'::jsonb) || jsonb_build_object(${String(index)}::text, ${task!.id}::text))`,
        updatedAt: new Date(),
      })
      .where(eq(activities.id, suggestion.id));
    await recordAudit(tx, actor, { action: "create", entityType: "activity", entityId: task!.id, changes: diff(null, task as Record<string, unknown>) });
    await emit(tx, actor, { type: "activity.created", entityType: "activity", entityId: task!.id, data: serialize(task as Record<string, unknown>) });
    return { task, created: true };
  });
  const out = serialize(result.task as Record<string, unknown>);
  return { task: out, created: result.created };
}
