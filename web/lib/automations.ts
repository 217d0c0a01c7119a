/*
 * Settings → Automations: wire types (generated from the API's zod contracts) and calls. The rule shape is the one
 * zod schema of worker/schemas/automations.ts, so what the builder sends is what the API validates.
 */
import { api } from "./api";

type CallOptions = { signal?: AbortSignal };
import type { BodyOf, Schema } from "./api-types";
import { qk } from "./query";
import type { ResourceQuery } from "./useResource";

export type Automation = Schema<"Automation">;
export type AutomationRun = Schema<"AutomationRun">;
export type AutomationDryRun = Schema<"AutomationDryRun">;
export type AutomationCreated = Schema<"AutomationCreated">;
export type RuleInput = BodyOf<"/api/automations", "post">;
export type Trigger = Automation["trigger"];
export type Action = Automation["actions"][number];
export type Condition = Automation["conditions"][number];

export const automationQueries = {
  list: (): ResourceQuery<Automation[]> => ({
    queryKey: [...qk.settings, "automations"],
    queryFn: async ({ signal }) => (await api("get", "/api/automations", { signal })).data,
  }),
  runs: (id: string): ResourceQuery<AutomationRun[]> => ({
    queryKey: [...qk.settings, "automations", id, "runs"],
    queryFn: async ({ signal }) => (await api("get", "/api/automations/{id}/runs", { signal, params: { id }, query: { limit: 25 } })).data,
  }),
};

export const createAutomation = (body: RuleInput, options: CallOptions = {}) => api("post", "/api/automations", { ...options, body });
export const updateAutomation = (id: string, body: Partial<RuleInput> & { version?: number }, options: CallOptions = {}) =>
  api("patch", "/api/automations/{id}", { ...options, params: { id }, body });
export const deleteAutomation = (id: string) => api("delete", "/api/automations/{id}", { params: { id } });
export const dryRunAutomation = (id: string, recordId: string) => api("post", "/api/automations/{id}/dry-run", { params: { id }, body: { recordId } });

export const TRIGGER_LABELS: Record<Trigger["type"], string> = {
  record_created: "A record is created",
  field_changed: "A field changes",
  stage_entered: "A deal enters a stage",
  stage_left: "A deal leaves a stage",
  deal_aging: "A deal rots past its stage's aging days",
  close_date_passed: "A deal's close date passes",
  task_overdue: "A task becomes overdue",
  schedule: "On a schedule",
  webhook: "An inbound webhook is called",
};

export const ACTION_LABELS: Record<Action["type"], string> = {
  create_task: "Create a task",
  update_fields: "Update fields",
  move_stage: "Move to a stage",
  notify: "Notify",
  send_email: "Send an e-mail",
  call_webhook: "Call a webhook",
  ask_ai: "Ask the AI",
  wait: "Wait",
};

export const OP_LABELS: Record<Condition["op"], string> = {
  eq: "is",
  neq: "is not",
  gt: "is greater than",
  gte: "is at least",
  lt: "is less than",
  lte: "is at most",
  contains: "contains",
  in: "is one of",
  is_empty: "is empty",
  is_not_empty: "is not empty",
};
