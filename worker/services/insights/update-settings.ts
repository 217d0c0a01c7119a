import { sql } from "drizzle-orm";
import type { Database } from "../../../db/client";
import type { InsightsSettings } from "../../schemas/insights";
import { recordAudit, type Actor } from "../audit/record";
import { getInsightsSettings } from "./settings";

/** Saves the workspace's insights settings (ADMIN), audited as `settings.insights`. */
export async function updateInsightsSettings(input: { db: Database; actor: Actor; body: InsightsSettings }): Promise<InsightsSettings> {
  const { db, actor, body } = input;
  const before = await getInsightsSettings({ db: db.http, workspaceId: actor.workspaceId });
  await db.transaction(async (tx) => {
    await tx.execute(sql`update workspaces set settings = jsonb_set(settings, '{insights}', coalesce(settings->'insights', '{}'::jsonb) || ${JSON.stringify(body)}::jsonb)
      where id = ${actor.workspaceId}`);
    if (before.inactivityDays !== body.inactivityDays) {
      await recordAudit(tx, actor, { action: "settings.insights", entityType: "workspace", entityId: actor.workspaceId, changes: { inactivityDays: { from: before.inactivityDays, to: body.inactivityDays } } });
    }
  });
  return body;
}
