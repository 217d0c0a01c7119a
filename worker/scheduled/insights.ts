import { loadConfig } from "../config";
import { createServices } from "../lib/services";
import { refreshAllInsights } from "../services/insights/refresh";

/**
 * The nightly insights job (cron): per workspace, refit the win-score model on its closed deals, rescore every open
 * deal, take this week's forecast snapshot and rebuild missing past weeks. Runs beside maintenance (which refreshes
 * the stage norms the board's rotting defaults read); a failure throws so the cron shows it.
 */
export async function runScheduledInsights(env: Env): Promise<number> {
  const loaded = loadConfig(env);
  if (!loaded.ok) throw new Error(`insights skipped, configuration is invalid: ${loaded.problems.join("; ")}`);
  const { db } = createServices(env, loaded.config);
  try {
    const n = await refreshAllInsights({ db });
    console.log(JSON.stringify({ level: "info", msg: "insights", workspaces: n }));
    return n;
  } finally {
    await db.close();
  }
}
