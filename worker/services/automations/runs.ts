import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { automationRuns, automationRunSteps } from "../../../db/schema";
import { afterCursor, decodeCursor, encodeCursor } from "../../lib/cursor";
import { loadAutomation } from "./load";
import { serializeRun } from "./serialize";

/** A rule's run history, newest first (keyset on automation_runs_history_idx), each run with its steps. */
export async function listRuns(input: { db: Database; workspaceId: string; automationId: string; query: { limit: number; cursor?: string } }) {
  const { db, workspaceId, automationId, query } = input;
  await loadAutomation(db.http, workspaceId, automationId);
  const where = [eq(automationRuns.automationId, automationId), eq(automationRuns.workspaceId, workspaceId)];
  if (query.cursor) where.push(afterCursor(sql`${automationRuns.createdAt}`, sql`${automationRuns.id}`, "desc", decodeCursor(query.cursor), "::timestamptz"));
  const runs = await db.http
    .select()
    .from(automationRuns)
    .where(and(...where))
    .orderBy(desc(automationRuns.createdAt), desc(automationRuns.id))
    .limit(query.limit + 1);
  const page = runs.slice(0, query.limit);
  const steps = page.length ? await db.http.select().from(automationRunSteps).where(inArray(automationRunSteps.runId, page.map((r) => r.id))) : [];
  const last = page.at(-1);
  return {
    data: page.map((r) => serializeRun(r, steps.filter((s) => s.runId === r.id))),
    nextCursor: runs.length > query.limit && last ? encodeCursor({ value: last.createdAt.toISOString(), id: last.id }) : null,
  };
}
