import { eq, sql } from "drizzle-orm";
import { rowsOf, type Database, type Executor as AnyExecutor } from "../../db/client";
import { aiStageNorms } from "../../db/schema";

type Executor = Database["http"];
export type StageNormRow = { stageId: string; medianDays: number; samples: number };

const NORM_WINDOW_DAYS = 365;
/** Norms older than this (the nightly refresh failed or has not run yet) are recomputed on the next AI call. */
const STALE_AFTER_HOURS = 36;

/**
 * How long deals stayed in each stage: every stage change out of a stage, measured from the previous change of the
 * same deal (or the deal's creation), over the last year. A scan of the workspace's stage changes (228k at the
 * benchmark's scale, ~0.6 s): the nightly maintenance stores the result per workspace in `ai_stage_norms`, and AI
 * calls read that one row. `only` limits the run to one workspace; without it every workspace is refreshed.
 */
function refreshStatement(only: string | null) {
  return sql`
    insert into ai_stage_norms (workspace_id, norms, computed_at)
    select w.id, coalesce(n.norms, '[]'::jsonb), now()
    from workspaces w
    left join lateral (
      select jsonb_agg(jsonb_build_object('stageId', s.stage_id, 'medianDays', s.median_days, 'samples', s.samples) order by s.stage_id) as norms
      from (
        select m.from_stage as stage_id,
               percentile_cont(0.5) within group (order by extract(epoch from (m.happened_at - coalesce(m.prev_at, o.created_at))) / 86400.0) as median_days,
               count(*)::int as samples
        from (
          select a.opportunity_id, a.happened_at, a.properties ->> 'fromStageId' as from_stage,
                 lag(a.happened_at) over (partition by a.opportunity_id order by a.happened_at, a.id) as prev_at
          from activities a
          where a.workspace_id = w.id and a.type = 'stage_change' and a.deleted_at is null and a.opportunity_id is not null
            and a.happened_at > now() - make_interval(days => ${NORM_WINDOW_DAYS})
        ) m
        join opportunities o on o.id = m.opportunity_id
        where m.from_stage is not null and m.happened_at >= coalesce(m.prev_at, o.created_at)
        group by m.from_stage
      ) s
    ) n on true
    ${only ? sql`where w.id = ${only}` : sql``}
    on conflict (workspace_id) do update set norms = excluded.norms, computed_at = excluded.computed_at
    returning workspace_id, norms`;
}

/** Nightly (worker/scheduled/maintenance.ts) and after the demo seed: recomputes the norms; returns how many workspaces. */
export async function refreshStageNorms(input: { db: AnyExecutor; workspaceId?: string }): Promise<number> {
  const res = await input.db.execute(refreshStatement(input.workspaceId ?? null));
  return rowsOf(res).length;
}

/** The statement an AI call batches with its other reads: the workspace's stored norms and their age. */
export function storedNormsQuery(db: Executor, workspaceId: string) {
  return db
    .select({ norms: aiStageNorms.norms, fresh: sql<boolean>`${aiStageNorms.computedAt} > now() - make_interval(hours => ${STALE_AFTER_HOURS})` })
    .from(aiStageNorms)
    .where(eq(aiStageNorms.workspaceId, workspaceId));
}

/** The stored norms, or (none stored yet, or stale) computed now and stored for the next calls. */
export async function stageNormsOf(db: Executor, workspaceId: string, stored: { norms: StageNormRow[]; fresh: boolean }[]): Promise<StageNormRow[]> {
  if (stored[0]?.fresh) return stored[0].norms;
  const res = await db.execute(refreshStatement(workspaceId));
  const rows = rowsOf<{ norms: StageNormRow[] }>(res);
  return rows[0]?.norms ?? [];
}
