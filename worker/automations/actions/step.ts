import { and, eq, sql } from "drizzle-orm";
import type { Database, Executor } from "../../../db/client";
import { automationRunSteps } from "../../../db/schema";

export interface StepKey {
  runId: string;
  index: number;
  workspaceId: string;
  type: string;
}

type Result = Record<string, unknown>;

/** A step that already succeeded (a Workflows retry after the effect landed): its stored result, else null. */
async function done(db: Executor, key: StepKey, lock = false): Promise<Result | null> {
  const q = db
    .select({ status: automationRunSteps.status, result: automationRunSteps.result })
    .from(automationRunSteps)
    .where(and(eq(automationRunSteps.runId, key.runId), eq(automationRunSteps.index, key.index)));
  const [row] = lock ? await q.for("update") : await q;
  return row?.status === "succeeded" ? (row.result ?? {}) : null;
}

async function mark(db: Executor, key: StepKey, status: string, fields: { result?: Result | null; error?: string | null; attempt?: boolean } = {}) {
  const finished = status === "running" || status === "waiting" ? null : new Date();
  await db
    .insert(automationRunSteps)
    .values({ runId: key.runId, index: key.index, workspaceId: key.workspaceId, type: key.type, status, result: fields.result ?? null, error: fields.error ?? null, attempts: fields.attempt ? 1 : 0, finishedAt: finished })
    .onConflictDoUpdate({
      target: [automationRunSteps.runId, automationRunSteps.index],
      set: {
        status,
        ...(fields.result !== undefined ? { result: fields.result } : {}),
        error: fields.error ?? null,
        finishedAt: finished,
        ...(fields.attempt ? { attempts: sql`${automationRunSteps.attempts} + 1` } : {}),
      },
    });
}

/**
 * Runs one action's side effect at most once per (run, index) — the idempotency key every effect carries:
 * a step whose row says succeeded returns its stored result instead of acting again. Effects that are database
 * writes pass `transactional`, so the write and the step row commit together (exactly once); outside effects
 * (mail, HTTP) are at-least-once and carry `<runId>:<index>` to the receiver.
 */
export async function performStep(
  db: Database,
  key: StepKey,
  effect: (exec: Executor) => Promise<Result>,
  opts: { transactional?: boolean } = {},
): Promise<Result> {
  const prior = await done(db.http, key);
  if (prior) return prior;
  await mark(db.http, key, "running", { attempt: true });
  try {
    if (opts.transactional) {
      return await db.transaction(async (tx) => {
        const again = await done(tx, key, true);
        if (again) return again;
        const result = await effect(tx);
        await mark(tx, key, "succeeded", { result });
        return result;
      });
    }
    const result = await effect(db.http);
    await mark(db.http, key, "succeeded", { result });
    return result;
  } catch (err) {
    await mark(db.http, key, "failed", { error: errorText(err) });
    throw err;
  }
}

/** A wait step's row: "waiting" until the sleep ends, then succeeded. */
export const markWaiting = (db: Database, key: StepKey, until: Date) => mark(db.http, key, "waiting", { result: { until: until.toISOString() }, attempt: true });
export const markWaited = (db: Database, key: StepKey, until: Date) => mark(db.http, key, "succeeded", { result: { waitedUntil: until.toISOString() } });
export const markSkipped = (db: Database, key: StepKey, reason: string) => mark(db.http, key, "skipped", { result: { reason } });

export function errorText(err: unknown): string {
  const e = err as { detail?: string; message?: string };
  return String(e?.detail ?? e?.message ?? err).slice(0, 2000);
}
