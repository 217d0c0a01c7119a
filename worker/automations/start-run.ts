import { and, eq, gt, sql } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { automationRuns, type automations } from "../../db/schema";
import type { AutomationRunner } from "./services";

export type AutomationRow = typeof automations.$inferSelect;

export interface StartRunInput {
  db: Executor;
  runner: AutomationRunner;
  automation: AutomationRow;
  triggerKey: string;
  triggerEvent: Record<string, unknown>;
  recordType: string | null;
  recordId: string | null;
  now?: Date;
}

export type StartRunOutcome =
  | { kind: "started"; runId: string }
  /** The same trigger was seen before (an at-least-once redelivery, a second cron tick the same day). */
  | { kind: "duplicate"; runId: string }
  /** The record is in an active run of this rule: it does not enter again (recorded as a skipped run). */
  | { kind: "already_running"; runId: string | null }
  /** The workspace started its cap of runs in the last minute (recorded as a skipped run). */
  | { kind: "capped"; runId: string | null };

const ACTIVE = ["queued", "running", "waiting"];

/**
 * Starts one run of a rule for one trigger: the run row first (its unique keys make a redelivered trigger and a
 * record already in a run of the rule no-ops), then the Workflow instance named by the run id. If creating the
 * instance fails the row stays `queued` and the error propagates: the delivery is retried, finds the queued row
 * and creates the instance then (creating an instance that exists is a no-op).
 */
export async function startRun(input: StartRunInput): Promise<StartRunOutcome> {
  const { db, runner, automation } = input;
  const now = input.now ?? new Date();
  const base = {
    workspaceId: automation.workspaceId,
    automationId: automation.id,
    triggerKey: input.triggerKey,
    triggerEvent: input.triggerEvent,
    recordType: input.recordType,
    recordId: input.recordId,
    rule: { name: automation.name, trigger: automation.trigger, conditions: automation.conditions, actions: automation.actions, version: automation.version },
  };

  const [seen] = await db
    .select({ id: automationRuns.id, status: automationRuns.status })
    .from(automationRuns)
    .where(and(eq(automationRuns.automationId, automation.id), eq(automationRuns.triggerKey, input.triggerKey)));
  if (seen) {
    if (seen.status === "queued") await createInstance(runner, seen.id, automation.workspaceId);
    return { kind: "duplicate", runId: seen.id };
  }

  const [recent] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(automationRuns)
    .where(and(eq(automationRuns.workspaceId, automation.workspaceId), gt(automationRuns.createdAt, new Date(now.getTime() - 60_000))));
  if ((recent?.n ?? 0) >= runner.runsPerMinute) {
    const id = await insertSkipped(db, base, `Not run: the workspace started its limit of ${runner.runsPerMinute} automation runs in the last minute`);
    return { kind: "capped", runId: id };
  }

  const [row] = await db.insert(automationRuns).values({ ...base, status: "queued" }).onConflictDoNothing().returning({ id: automationRuns.id });
  if (!row) {
    // Either the same trigger raced us here, or the record is in an active run of this rule.
    const [again] = await db
      .select({ id: automationRuns.id })
      .from(automationRuns)
      .where(and(eq(automationRuns.automationId, automation.id), eq(automationRuns.triggerKey, input.triggerKey)));
    if (again) return { kind: "duplicate", runId: again.id };
    const id = await insertSkipped(db, base, "Not run: the record is already in a run of this rule");
    return { kind: "already_running", runId: id };
  }
  await createInstance(runner, row.id, automation.workspaceId);
  return { kind: "started", runId: row.id };
}

async function insertSkipped(db: Executor, base: typeof automationRuns.$inferInsert, error: string): Promise<string | null> {
  const [row] = await db
    .insert(automationRuns)
    .values({ ...base, status: "skipped", error, finishedAt: new Date() })
    .onConflictDoNothing()
    .returning({ id: automationRuns.id });
  return row?.id ?? null;
}

async function createInstance(runner: AutomationRunner, runId: string, workspaceId: string): Promise<void> {
  try {
    await runner.workflow.create({ id: runId, params: { runId, workspaceId } });
  } catch (err) {
    // A retried delivery whose first attempt did create the instance: nothing to do.
    if (/already exists|already_exists|duplicate/i.test(String((err as Error)?.message ?? err))) return;
    throw err;
  }
}

export const isActiveStatus = (s: string) => ACTIVE.includes(s);
