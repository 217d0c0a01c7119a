import { WorkflowEntrypoint, type WorkflowEvent, type WorkflowStep } from "cloudflare:workers";
import type { AutomationRunParams } from "./workflow-types";

/**
 * The Workflow binding's class (wrangler.toml [[workflows]], exported from worker/index.ts). The run itself
 * (./run.ts: services, the database driver, the action schemas) is loaded on the first run, not in every new
 * isolate's global scope: an isolate that only serves requests never builds it.
 */
export class AutomationRunWorkflow extends WorkflowEntrypoint<Env, AutomationRunParams> {
  async run(event: WorkflowEvent<AutomationRunParams>, step: WorkflowStep) {
    // @hono/zod-openapi first, as every entry of worker/index.ts loads it (the action schemas must carry `.openapi()`).
    await import("@hono/zod-openapi");
    const { runAutomation } = await import("./run");
    return runAutomation(this.env, event, step);
  }
}
