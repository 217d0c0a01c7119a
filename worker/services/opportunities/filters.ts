import { sql, type SQL } from "drizzle-orm";
import type { Executor } from "../../../db/client";
import type { OpportunityFilters } from "../../schemas/pipeline";
import { customFilters } from "../custom-fields/query";
import { listCustomFields } from "../custom-fields/registry";
import { agingLimit } from "../pipeline/aging";

/**
 * WHERE clause of the board, its totals and a column's next page, so a filter means the same thing everywhere.
 * Expects the opportunity aliased `o` and its account `a`. `custom`: the conditions of `customBoardFilters`.
 */
export function opportunityWhere(workspaceId: string, f: OpportunityFilters, custom: SQL[] = []): SQL {
  const parts: SQL[] = [sql`o.workspace_id = ${workspaceId}`, sql`o.deleted_at is null`, ...custom];
  // A deal's pipeline is its stage's pipeline.
  if (f.pipelineId) parts.push(sql`o.stage_id in (select ps.id from pipeline_stages ps where ps.workspace_id = ${workspaceId} and ps.pipeline_id = ${f.pipelineId}::uuid)`);
  if (f.ownerId) parts.push(sql`o.owner_id = ${f.ownerId}`);
  if (f.accountId) parts.push(sql`o.account_id = ${f.accountId}`);
  if (f.closeFrom) parts.push(sql`o.close_date >= ${f.closeFrom}`);
  if (f.closeTo) parts.push(sql`o.close_date <= ${f.closeTo}`);
  if (f.amountMin !== undefined) parts.push(sql`o.amount >= ${f.amountMin}`);
  if (f.amountMax !== undefined) parts.push(sql`o.amount <= ${f.amountMax}`);
  if (f.currency) parts.push(sql`o.currency = ${f.currency}`);
  if (f.rotting === "true") {
    parts.push(sql`o.stage_entered_at < now() - make_interval(days => (select ${agingLimit} from pipeline_stages s where s.id = o.stage_id))`);
  }
  if (f.q) {
    const like = `%${f.q.toLowerCase().replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    parts.push(sql`(lower(o.name) like ${like} or lower(coalesce(a.name, '')) like ${like})`);
  }
  return sql.join(parts, sql` and `);
}

/**
 * The board's `custom.<key>=` filters (the lists' syntax: equality, `[gte]`/`[gt]`/`[lte]`/`[lt]` ranges for number,
 * money, percent, date and date-time, `[empty]`), over the deal aliased `o` — the same expressions as the expression
 * indexes of filterable fields. Reads the registry only when there is such a filter; a bad one is a 400 naming it.
 */
export async function customBoardFilters(db: Executor, workspaceId: string, raw: Record<string, string> | undefined): Promise<SQL[]> {
  if (!raw || Object.keys(raw).length === 0) return [];
  return customFilters(await listCustomFields(db, workspaceId, "opportunity"), raw, "o");
}
