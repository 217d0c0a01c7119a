import type { WorkflowEvent, WorkflowStep, WorkflowStepConfig } from "cloudflare:workers";
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { automationRuns } from "../../db/schema";
import { loadConfig } from "../config";
import { createServices } from "../lib/services";
import { durationMs, type AutomationAction } from "../schemas/automations";
import { automationActor, ActionSkip, type ActionContext } from "./actions/context";
import { executeAction } from "./actions/execute";
import { errorText, markSkipped, markWaited, markWaiting } from "./actions/step";
import { loadSubject } from "./subject";
import type { AutomationRunParams } from "./workflow-types";

/** Each action: up to 4 attempts, 5 s → 10 s → 20 s apart, 2 minutes each (HTTP calls have their own 10 s limit). */
const ACTION_STEP: WorkflowStepConfig = { retries: { limit: 3, delay: "5 seconds", backoff: "exponential" }, timeout: "2 minutes" };
const BOOK_STEP: WorkflowStepConfig = { retries: { limit: 5, delay: "1 second", backoff: "exponential" }, timeout: "30 seconds" };

type RunInfo = { status: string; automationId: string; ruleName: string; actions: AutomationAction[]; recordType: string | null; recordId: string | null };

/**
 * One automation run, durable on Cloudflare Workflows (instance id = run id): each action is a `step.do` with
 * retries, a wait is `step.sleep`/`sleepUntil`, so a run survives restarts and deploys and resumes where it was.
 * Step results are cached by Workflows, and each effect is also keyed by (run id, action index) in
 * automation_run_steps, so a replayed step never acts twice. The Workflow class (./workflow.ts) loads this on its
 * first run, so a new isolate does not build it.
 */
export async function runAutomation(env: Env, event: WorkflowEvent<AutomationRunParams>, step: WorkflowStep) {
  const { runId, workspaceId } = event.payload;
  const services = () => {
    const loaded = loadConfig(env);
    if (!loaded.ok) throw new Error(`configuration invalid: ${loaded.problems.join("; ")}`);
    return { config: loaded.config, services: createServices(env, loaded.config) };
  };

  const info = await step.do("start", BOOK_STEP, async (): Promise<RunInfo | null> => {
    const { services: s } = services();
    const [run] = await s.db.http
      .update(automationRuns)
      .set({ status: sql`case when ${automationRuns.status} = 'queued' then 'running' else ${automationRuns.status} end`, startedAt: sql`coalesce(${automationRuns.startedAt}, now())` })
      .where(and(eq(automationRuns.id, runId), eq(automationRuns.workspaceId, workspaceId)))
      .returning();
    if (!run) return null;
    const rule = run.rule as { name: string; actions: AutomationAction[] };
    return { status: run.status, automationId: run.automationId, ruleName: rule.name, actions: rule.actions, recordType: run.recordType, recordId: run.recordId };
  });
  if (!info || !["running", "waiting"].includes(info.status)) return { status: info?.status ?? "missing" };

  const finish = (status: "succeeded" | "failed", error: string | null) =>
    step.do(`finish`, BOOK_STEP, async () => {
      const { services: s } = services();
      await s.db.http
        .update(automationRuns)
        .set({ status, error, finishedAt: new Date() })
        .where(and(eq(automationRuns.id, runId), inArray(automationRuns.status, ["queued", "running", "waiting"])));
      return { status };
    });

  for (const [index, action] of info.actions.entries()) {
    const name = `${index + 1}. ${action.type}`;
    if (action.type === "wait") {
      // The wake-up time is computed once and cached by the step, so a replay sleeps until the same moment.
      const until = await step.do(`${name}: until`, BOOK_STEP, async () => {
        const { services: s } = services();
        const at = await waitUntil(s.db.http, action, workspaceId, info);
        await markWaiting(s.db, { runId, index, workspaceId, type: "wait" }, at);
        await s.db.http.update(automationRuns).set({ status: "waiting" }).where(and(eq(automationRuns.id, runId), eq(automationRuns.status, "running")));
        return at.toISOString();
      });
      await step.sleepUntil(name, new Date(until));
      await step.do(`${name}: woke`, BOOK_STEP, async () => {
        const { services: s } = services();
        await markWaited(s.db, { runId, index, workspaceId, type: "wait" }, new Date(until));
        await s.db.http.update(automationRuns).set({ status: "running" }).where(and(eq(automationRuns.id, runId), eq(automationRuns.status, "waiting")));
        return {};
      });
      continue;
    }
    try {
      await step.do(name, ACTION_STEP, async () => {
        const { services: s, config } = services();
        // The record as it is now: an earlier action (or a person) may have changed it.
        const subject = info.recordType && info.recordId ? await loadSubject(s.db.http, workspaceId, info.recordType, info.recordId) : null;
        const ctx: ActionContext = {
          db: s.db,
          services: s,
          config,
          runId,
          workspaceId,
          ruleId: info.automationId,
          ruleName: info.ruleName,
          subject,
          actor: automationActor(workspaceId, info.automationId, runId),
        };
        await s.db.http.update(automationRuns).set({ firstActionAt: new Date() }).where(and(eq(automationRuns.id, runId), isNull(automationRuns.firstActionAt)));
        // The result is in automation_run_steps; the step keeps it as JSON text (what Workflows stores).
        try {
          return JSON.stringify(await executeAction(ctx, index, action));
        } catch (err) {
          if (!(err instanceof ActionSkip)) throw err;
          await markSkipped(s.db, { runId, index, workspaceId, type: action.type }, err.message);
          return JSON.stringify({ skipped: err.message });
        }
      });
    } catch (err) {
      await finish("failed", `Step ${index + 1} (${action.type}) failed: ${errorText(err)}`);
      return { status: "failed" };
    }
  }
  await finish("succeeded", null);
  return { status: "succeeded" };
}

/** When a wait action ends: now + its duration, an ISO date-time, or the deal's close date (start of that day, UTC). */
async function waitUntil(db: Parameters<typeof loadSubject>[0], action: Extract<AutomationAction, { type: "wait" }>, workspaceId: string, info: RunInfo): Promise<Date> {
  if (action.for) return new Date(Date.now() + durationMs(action.for));
  const until = action.until!;
  if (until === "closeDate") {
    const subject = info.recordType && info.recordId ? await loadSubject(db, workspaceId, info.recordType, info.recordId) : null;
    const close = subject?.record.closeDate;
    return typeof close === "string" ? new Date(`${close.slice(0, 10)}T00:00:00Z`) : new Date();
  }
  const at = new Date(until);
  return Number.isNaN(at.getTime()) ? new Date() : at;
}
