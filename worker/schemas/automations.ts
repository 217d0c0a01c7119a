import { z } from "zod";

/**
 * Automation rules (issue 13), ONE zod schema: trigger → conditions (all must hold) → actions, run in order.
 * The API (/api/automations), the configuration file (bespoke.config.ts `automations`) and the engine
 * (worker/automations/) all read this shape. Only zod here: the SPA and the config file import it. Built on first
 * use (the Worker pays for the schemas only when it validates).
 */

export const automationEntities = ["account", "contact", "lead", "opportunity"] as const;
export const triggerTypes = [
  "record_created", "field_changed", "stage_entered", "stage_left", "deal_aging", "close_date_passed", "task_overdue", "schedule", "webhook",
] as const;
export type TriggerType = (typeof triggerTypes)[number];
/** Triggers the cron raises (worker/automations/cron.ts), once per (rule, record, day) or per schedule slot. */
export const timeTriggerTypes: readonly TriggerType[] = ["deal_aging", "close_date_passed", "task_overdue", "schedule"];
export const conditionOps = ["eq", "neq", "gt", "gte", "lt", "lte", "contains", "in", "is_empty", "is_not_empty"] as const;
export const actionTypes = ["create_task", "update_fields", "move_stage", "notify", "send_email", "call_webhook", "ask_ai", "wait"] as const;
export type ActionType = (typeof actionTypes)[number];
export const durationUnits = ["minutes", "hours", "days"] as const;
export const runStatuses = ["queued", "running", "waiting", "succeeded", "failed", "skipped"] as const;

/** `name`, `amount`, `ownerId`, `pipelineId`, `stageId`, … or `custom.<key>` for a custom field. */
const FIELD = /^(custom\.)?[a-z][A-Za-z0-9_]{0,49}$/;
const stageRef = z.string().trim().min(1).max(100).describe("a stage id, or a stage key from bespoke.config.ts (e.g. proposal)");
/** "owner" = the record's owner; otherwise a user id. */
const userRef = z.union([z.literal("owner"), z.uuid({ error: 'must be "owner" or a user id' })]);

function build() {
  const entity = z.enum(automationEntities, { error: `must be one of ${automationEntities.join(", ")}` });
  const field = z.string().regex(FIELD, 'must be a field name like "amount" or "custom.renewalDate"');
  const text = (max: number) => z.string().trim().min(1, "must not be empty").max(max, `must be at most ${max} characters`);
  const duration = z.strictObject({
    amount: z.number().int("must be a whole number").min(1, "must be at least 1").max(10_000),
    unit: z.enum(durationUnits, { error: `must be one of ${durationUnits.join(", ")}` }),
  });

  const trigger = z.discriminatedUnion("type", [
    z.strictObject({ type: z.literal("record_created"), entity }),
    z.strictObject({ type: z.literal("field_changed"), entity, fields: z.array(field).min(1, "watch at least one field").max(50) }),
    z.strictObject({ type: z.literal("stage_entered"), stages: z.array(stageRef).max(50).default([]).describe("empty = any stage") }),
    z.strictObject({ type: z.literal("stage_left"), stages: z.array(stageRef).max(50).default([]).describe("empty = any stage") }),
    z.strictObject({ type: z.literal("deal_aging") }).describe("an open deal has sat in its stage longer than the stage's aging days"),
    z.strictObject({ type: z.literal("close_date_passed") }).describe("an open deal's expected close date is in the past"),
    z.strictObject({ type: z.literal("task_overdue") }).describe("an open task is past its due time"),
    z.strictObject({
      type: z.literal("schedule"),
      every: z.enum(["hour", "day", "week"]),
      hour: z.number().int().min(0).max(23).default(8).describe("UTC hour (day and week)"),
      weekday: z.number().int().min(0).max(6).default(1).describe("0 = Sunday (week)"),
    }),
    z.strictObject({ type: z.literal("webhook"), entity: entity.optional().describe("the kind of record a call may name in recordId") }),
  ]);

  const condition = z.strictObject({
    field,
    op: z.enum(conditionOps, { error: `must be one of ${conditionOps.join(", ")}` }),
    value: z.unknown().optional(),
  });

  const action = z.discriminatedUnion("type", [
    z.strictObject({
      type: z.literal("create_task"),
      title: text(300).describe("may use {{record.name}}, {{record.<field>}}, {{rule.name}}"),
      body: z.string().max(5000).optional(),
      assignee: userRef.default("owner"),
      dueIn: duration.optional().describe("due this long after the action runs; none = no due date"),
    }),
    z.strictObject({ type: z.literal("update_fields"), fields: z.record(field, z.unknown()).refine((v) => Object.keys(v).length > 0, "set at least one field") }),
    z.strictObject({ type: z.literal("move_stage"), stage: stageRef, reason: text(500), reasonCode: z.string().max(50).optional() }),
    z.strictObject({ type: z.literal("notify"), to: z.array(userRef).min(1, "name at least one recipient").max(50), title: text(300), body: z.string().max(2000).optional() }),
    z.strictObject({
      type: z.literal("send_email"),
      to: z.union([z.literal("owner"), z.email({ error: 'must be "owner" or an e-mail address' })]),
      subject: text(300),
      body: text(20_000).describe("plain text; may use {{record.name}}, {{record.<field>}}, {{rule.name}}"),
    }),
    z.strictObject({ type: z.literal("call_webhook"), url: z.string().trim().min(1).max(2000), secretHeader: z.string().max(200).optional() }),
    z.strictObject({ type: z.literal("ask_ai"), kind: z.enum(["next_best_actions", "summary"]) }),
    z.strictObject({
      type: z.literal("wait"),
      for: duration.optional(),
      until: z.string().max(40).optional().describe('an ISO date-time, or "closeDate" (the deal\'s expected close date)'),
    }).refine((w) => (w.for === undefined) !== (w.until === undefined), "give either for or until"),
  ]);

  const rule = z.strictObject({
    name: text(120),
    description: z.string().trim().max(1000).nullable().optional(),
    enabled: z.boolean().default(true),
    trigger,
    conditions: z.array(condition).max(20).default([]),
    actions: z.array(action).min(1, "add at least one action").max(20, "at most 20 actions"),
  });
  return { trigger, condition, action, rule, duration };
}

let built: ReturnType<typeof build> | undefined;
export const automationSchemas = () => (built ??= build());

export type AutomationTrigger = z.output<ReturnType<typeof build>["trigger"]>;
export type AutomationCondition = z.output<ReturnType<typeof build>["condition"]>;
export type AutomationAction = z.output<ReturnType<typeof build>["action"]>;
export type AutomationRule = z.output<ReturnType<typeof build>["rule"]>;
export type AutomationRuleInput = z.input<ReturnType<typeof build>["rule"]>;
export type Duration = z.output<ReturnType<typeof build>["duration"]>;

export const durationMs = (d: Duration) => d.amount * { minutes: 60_000, hours: 3_600_000, days: 86_400_000 }[d.unit];

/** Contracts of /api/automations. */
function contracts() {
  const { rule, trigger, condition, action } = automationSchemas();
  const automation = z
    .object({
      id: z.uuid(),
      key: z.string().nullable().describe("set for rules declared in bespoke.config.ts"),
      name: z.string(),
      description: z.string().nullable(),
      enabled: z.boolean(),
      source: z.enum(["config", "ui"]),
      trigger: trigger,
      conditions: z.array(condition),
      actions: z.array(action),
      version: z.number().int(),
      createdAt: z.string(),
      updatedAt: z.string(),
      lastRun: z.object({ status: z.string(), createdAt: z.string() }).nullable(),
    })
    .meta({ id: "Automation" });
  const created = automation
    .extend({ webhookToken: z.string().nullable().describe("inbound-webhook rules: the token, shown only in this response") })
    .meta({ id: "AutomationCreated" });
  const patch = rule.partial().extend({ version: z.number().int().optional().describe("optimistic concurrency: 409 if the rule changed meanwhile") });
  const step = z.object({
    index: z.number().int(),
    type: z.string(),
    status: z.string(),
    result: z.record(z.string(), z.unknown()).nullable(),
    error: z.string().nullable(),
    attempts: z.number().int(),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
    durationMs: z.number().nullable(),
  });
  const run = z
    .object({
      id: z.uuid(),
      status: z.enum(runStatuses),
      triggerEvent: z.record(z.string(), z.unknown()),
      recordType: z.string().nullable(),
      recordId: z.string().nullable(),
      error: z.string().nullable(),
      createdAt: z.string(),
      startedAt: z.string().nullable(),
      finishedAt: z.string().nullable(),
      durationMs: z.number().nullable(),
      steps: z.array(step),
    })
    .meta({ id: "AutomationRun" });
  const dryRunStep = z.object({ index: z.number().int(), type: z.string(), wouldDo: z.string(), details: z.record(z.string(), z.unknown()) });
  const dryRun = z
    .object({
      matches: z.boolean().describe("the conditions hold for this record"),
      conditions: z.array(z.object({ field: z.string(), op: z.string(), expected: z.unknown(), actual: z.unknown(), ok: z.boolean() })),
      steps: z.array(dryRunStep),
    })
    .meta({ id: "AutomationDryRun" });
  return {
    automation,
    created,
    create: rule,
    patch,
    run,
    runsQuery: z.object({ limit: z.coerce.number().int().min(1).max(100).default(25), cursor: z.string().optional() }),
    dryRunBody: z.strictObject({ recordId: z.uuid({ error: "must be a record id" }) }),
    dryRun,
    hookBody: z.object({ recordId: z.uuid().optional(), data: z.record(z.string(), z.unknown()).optional() }).passthrough(),
  };
}

let builtContracts: ReturnType<typeof contracts> | undefined;
export const automationContracts = () => (builtContracts ??= contracts());
