import { auditLog } from "../../../db/schema";
import type { Executor } from "../../../db/client";

export type { DomainEvent } from "../../events/types";

/** Who is acting. Mutations write their domain events to the outbox with `emit` (worker/events/outbox.ts). */
export interface Actor {
  userId: string | null;
  workspaceId: string;
  requestId?: string;
  /** The integrator's API key behind the request, recorded on audit entries (userId is then the key's creator). */
  apiKeyId?: string | null;
  /**
   * Set when an automation rule's run makes the change: written on the audit entries' outbox rows
   * (outbox_events.caused_by_rule_id), so the rule's own updates never re-trigger it (loop guard).
   */
  causedByRuleId?: string | null;
  /**
   * Ids of the outbox rows this actor's mutations wrote; the request's relay (worker/middleware/event-relay.ts)
   * sends them to the EVENTS queue right after the response. Absent: the cron's sweep sends them (≤ ~1 min).
   */
  outbox?: number[];
}

type Changes = Record<string, { from: unknown; to: unknown }>;

/** Field-level diff of the keys in `patch`, ignoring bookkeeping columns. */
export function diff(before: Record<string, unknown> | null, after: Record<string, unknown>, keys?: string[]): Changes {
  const out: Changes = {};
  for (const k of keys ?? Object.keys(after)) {
    if (["updatedAt", "createdAt", "search", "version", "workspaceId"].includes(k)) continue;
    const a = norm(before?.[k]);
    const b = norm(after[k]);
    if (JSON.stringify(a) !== JSON.stringify(b)) out[k] = { from: a ?? null, to: b ?? null };
  }
  return out;
}

const norm = (v: unknown) => (v instanceof Date ? v.toISOString() : v);

/** Appends to the audit trail inside the caller's transaction, so the entry exists exactly when the change does. */
export async function recordAudit(db: Executor, actor: Actor, entry: AuditEntry): Promise<void> {
  await recordAudits(db, actor, [entry]);
}

type AuditEntry = { action: string; entityType: string; entityId: string | null; changes?: Changes };

/** Many entries in one INSERT (bulk paths: a stage move of 1,000 deals). */
export async function recordAudits(db: Executor, actor: Actor, entries: AuditEntry[]): Promise<void> {
  if (!entries.length) return;
  await db.insert(auditLog).values(
    entries.map((entry) => ({
      workspaceId: actor.workspaceId,
      actorId: actor.userId,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      changes: entry.changes ?? {},
      requestId: actor.requestId ?? null,
      apiKeyId: actor.apiKeyId ?? null,
    })),
  );
}
