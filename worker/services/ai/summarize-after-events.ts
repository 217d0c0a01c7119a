import type { Database } from "../../../db/client";
import type { Config } from "../../config";
import type { AiTargetType } from "../../schemas/ai";
import type { DomainEvent } from "../audit/record";
import { enqueueSummary, type SummaryTrigger } from "./enqueue-summary";
import type { Queues } from "../../lib/services";

/** The records whose summary a request's events make stale: a deal's stage change, a new meeting or call. */
export function significantTargets(events: DomainEvent[]): { type: AiTargetType; id: string; trigger: SummaryTrigger }[] {
  const out = new Map<string, { type: AiTargetType; id: string; trigger: SummaryTrigger }>();
  for (const e of events) {
    if (e.type === "opportunity.stage_changed") {
      out.set(`opportunity:${e.entityId}`, { type: "opportunity", id: e.entityId, trigger: "stage_change" });
    } else if (e.type === "activity.created" && (e.data.type === "meeting" || e.data.type === "call")) {
      const d = e.data as Record<string, string | null | undefined>;
      // The most specific record the note is about: a deal before its account.
      const target: [AiTargetType, string | null | undefined] | undefined = d.opportunityId
        ? ["opportunity", d.opportunityId]
        : d.leadId
          ? ["lead", d.leadId]
          : d.contactId
            ? ["contact", d.contactId]
            : d.accountId
              ? ["account", d.accountId]
              : undefined;
      if (target?.[1]) out.set(`${target[0]}:${target[1]}`, { type: target[0], id: target[1], trigger: e.data.type as SummaryTrigger });
    }
  }
  return [...out.values()];
}

/**
 * Queues a fresh summary for each record a request changed significantly, debounced per record (see
 * enqueueSummary). Runs after the change committed; a failure here is logged and never fails the user's request.
 */
export async function summarizeAfterEvents(input: {
  db: Database;
  queues: Pick<Queues, "ai">;
  config: Config;
  workspaceId: string;
  events: DomainEvent[];
}): Promise<number> {
  let queued = 0;
  for (const t of significantTargets(input.events)) {
    try {
      const { created } = await enqueueSummary({
        db: input.db,
        queues: input.queues,
        workspaceId: input.workspaceId,
        target: { type: t.type, id: t.id },
        requestedBy: null,
        trigger: t.trigger,
        debounceMinutes: input.config.AI_SUMMARY_DEBOUNCE_MINUTES,
      });
      if (created) queued++;
    } catch (err) {
      console.error(JSON.stringify({ level: "error", msg: "ai: could not queue an automatic summary", target: t, error: String(err) }));
    }
  }
  return queued;
}
