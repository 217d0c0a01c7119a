import { eq } from "drizzle-orm";
import type { Executor } from "../../../db/client";
import { workspaces } from "../../../db/schema";

export interface EmailSettings {
  /** A message from an unknown sender to an inbound address creates a lead (else it is refused). Off by default. */
  createLeads: boolean;
}

/** The workspace's e-mail capture settings (workspaces.settings.emailCapture). */
export async function emailSettings(db: Executor, workspaceId: string): Promise<EmailSettings> {
  const [ws] = await db.select({ settings: workspaces.settings }).from(workspaces).where(eq(workspaces.id, workspaceId));
  const s = (ws?.settings?.emailCapture ?? {}) as Partial<EmailSettings>;
  return { createLeads: s.createLeads === true };
}
