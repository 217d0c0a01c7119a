import type { AutomationRunParams } from "./workflow-types";

/** What starting automation runs needs (on `Services.automations`): the Workflow binding and the per-workspace cap. */
export interface AutomationRunner {
  workflow: Workflow<AutomationRunParams>;
  runsPerMinute: number;
}
