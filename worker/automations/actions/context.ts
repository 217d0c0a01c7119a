import { and, eq, isNull, or } from "drizzle-orm";
import type { Database, Executor } from "../../../db/client";
import { pipelineStages } from "../../../db/schema";
import type { Config } from "../../config";
import type { Services } from "../../lib/services";
import { isUuid } from "../../lib/uuid";
import type { Actor } from "../../services/audit/record";
import type { Subject } from "../subject";

/** What an action runs with: the run's identity (its idempotency key), the rule, and the record as it is now. */
export interface ActionContext {
  db: Database;
  services: Services;
  config: Config;
  runId: string;
  workspaceId: string;
  ruleId: string;
  ruleName: string;
  subject: Subject | null;
  /** The automation acting: no user, and `causedByRuleId` on every change so the rule does not re-trigger itself. */
  actor: Actor;
}

export const automationActor = (workspaceId: string, ruleId: string, runId: string): Actor => ({
  userId: null,
  workspaceId,
  requestId: `automation:${runId}`,
  causedByRuleId: ruleId,
  outbox: [],
});

export function needSubject(ctx: Pick<ActionContext, "subject">, what: string): Subject {
  if (!ctx.subject) throw new ActionSkip(`${what} needs a record, and this run has none`);
  return ctx.subject;
}

/** An action that cannot apply to this record (not retried; the step is recorded as skipped with the reason). */
export class ActionSkip extends Error {}

/** "owner" → the record's owner; user ids as given. Owner-less records contribute nobody. */
export function resolveUsers(refs: string[], record: Record<string, unknown> | null): string[] {
  const out = new Set<string>();
  for (const r of refs) {
    if (r === "owner") {
      const owner = record?.ownerId;
      if (typeof owner === "string") out.add(owner);
    } else out.add(r);
  }
  return [...out];
}

/** A stage named by id or by configuration key; a key prefers the deal's own pipeline. */
export async function resolveStage(db: Executor, workspaceId: string, ref: string, pipelineId?: string | null) {
  const rows = await db
    .select({ id: pipelineStages.id, name: pipelineStages.name, key: pipelineStages.key, pipelineId: pipelineStages.pipelineId, kind: pipelineStages.kind })
    .from(pipelineStages)
    .where(and(eq(pipelineStages.workspaceId, workspaceId), isNull(pipelineStages.deletedAt), isUuid(ref) ? or(eq(pipelineStages.id, ref), eq(pipelineStages.key, ref)) : eq(pipelineStages.key, ref)));
  return rows.find((r) => r.id === ref) ?? rows.find((r) => r.pipelineId === pipelineId) ?? rows[0] ?? null;
}

/** Which record columns a task about this subject is filed under (so it shows on the right timelines). */
export function taskLinks(subject: Subject | null) {
  const r = subject?.record ?? {};
  const s = (k: string) => (typeof r[k] === "string" ? (r[k] as string) : null);
  switch (subject?.type) {
    case "opportunity":
      return { opportunityId: subject.id, accountId: s("accountId"), contactId: null, leadId: null };
    case "account":
      return { opportunityId: null, accountId: subject.id, contactId: null, leadId: null };
    case "contact":
      return { opportunityId: null, accountId: s("accountId"), contactId: subject.id, leadId: null };
    case "lead":
      return { opportunityId: null, accountId: null, contactId: null, leadId: subject.id };
    case "activity":
      return { opportunityId: s("opportunityId"), accountId: s("accountId"), contactId: s("contactId"), leadId: s("leadId") };
    default:
      return { opportunityId: null, accountId: null, contactId: null, leadId: null };
  }
}

/** The record's page in the SPA, for notification links. */
export function recordLink(subject: Subject | null): string | null {
  if (!subject) return null;
  const plural = { account: "accounts", contact: "contacts", lead: "leads", opportunity: "opportunities", activity: null }[subject.type];
  return plural ? `/${plural}/${subject.id}` : subject.record.opportunityId ? `/opportunities/${String(subject.record.opportunityId)}` : null;
}
