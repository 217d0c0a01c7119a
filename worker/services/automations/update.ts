import { eq } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { automations } from "../../../db/schema";
import { ConflictError } from "../../lib/errors";
import type { AutomationRule } from "../../schemas/automations";
import { diff, recordAudit, type Actor } from "../audit/record";
import type { WebhookUrlConfig } from "../webhooks/create";
import { newHookToken } from "./create";
import { loadAutomation } from "./load";
import { serializeAutomation } from "./serialize";
import { assertRuleRefs } from "./validate";

/**
 * Edits a rule; `{ enabled: false }` pauses it (runs in flight finish; no new ones start). Runs already started keep
 * the rule as it was (they run a snapshot). Turning a rule into an inbound-webhook rule issues its token (returned once).
 */
export async function updateAutomation(input: { db: Database; actor: Actor; config: WebhookUrlConfig; id: string; patch: Partial<AutomationRule> & { version?: number } }) {
  const { db, actor, id } = input;
  const { version, ...patch } = input.patch;
  const current = await loadAutomation(db.http, actor.workspaceId, id);
  const next = { trigger: (patch.trigger ?? current.trigger) as AutomationRule["trigger"], actions: (patch.actions ?? current.actions) as AutomationRule["actions"] };
  if (patch.trigger || patch.actions) await assertRuleRefs(db.http, actor.workspaceId, next, input.config);
  const hook = next.trigger.type === "webhook" && !current.webhookTokenHash ? await newHookToken() : null;
  const row = await db.transaction(async (tx) => {
    const before = await loadAutomation(tx, actor.workspaceId, id, { forUpdate: true });
    if (version !== undefined && version !== before.version) {
      throw new ConflictError(`This rule was changed by someone else (you edited version ${version}, it is now ${before.version}); reload and re-apply`);
    }
    const values: Partial<typeof automations.$inferInsert> = {};
    if (patch.name !== undefined) values.name = patch.name;
    if (patch.description !== undefined) values.description = patch.description ?? null;
    if (patch.enabled !== undefined) values.enabled = patch.enabled;
    if (patch.trigger) Object.assign(values, { trigger: patch.trigger, triggerType: patch.trigger.type });
    if (patch.conditions) values.conditions = patch.conditions;
    if (patch.actions) values.actions = patch.actions;
    if (hook) values.webhookTokenHash = hook.hash;
    const changes = diff(before as unknown as Record<string, unknown>, values as Record<string, unknown>);
    if (!Object.keys(changes).length) return before;
    const [row] = await tx.update(automations).set({ ...values, version: before.version + 1, updatedAt: new Date() }).where(eq(automations.id, id)).returning();
    delete changes.webhookTokenHash;
    await recordAudit(tx, actor, { action: "update", entityType: "automation", entityId: id, changes });
    return row!;
  });
  return { ...serializeAutomation(row), webhookToken: hook?.token ?? null };
}
