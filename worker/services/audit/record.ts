import { auditLog } from "../../../db/schema";
import type { Executor } from "../../../db/client";

/** A change integrators may subscribe to (webhooks): `account.created`, `opportunity.stage_changed`, … */
export interface DomainEvent {
  type: string;
  entityType: string;
  entityId: string;
  data: Record<string, unknown>;
}

/** Who is acting, plus the request's outbox of domain events (delivered after the transaction commits). */
export interface Actor {
  userId: string | null;
  workspaceId: string;
  requestId?: string;
  events?: DomainEvent[];
  /** The integrator's API key behind the request, recorded on audit entries (userId is then the key's creator). */
  apiKeyId?: string | null;
  /** Set when an automation rule makes the change (outbox_events.caused_by_rule_id): that rule's own updates do not re-trigger it. */
  causedByRuleId?: string | null;
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
export async function recordAudit(
  db: Executor,
  actor: Actor,
  entry: { action: string; entityType: string; entityId: string | null; changes?: Changes },
): Promise<void> {
  await db.insert(auditLog).values({
    workspaceId: actor.workspaceId,
    actorId: actor.userId,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    changes: entry.changes ?? {},
    requestId: actor.requestId ?? null,
    apiKeyId: actor.apiKeyId ?? null,
  });
}
