import type { activities } from "../../../db/schema";
import type {
  AiEngine, AiSource, AiTargetType, DealBriefOutput, DealBriefResult, DealSignal, EmailDraftOutput, EmailDraftResult, EmailTone,
  NextActionsOutput, NextActionsResult, SummaryOutput, SummaryResult,
} from "../../schemas/ai";

type ActivityRow = typeof activities.$inferSelect;
type Props = Record<string, unknown>;

/** Turns a stored AI activity back into its API shape; the stored properties are the single source of truth. */
function base(row: ActivityRow) {
  const p = row.properties as Props;
  const target = (p.target ?? {}) as { type: AiTargetType; id: string };
  const engine: AiEngine = {
    provider: p.provider as AiEngine["provider"],
    model: String(p.model),
    latencyMs: Number(p.latencyMs ?? 0),
    inputTokens: Number(p.inputTokens ?? 0),
    outputTokens: Number(p.outputTokens ?? 0),
    estimatedCostMicros: Number(p.estimatedCostMicros ?? 0),
    fallbackReason: (p.fallbackReason as string | null) ?? null,
  };
  return {
    activityId: row.id,
    targetType: target.type,
    targetId: target.id,
    generatedAt: row.happenedAt.toISOString(),
    citations: (p.citations as string[]) ?? [],
    sources: (p.sources as AiSource[]) ?? [],
    engine,
  };
}

export function summaryResult(row: ActivityRow): SummaryResult {
  const out = (row.properties as Props).output as SummaryOutput;
  return { ...base(row), headline: out.headline, points: out.points };
}

/** Due time for a suggested task: 17:00 UTC on the day N days after `from`, never earlier than an hour from `from`. */
export function suggestedDueAt(from: Date, dueInDays: number): Date {
  const d = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate() + dueInDays, 17));
  return d.getTime() < from.getTime() + 3_600_000 ? new Date(from.getTime() + 3_600_000) : d;
}

export function nextActionsResult(row: ActivityRow): NextActionsResult {
  const p = row.properties as Props;
  const out = p.output as NextActionsOutput;
  const created = (p.createdTasks ?? {}) as Record<string, string>;
  const opportunityId = row.opportunityId!;
  return {
    ...base(row),
    opportunityId,
    signals: (p.signals as DealSignal[]) ?? [],
    actions: out.actions.map((a, i) => ({
      rank: i + 1,
      title: a.title,
      rationale: a.rationale,
      priority: a.priority,
      citations: a.citations,
      createTask: {
        type: "task" as const,
        subject: a.task.subject,
        body: a.task.body,
        dueAt: suggestedDueAt(row.happenedAt, a.task.dueInDays).toISOString(),
        ownerId: (p.taskOwnerId as string | null) ?? null,
        opportunityId,
        accountId: row.accountId,
        contactId: a.task.contactId,
        properties: { suggestionActivityId: row.id, suggestionIndex: i },
      },
      taskId: created[String(i)] ?? null,
    })),
  };
}

export function emailDraftResult(row: ActivityRow): EmailDraftResult {
  const p = row.properties as Props;
  const out = p.output as EmailDraftOutput;
  return {
    ...base(row),
    subject: row.subject ?? out.subject,
    body: row.body ?? out.body,
    to: (p.to as EmailDraftResult["to"]) ?? null,
    intent: String(p.intent ?? ""),
    tone: (p.tone as EmailTone) ?? "friendly",
    status: (p.status as EmailDraftResult["status"]) ?? "draft",
    emailActivityId: (p.emailActivityId as string | null) ?? null,
  };
}

export function dealBriefResult(row: ActivityRow, cached: boolean): DealBriefResult {
  const out = (row.properties as Props).output as DealBriefOutput;
  return { ...base(row), opportunityId: row.opportunityId!, sections: out, cached };
}
