import { sql } from "drizzle-orm";
import { rowsOf, type Database } from "../../../db/client";
import type { InsightsSettings } from "../../schemas/insights";

/** Days without any activity after which an open deal counts as inactive (rotting's second signal). */
export const DEFAULT_INACTIVITY_DAYS = 14;

/** SQL: the workspace's inactivity limit in days (its `settings.insights.inactivityDays`, else the default). */
export const inactivityDaysExpr = (workspaceId: string) =>
  sql`coalesce((select (w.settings->'insights'->>'inactivityDays')::int from workspaces w where w.id = ${workspaceId}), ${DEFAULT_INACTIVITY_DAYS})`;

export async function getInsightsSettings(input: { db: Database["http"]; workspaceId: string }): Promise<InsightsSettings> {
  const res = await input.db.execute(sql`select ${inactivityDaysExpr(input.workspaceId)} as days`);
  return { inactivityDays: Number(rowsOf(res)[0]?.days ?? DEFAULT_INACTIVITY_DAYS) };
}
