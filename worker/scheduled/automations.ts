import { runTimeTriggers } from "../automations/cron";
import { loadConfig } from "../config";
import { createServices } from "../lib/services";

/** The cron's automation tick: time-based triggers and schedules (worker/automations/cron.ts). */
export async function runScheduledAutomations(env: Env, scheduledTime: number): Promise<void> {
  const loaded = loadConfig(env);
  if (!loaded.ok) throw new Error(`misconfigured: ${loaded.problems.join("; ")}`);
  const { db, automations } = createServices(env, loaded.config);
  const { started } = await runTimeTriggers({ db: db.http, runner: automations, now: new Date(scheduledTime) });
  if (started) console.log(JSON.stringify({ level: "info", msg: "automations: time triggers started runs", started }));
}
