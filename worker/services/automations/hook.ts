import { and, eq, isNull } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { automations } from "../../../db/schema";
import { NotFoundError, UnauthorizedError, ValidationError } from "../../lib/errors";
import { sha256Hex } from "../../lib/tokens";
import { isUuid } from "../../lib/uuid";
import type { AutomationCondition, AutomationTrigger } from "../../schemas/automations";
import { evaluateConditions } from "../../automations/conditions";
import type { AutomationRunner } from "../../automations/services";
import { startRun } from "../../automations/start-run";
import { loadSubject } from "../../automations/subject";
import { triggerEntity } from "./dry-run";

/** Constant-time comparison of two hex digests. */
function sameDigest(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return d === 0;
}

/**
 * An inbound webhook fires its rule: the token proves the caller (no session); an `Idempotency-Key` header makes a
 * retried call start one run. `recordId` names the record the run is about (checked against the rule's conditions).
 */
export async function triggerByWebhook(input: {
  db: Database;
  runner: AutomationRunner;
  id: string;
  token: string | undefined;
  idempotencyKey: string | undefined;
  body: { recordId?: string; data?: Record<string, unknown> };
}) {
  const { db } = input;
  if (!input.token) throw new UnauthorizedError("The X-Bespoke-Token header is required");
  const [rule] = isUuid(input.id)
    ? await db.http.select().from(automations).where(and(eq(automations.id, input.id), isNull(automations.deletedAt), eq(automations.triggerType, "webhook")))
    : [];
  if (!rule || !rule.webhookTokenHash || !sameDigest(await sha256Hex(input.token), rule.webhookTokenHash)) throw new NotFoundError("Automation");
  if (!rule.enabled) return { status: "paused" as const, runId: null };
  const entity = triggerEntity(rule.trigger as AutomationTrigger);
  let recordId: string | null = null;
  if (input.body.recordId) {
    if (!entity) throw new ValidationError("This rule is not about a record", [{ path: "recordId", message: "the rule's trigger names no record type" }]);
    const subject = await loadSubject(db.http, rule.workspaceId, entity, input.body.recordId);
    if (!subject) throw new NotFoundError("Record");
    if (!evaluateConditions(subject.record, rule.conditions as AutomationCondition[]).matches) return { status: "conditions_not_met" as const, runId: null };
    recordId = subject.id;
  }
  const outcome = await startRun({
    db: db.http,
    runner: input.runner,
    automation: rule,
    triggerKey: `hook:${input.idempotencyKey ?? crypto.randomUUID()}`,
    triggerEvent: { type: "webhook", data: input.body.data ?? {}, recordId },
    recordType: recordId ? entity : null,
    recordId,
  });
  return { status: outcome.kind, runId: outcome.runId };
}
