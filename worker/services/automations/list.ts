import { and, asc, eq, isNull } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { automations } from "../../../db/schema";
import { lastRuns, serializeAutomation } from "./serialize";

/** A workspace has tens of rules: one unpaginated list, oldest first, each with its latest run's status. */
export async function listAutomations(input: { db: Database; workspaceId: string }) {
  const rows = await input.db.http
    .select()
    .from(automations)
    .where(and(eq(automations.workspaceId, input.workspaceId), isNull(automations.deletedAt)))
    .orderBy(asc(automations.createdAt), asc(automations.id));
  const last = await lastRuns(input.db.http, rows.map((r) => r.id));
  return { data: rows.map((r) => serializeAutomation(r, last.get(r.id) ?? null)) };
}
