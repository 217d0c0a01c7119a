import type { Executor } from "../../../db/client";
import { ValidationError, type FieldError } from "../../lib/errors";
import type { AutomationRule } from "../../schemas/automations";
import { resolveStage } from "../../automations/actions/context";
import { assertWebhookUrl, type WebhookUrlConfig } from "../webhooks/create";

/**
 * What the schema cannot see: the stages a rule names exist in this workspace, a called URL is one the server may
 * call (SSRF guard), and trigger-specific combinations make sense. 422 naming each field.
 */
export async function assertRuleRefs(db: Executor, workspaceId: string, rule: Pick<AutomationRule, "trigger" | "actions">, config: WebhookUrlConfig): Promise<void> {
  const errors: FieldError[] = [];
  if (rule.trigger.type === "stage_entered" || rule.trigger.type === "stage_left") {
    for (const [i, ref] of rule.trigger.stages.entries()) {
      if (!(await resolveStage(db, workspaceId, ref))) errors.push({ path: `trigger.stages.${i}`, message: `no stage "${ref}" in this workspace` });
    }
  }
  for (const [i, a] of rule.actions.entries()) {
    if (a.type === "move_stage" && !(await resolveStage(db, workspaceId, a.stage))) errors.push({ path: `actions.${i}.stage`, message: `no stage "${a.stage}" in this workspace` });
    if (a.type === "call_webhook") {
      try {
        await assertWebhookUrl(a.url, config);
      } catch (err) {
        errors.push({ path: `actions.${i}.url`, message: (err as ValidationError).extra.errors?.[0]?.message ?? "is not a URL the server may call" });
      }
    }
  }
  if (errors.length) throw new ValidationError("The rule names things that do not exist or may not be used", errors);
}
