/** The Workflow instance's parameters: the run row holds everything else (rule snapshot, trigger, record). */
export interface AutomationRunParams {
  runId: string;
  workspaceId: string;
}
