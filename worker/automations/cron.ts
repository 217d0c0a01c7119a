import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { rowsOf, type Executor } from "../../db/client";
import { automations } from "../../db/schema";
import type { AutomationCondition, AutomationTrigger } from "../schemas/automations";
import { evaluateConditions } from "./conditions";
import type { AutomationRunner } from "./services";
import { startRun, type AutomationRow } from "./start-run";
import { loadSubject } from "./subject";

/** Records one rule looks at per tick; the rest are picked up by the next tick (each once per day). */
export const CRON_BATCH = 500;

/**
 * The time-based triggers, from the cron (every 10 minutes): deals past their stage's aging days, open deals past
 * their close date, overdue tasks, and schedules. Each fires once per (rule, record, day) — the trigger key
 * `<type>:<recordId>:<day>` is unique per rule, and records that already ran today are left out of the query.
 */
export async function runTimeTriggers(input: { db: Executor; runner: AutomationRunner; now: Date }): Promise<{ started: number }> {
  const { db, runner, now } = input;
  const rules = await db
    .select()
    .from(automations)
    .where(and(inArray(automations.triggerType, ["deal_aging", "close_date_passed", "task_overdue", "schedule"]), eq(automations.enabled, true), isNull(automations.deletedAt)));
  let started = 0;
  for (const rule of rules) {
    try {
      started += await fireRule(db, runner, rule, now);
    } catch (err) {
      // One rule's failure (a record gone mid-way) does not stop the others; the next tick tries again.
      console.error(JSON.stringify({ level: "error", msg: "automations: time trigger failed", automationId: rule.id, error: String(err) }));
    }
  }
  return { started };
}

async function fireRule(db: Executor, runner: AutomationRunner, rule: AutomationRow, now: Date): Promise<number> {
  const trigger = rule.trigger as AutomationTrigger;
  const day = now.toISOString().slice(0, 10);
  if (trigger.type === "schedule") {
    const slot = scheduleSlot(trigger, now);
    if (!slot) return 0;
    const out = await startRun({ db, runner, automation: rule, triggerKey: `schedule:${slot}`, triggerEvent: { type: "schedule", slot }, recordType: null, recordId: null, now });
    return out.kind === "started" ? 1 : 0;
  }
  const ids = await dueRecords(db, rule, trigger.type, day, now);
  const recordType = trigger.type === "task_overdue" ? "activity" : "opportunity";
  let n = 0;
  for (const id of ids) {
    const subject = await loadSubject(db, rule.workspaceId, recordType, id);
    if (!subject || !evaluateConditions(subject.record, rule.conditions as AutomationCondition[]).matches) continue;
    const out = await startRun({
      db,
      runner,
      automation: rule,
      triggerKey: `${trigger.type}:${id}:${day}`,
      triggerEvent: { type: trigger.type, entityType: recordType, entityId: id, day },
      recordType,
      recordId: id,
      now,
    });
    if (out.kind === "started") n++;
  }
  return n;
}

/** Records due for this rule today that have not run yet (today's key absent). */
async function dueRecords(db: Executor, rule: AutomationRow, type: string, day: string, now: Date): Promise<string[]> {
  // automation_runs_trigger_unique answers this per record.
  const notYet = (idCol: "o.id" | "a.id") =>
    sql`not exists (select 1 from automation_runs r where r.automation_id = ${rule.id} and r.trigger_key = ${`${type}:`} || ${sql.raw(idCol)}::text || ${`:${day}`})`;
  let q;
  if (type === "deal_aging") {
    q = sql`select o.id::text as id from opportunities o join pipeline_stages s on s.id = o.stage_id
      where o.workspace_id = ${rule.workspaceId} and o.deleted_at is null and s.kind = 'open' and s.aging_days is not null
        and o.stage_entered_at < ${now.toISOString()}::timestamptz - make_interval(days => s.aging_days) and ${notYet("o.id")}
      limit ${CRON_BATCH}`;
  } else if (type === "close_date_passed") {
    q = sql`select o.id::text as id from opportunities o join pipeline_stages s on s.id = o.stage_id
      where o.workspace_id = ${rule.workspaceId} and o.deleted_at is null and s.kind = 'open' and o.close_date < ${day}::date and ${notYet("o.id")}
      limit ${CRON_BATCH}`;
  } else {
    // activities_open_tasks_due_idx: (workspace_id, due_at, id) where open tasks.
    q = sql`select a.id::text as id from activities a
      where a.workspace_id = ${rule.workspaceId} and a.type = 'task' and a.completed_at is null and a.deleted_at is null
        and a.due_at < ${now.toISOString()}::timestamptz and ${notYet("a.id")}
      order by a.due_at, a.id limit ${CRON_BATCH}`;
  }
  return rowsOf<{ id: string }>(await db.execute(q)).map((r) => r.id);
}

/** The schedule's current slot, or null before its first time today (hour / day / week, UTC). */
export function scheduleSlot(t: Extract<AutomationTrigger, { type: "schedule" }>, now: Date): string | null {
  const iso = now.toISOString();
  if (t.every === "hour") return iso.slice(0, 13);
  if (now.getUTCHours() < t.hour) return null;
  if (t.every === "week" && now.getUTCDay() !== t.weekday) return null;
  return iso.slice(0, 10);
}
