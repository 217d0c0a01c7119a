import { sql, type SQL } from "drizzle-orm";
import { DEFAULT_INACTIVITY_DAYS } from "../insights/settings";

/**
 * Rotting: an open deal that has sat in its stage longer than the stage's aging limit — the limit set on the stage
 * (Settings → Pipelines), else the workspace's own median days in that stage (ai_stage_norms, refreshed nightly) once
 * at least five deals have left it. Expressions over a stage aliased `s` and a deal aliased `o`.
 */
// The element is read qualified (norm.v): a bare name would resolve to a same-named column of the query around it.
export const historyLimit: SQL = sql`(select ceil((norm.v->>'medianDays')::float8)::int from ai_stage_norms x cross join jsonb_array_elements(x.norms) as norm(v)
  where x.workspace_id = s.workspace_id and norm.v->>'stageId' = s.id::text and (norm.v->>'samples')::int >= 5)`;

/** The stage's effective aging limit in days (null: closed stage, or no limit and no history). */
export const agingLimit: SQL = sql`(case when s.kind = 'open' then coalesce(s.aging_days, ${historyLimit}) end)`;

/** The deal is past its stage's limit (a range of `opportunities_stage_entered_idx` per stage). */
export const isRotting: SQL = sql`(o.stage_entered_at < now() - make_interval(days => ${agingLimit}))`;

/** Days since the deal's last logged activity (AI outputs aside), else since it was created. */
export const daysQuiet: SQL = sql`floor(extract(epoch from now() - coalesce((select a2.happened_at from activities a2
  where a2.opportunity_id = o.id and a2.deleted_at is null and a2.type not like 'ai\\_%' order by a2.happened_at desc, a2.id desc limit 1), o.created_at)) / 86400)::int`;

/** The workspace's inactivity limit in days (Settings → Insights). */
export const inactivityLimit: SQL = sql`coalesce((select (w.settings->'insights'->>'inactivityDays')::int from workspaces w where w.id = o.workspace_id), ${DEFAULT_INACTIVITY_DAYS})`;

const DAY_MS = 86_400_000;

/** Whole days a deal has been in its stage. */
export const daysInStageOf = (msInStage: number) => Math.max(0, Math.floor(msInStage / DAY_MS));

/**
 * Past the stage's aging limit, and by how many days (the card says "12 d over"), given how long the deal has been in
 * its stage and the stage's `agingLimit` as selected above. The same test as `isRotting` (entered before now − limit),
 * so a card, the board's `rotting=true` filter and the rotting report always agree.
 */
export function rottingOf(msInStage: number, limit: unknown): { rotting: boolean; daysOver: number | null; agingLimit: number | null } {
  if (limit === null || limit === undefined) return { rotting: false, daysOver: null, agingLimit: null };
  const days = Number(limit);
  const rot = msInStage > days * DAY_MS;
  return { rotting: rot, daysOver: rot ? Math.max(1, Math.floor(msInStage / DAY_MS) - days) : null, agingLimit: days };
}
