import type { Database } from "../../../db/client";
import { automations } from "../../../db/schema";
import { randomToken, sha256Hex } from "../../lib/tokens";
import type { AutomationRule } from "../../schemas/automations";
import { recordAudit, type Actor } from "../audit/record";
import type { WebhookUrlConfig } from "../webhooks/create";
import { serializeAutomation } from "./serialize";
import { assertRuleRefs } from "./validate";

/** An inbound-webhook rule's token: returned once; the rule keeps its SHA-256 (rule 7: no secret stored in clear). */
export async function newHookToken() {
  const token = `ahk_${randomToken(24)}`;
  return { token, hash: await sha256Hex(token) };
}

/** An ADMIN's new rule (Settings → Automations or POST /api/automations), source "ui". */
export async function createAutomation(input: { db: Database; actor: Actor; config: WebhookUrlConfig; rule: AutomationRule }) {
  const { db, actor, rule } = input;
  await assertRuleRefs(db.http, actor.workspaceId, rule, input.config);
  const hook = rule.trigger.type === "webhook" ? await newHookToken() : null;
  const row = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(automations)
      .values({
        workspaceId: actor.workspaceId,
        name: rule.name,
        description: rule.description ?? null,
        enabled: rule.enabled,
        triggerType: rule.trigger.type,
        trigger: rule.trigger,
        conditions: rule.conditions,
        actions: rule.actions,
        source: "ui",
        webhookTokenHash: hook?.hash ?? null,
        createdBy: actor.userId,
      })
      .returning();
    await recordAudit(tx, actor, { action: "create", entityType: "automation", entityId: row!.id, changes: { name: { from: null, to: rule.name }, trigger: { from: null, to: rule.trigger.type } } });
    return row!;
  });
  return { ...serializeAutomation(row), webhookToken: hook?.token ?? null };
}
