import { activities } from "../../../db/schema";
import { webhookUrlProblem } from "../../services/webhooks/create";
import { recordAudit } from "../../services/audit/record";
import { nextBestActions } from "../../services/ai/next-best-actions";
import { enqueueSummary } from "../../services/ai/enqueue-summary";
import { notify } from "../../services/notifications/notify";
import { moveDealsToStage } from "../../services/opportunities/move-stage";
import { updateOpportunity } from "../../services/opportunities/update";
import { emit, relayOutbox } from "../../events/outbox";
import { entities } from "../../services/records/entities";
import { serialize } from "../../services/records/serialize";
import { updateRecord } from "../../services/records/update";
import { loadUserEmails } from "./users";
import { durationMs, type AutomationAction } from "../../schemas/automations";
import { renderTemplate } from "../template";
import { ActionSkip, needSubject, recordLink, resolveStage, resolveUsers, taskLinks, type ActionContext } from "./context";
import { performStep, type StepKey } from "./step";

type Result = Record<string, unknown>;
export const WEBHOOK_TIMEOUT_MS = 10_000;

/** Fields given as `custom.<key>` travel to the update verbs as `custom: { key }`. */
function fieldPatch(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (k.startsWith("custom.")) ((out.custom ??= {}) as Record<string, unknown>)[k.slice(7)] = v;
    else out[k] = v;
  }
  return out;
}

/**
 * One action's effect, idempotent per (run, index). `wait` is not here: the Workflow sleeps (step.sleep /
 * sleepUntil). Every change is made as the automation actor (causedByRuleId = the rule).
 */
export async function executeAction(ctx: ActionContext, index: number, action: Exclude<AutomationAction, { type: "wait" }>): Promise<Result> {
  const result = await act(ctx, index, action);
  // The events the action's changes wrote (caused by this rule) go out now rather than at the cron's next sweep.
  const ids = ctx.actor.outbox?.splice(0) ?? [];
  if (ids.length) await relayOutbox({ db: ctx.db, queue: ctx.services.queues.events, ids });
  return result;
}

async function act(ctx: ActionContext, index: number, action: Exclude<AutomationAction, { type: "wait" }>): Promise<Result> {
  const key: StepKey = { runId: ctx.runId, index, workspaceId: ctx.workspaceId, type: action.type };
  const tpl = (s: string) => renderTemplate(s, { record: ctx.subject?.record ?? null, ruleName: ctx.ruleName });
  const idempotencyKey = `${ctx.runId}:${index}`;
  switch (action.type) {
    case "create_task":
      return performStep(
        ctx.db,
        key,
        async (tx) => {
          const [owner] = resolveUsers([action.assignee], ctx.subject?.record ?? null);
          const dueAt = action.dueIn ? new Date(Date.now() + durationMs(action.dueIn)) : null;
          const [task] = await tx
            .insert(activities)
            .values({
              workspaceId: ctx.workspaceId,
              type: "task",
              subject: tpl(action.title).slice(0, 300),
              body: action.body ? tpl(action.body) : null,
              properties: { automationId: ctx.ruleId, automationRunId: ctx.runId, idempotencyKey },
              ownerId: owner ?? null,
              dueAt,
              ...taskLinks(ctx.subject),
            })
            .returning();
          await recordAudit(tx, ctx.actor, { action: "create", entityType: "activity", entityId: task!.id, changes: { subject: { from: null, to: tpl(action.title) }, automation: { from: null, to: ctx.ruleName } } });
          await emit(tx, ctx.actor, { type: "activity.created", entityType: "activity", entityId: task!.id, data: serialize(task as Record<string, unknown>) });
          return { taskId: task!.id, ownerId: owner ?? null, dueAt: dueAt?.toISOString() ?? null };
        },
        { transactional: true },
      );
    case "update_fields":
      return performStep(ctx.db, key, async () => {
        const subject = needSubject(ctx, "Updating fields");
        const patch = fieldPatch(action.fields);
        // Setting the same values again changes nothing, so a retried step is harmless.
        if (subject.type === "opportunity") await updateOpportunity({ db: ctx.db, actor: ctx.actor, id: subject.id, patch });
        else await updateRecord({ db: ctx.db, actor: ctx.actor, def: entities[subject.type], id: subject.id, body: patch });
        return { updated: Object.keys(action.fields) };
      });
    case "move_stage":
      return performStep(ctx.db, key, async () => {
        const subject = needSubject(ctx, "Moving a stage");
        if (subject.type !== "opportunity") throw new ActionSkip("Only deals have stages");
        const stage = await resolveStage(ctx.db.http, ctx.workspaceId, action.stage, subject.record.pipelineId as string | null);
        if (!stage) throw new ActionSkip(`No stage "${action.stage}" in this workspace`);
        // Already there (a retry after the move landed, or the deal was moved meanwhile): nothing to do.
        if (subject.record.stageId === stage.id) return { stageId: stage.id, stage: stage.name, moved: false };
        // The one stage-move verb: stage_entered_at, closed_at, activity, audit and the stage_changed event.
        const moved = await ctx.db.transaction((tx) =>
          moveDealsToStage({ tx, actor: ctx.actor, ids: [subject.id], toStageId: stage.id, reason: tpl(action.reason), reasonCode: action.reasonCode ?? null, source: "automation" }),
        );
        return { stageId: stage.id, stage: stage.name, moved: moved.length > 0 };
      });
    case "notify":
      return performStep(ctx.db, key, async (db) => {
        const userIds = resolveUsers(action.to, ctx.subject?.record ?? null);
        if (!userIds.length) throw new ActionSkip("Nobody to notify (the record has no owner)");
        const created = await notify(db, {
          workspaceId: ctx.workspaceId,
          userIds,
          kind: "automation",
          title: tpl(action.title),
          body: action.body ? tpl(action.body) : null,
          entityType: ctx.subject?.type ?? null,
          entityId: ctx.subject?.id ?? null,
          link: recordLink(ctx.subject),
          dedupeKey: `automation:${idempotencyKey}`,
        });
        return { notified: userIds, created: created.length };
      });
    case "send_email":
      return performStep(ctx.db, key, async (db) => {
        let to = action.to;
        if (to === "owner") {
          const owner = resolveUsers(["owner"], ctx.subject?.record ?? null)[0];
          const email = owner ? (await loadUserEmails(db, ctx.workspaceId, [owner]))[0] : undefined;
          if (!email) throw new ActionSkip("The record has no owner to e-mail");
          to = email;
        }
        const sent = await ctx.services.mailer.send({ to, subject: tpl(action.subject), text: tpl(action.body) });
        return { to, messageId: sent.id, idempotencyKey };
      });
    case "call_webhook":
      return performStep(ctx.db, key, async () => {
        const unsafe = await webhookUrlProblem(action.url, ctx.config);
        if (unsafe) throw new ActionSkip(`Not called: the URL ${unsafe}`);
        const res = await fetch(action.url, {
          method: "POST",
          redirect: "manual",
          signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
          headers: {
            "Content-Type": "application/json",
            "User-Agent": "BespokeCRM-Automations/1.0",
            "Idempotency-Key": idempotencyKey,
            ...(action.secretHeader ? { "X-Bespoke-Automation-Secret": action.secretHeader } : {}),
          },
          body: JSON.stringify({ automation: { id: ctx.ruleId, name: ctx.ruleName }, runId: ctx.runId, step: index, record: ctx.subject ? { type: ctx.subject.type, ...ctx.subject.record } : null }),
        });
        await res.body?.cancel();
        // Anything but 2xx is retried by the Workflow step; redirects are not followed (a public URL must not lead inside).
        if (res.status < 200 || res.status >= 300) throw new Error(`HTTP ${res.status} from the webhook`);
        return { status: res.status };
      });
    case "ask_ai":
      return performStep(ctx.db, key, async () => {
        const subject = needSubject(ctx, "Asking the AI");
        if (action.kind === "next_best_actions") {
          if (subject.type !== "opportunity") throw new ActionSkip("Next best actions are for deals");
          const out = await nextBestActions(
            { db: ctx.db, config: ctx.config, limiter: ctx.services.limiter, queues: ctx.services.queues, actor: ctx.actor },
            { opportunityId: subject.id },
          );
          return { activityId: (out as { id?: string }).id ?? null };
        }
        if (subject.type === "activity") throw new ActionSkip("Summaries are for accounts, contacts, leads and deals");
        const { job } = await enqueueSummary({
          db: ctx.db,
          queues: ctx.services.queues,
          workspaceId: ctx.workspaceId,
          target: { type: subject.type, id: subject.id },
          requestedBy: null,
          trigger: "automation",
          debounceMinutes: 0,
        });
        return { jobId: job.id };
      });
  }
}
