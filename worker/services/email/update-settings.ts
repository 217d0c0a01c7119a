import { eq, sql } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { workspaces } from "../../../db/schema";
import { recordAudit, type Actor } from "../audit/record";
import { emailSettings, type EmailSettings } from "./settings";

/** Changes the workspace's e-mail capture settings (ADMIN; audited). */
export async function updateEmailSettings(input: { db: Database; actor: Actor; patch: Partial<EmailSettings> }): Promise<EmailSettings> {
  const { db, actor, patch } = input;
  return db.transaction(async (tx) => {
    const before = await emailSettings(tx, actor.workspaceId);
    const after = { ...before, ...patch };
    await tx
      .update(workspaces)
      .set({ settings: sql`jsonb_set(${workspaces.settings}, '{emailCapture}', ${JSON.stringify(after)}::jsonb)` })
      .where(eq(workspaces.id, actor.workspaceId));
    await recordAudit(tx, actor, { action: "settings.email_capture", entityType: "workspace", entityId: actor.workspaceId, changes: { createLeads: { from: before.createLeads, to: after.createLeads } } });
    return after;
  });
}
