import type { Database } from "../../../db/client";
import { NotFoundError } from "../../lib/errors";
import { durationMs, type AutomationAction, type AutomationCondition, type AutomationTrigger } from "../../schemas/automations";
import { evaluateConditions } from "../../automations/conditions";
import { resolveStage, resolveUsers } from "../../automations/actions/context";
import { loadSubject, type Subject } from "../../automations/subject";
import { renderTemplate } from "../../automations/template";
import { loadAutomation } from "./load";

/** The kind of record a rule's trigger is about. */
export function triggerEntity(trigger: AutomationTrigger): string | null {
  switch (trigger.type) {
    case "record_created":
    case "field_changed":
      return trigger.entity;
    case "webhook":
      return trigger.entity ?? null;
    case "task_overdue":
      return "activity";
    case "schedule":
      return null;
    default:
      return "opportunity";
  }
}

/**
 * What the rule would do for this record, now: the conditions with their actual values and each action resolved
 * (task title and assignee, stage, recipients, URL). Reads only; writes nothing, starts nothing.
 */
export async function dryRun(input: { db: Database; workspaceId: string; id: string; recordId: string }) {
  const { db, workspaceId } = input;
  const rule = await loadAutomation(db.http, workspaceId, input.id);
  const entity = triggerEntity(rule.trigger as AutomationTrigger) ?? "opportunity";
  const subject = await loadSubject(db.http, workspaceId, entity, input.recordId);
  if (!subject) throw new NotFoundError(entity === "activity" ? "Task" : entity[0]!.toUpperCase() + entity.slice(1));
  const { matches, results } = evaluateConditions(subject.record, rule.conditions as AutomationCondition[]);
  const steps = [];
  for (const [index, action] of (rule.actions as AutomationAction[]).entries()) {
    steps.push({ index, type: action.type, ...(await describe(db, workspaceId, rule.name, subject, action)) });
  }
  return { matches, conditions: results, steps };
}

async function describe(db: Database, workspaceId: string, ruleName: string, subject: Subject, a: AutomationAction): Promise<{ wouldDo: string; details: Record<string, unknown> }> {
  const tpl = (s: string) => renderTemplate(s, { record: subject.record, ruleName });
  const record = subject.record;
  switch (a.type) {
    case "create_task": {
      const [owner] = resolveUsers([a.assignee], record);
      const due = a.dueIn ? new Date(Date.now() + durationMs(a.dueIn)).toISOString() : null;
      return { wouldDo: `Create the task "${tpl(a.title)}"${due ? `, due ${due.slice(0, 10)}` : ""}`, details: { title: tpl(a.title), assigneeId: owner ?? null, dueAt: due } };
    }
    case "update_fields":
      return { wouldDo: `Set ${Object.keys(a.fields).join(", ")}`, details: { fields: a.fields } };
    case "move_stage": {
      const stage = await resolveStage(db.http, workspaceId, a.stage, record.pipelineId as string | null);
      const already = stage && record.stageId === stage.id;
      return { wouldDo: already ? `Nothing: the deal is already in ${stage.name}` : `Move the deal to ${stage?.name ?? a.stage} ("${tpl(a.reason)}")`, details: { stageId: stage?.id ?? null } };
    }
    case "notify": {
      const to = resolveUsers(a.to, record);
      return { wouldDo: to.length ? `Notify ${to.length} user(s): "${tpl(a.title)}"` : "Nothing: nobody to notify", details: { userIds: to, title: tpl(a.title) } };
    }
    case "send_email":
      return { wouldDo: `E-mail ${a.to === "owner" ? "the owner" : a.to}: "${tpl(a.subject)}"`, details: { to: a.to, subject: tpl(a.subject), body: tpl(a.body) } };
    case "call_webhook":
      return { wouldDo: `POST the record to ${a.url}`, details: { url: a.url } };
    case "ask_ai":
      return { wouldDo: a.kind === "summary" ? "Ask the AI for a summary" : "Ask the AI for next best actions", details: { kind: a.kind } };
    case "wait":
      return { wouldDo: a.for ? `Wait ${a.for.amount} ${a.for.unit}` : `Wait until ${a.until === "closeDate" ? `the close date (${String(record.closeDate ?? "none")})` : a.until}`, details: { for: a.for ?? null, until: a.until ?? null } };
  }
}
