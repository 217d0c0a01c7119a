import { sql } from "drizzle-orm";
import type { z } from "zod";
import { rowsOf, type Executor } from "../../../db/client";
import type { automationRuns, automationRunSteps, automations } from "../../../db/schema";
import type { automationContracts } from "../../schemas/automations";

/** The stored JSON was validated by the rule schema on the way in, so it reads back as that shape. */
type AutomationOut = z.infer<ReturnType<typeof automationContracts>["automation"]>;

type AutomationRow = typeof automations.$inferSelect;
type LastRun = { status: string; createdAt: string } | null;

/** API shape of a rule: never the inbound-webhook token's hash. */
export function serializeAutomation(row: AutomationRow, lastRun: LastRun = null) {
  return {
    id: row.id,
    key: row.key,
    name: row.name,
    description: row.description,
    enabled: row.enabled,
    source: row.source as "config" | "ui",
    trigger: row.trigger,
    conditions: row.conditions,
    actions: row.actions,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    lastRun,
  } as AutomationOut;
}

/** Each rule's latest run (one index probe per rule on automation_runs_history_idx). */
export async function lastRuns(db: Executor, ids: string[]): Promise<Map<string, LastRun>> {
  if (!ids.length) return new Map();
  const res = await db.execute(sql`
    select a.id::text as id, r.status, r.created_at from unnest(array[${sql.join(ids.map((i) => sql`${i}::uuid`), sql`, `)}]) as a(id)
    cross join lateral (select status, created_at from automation_runs where automation_id = a.id order by created_at desc, id desc limit 1) r`);
  return new Map(rowsOf(res).map((r) => [String(r.id), { status: String(r.status), createdAt: new Date(r.created_at as string).toISOString() }]));
}

const iso = (d: Date | null) => d?.toISOString() ?? null;
const ms = (a: Date | null, b: Date | null) => (a && b ? b.getTime() - a.getTime() : null);

export function serializeRun(run: typeof automationRuns.$inferSelect, steps: (typeof automationRunSteps.$inferSelect)[]) {
  return {
    id: run.id,
    status: run.status as "queued" | "running" | "waiting" | "succeeded" | "failed" | "skipped",
    triggerEvent: run.triggerEvent,
    recordType: run.recordType,
    recordId: run.recordId,
    error: run.error,
    createdAt: run.createdAt.toISOString(),
    startedAt: iso(run.startedAt),
    finishedAt: iso(run.finishedAt),
    durationMs: ms(run.startedAt ?? run.createdAt, run.finishedAt),
    steps: steps
      .sort((a, b) => a.index - b.index)
      .map((s) => ({
        index: s.index,
        type: s.type,
        status: s.status,
        result: s.result ?? null,
        error: s.error,
        attempts: s.attempts,
        startedAt: s.startedAt.toISOString(),
        finishedAt: iso(s.finishedAt),
        durationMs: ms(s.startedAt, s.finishedAt),
      })),
  };
}
