import { sql, type SQL } from "drizzle-orm";
import { rowsOf, type Database } from "../../../db/client";
import { afterCursor, decodeCursor, encodeCursor } from "../../lib/cursor";
import type { OpportunityFilters, PipelineCard, StageCardsPage } from "../../schemas/pipeline";
import { customBoardFilters, opportunityWhere } from "../opportunities/filters";
import { agingLimit, daysQuiet, inactivityLimit, daysInStageOf, rottingOf } from "./aging";

type Row = Record<string, unknown>;
export const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

/**
 * The columns a card shows (and what a move or an inline edit needs: version, position, owner id, the override),
 * for cards of stage `s` in Kanban order. Expects `where` over `o`/`a` and the stage aliased `s`.
 */
export function cardColumns(): SQL {
  return sql`o.id, o.name, a.name as account_name, o.amount, o.currency,
    o.probability as probability_override, coalesce(o.probability, s.probability) as probability,
    o.close_date::text as close_date, s.kind as stage_kind, o.owner_id, u.name as owner_name, o.stage_id, o.stage_entered_at::text as stage_entered_at,
    o.position, o.version, o.win_score, ${agingLimit} as aging_limit, ${daysQuiet} as days_quiet, ${inactivityLimit} as inactivity_limit,
    -- Only the custom values the board shows (fields marked showOnCard), so 50 cards per stage stay small.
    (select coalesce(jsonb_object_agg(cf.key, o.custom -> cf.key), '{}'::jsonb) from custom_fields cf
      where cf.workspace_id = o.workspace_id and cf.entity = 'opportunity' and cf.show_on_card and cf.deleted_at is null and o.custom ? cf.key) as custom`;
}

export const cardJoins = sql`left join accounts a on a.id = o.account_id left join users u on u.id = o.owner_id`;

export function toCard(r: Row, now: number): PipelineCard {
  const entered = new Date(String(r.stage_entered_at));
  const daysInStage = daysInStageOf(now - entered.getTime());
  return {
    id: String(r.id),
    name: String(r.name),
    accountName: (r.account_name as string | null) ?? null,
    amount: r.amount === null ? null : num(r.amount),
    currency: String(r.currency),
    probability: num(r.probability),
    probabilityOverride: r.probability_override === null ? null : num(r.probability_override),
    closeDate: (r.close_date as string | null) ?? null,
    ownerId: (r.owner_id as string | null) ?? null,
    ownerName: (r.owner_name as string | null) ?? null,
    stageId: String(r.stage_id),
    stageEnteredAt: entered.toISOString(),
    daysInStage,
    ...rottingOf(now - entered.getTime(), r.aging_limit),
    inactiveDays: r.stage_kind !== "won" && r.stage_kind !== "lost" && num(r.days_quiet) >= num(r.inactivity_limit) ? num(r.days_quiet) : null,
    winScore: r.win_score === null || r.win_score === undefined ? null : num(r.win_score),
    position: num(r.position),
    version: num(r.version),
    custom: (r.custom as Record<string, unknown> | null) ?? {},
  };
}

/** The cursor after a page's last card: its Kanban position and id (the board index's order). */
export const cardCursor = (card: Pick<PipelineCard, "position" | "id">) => encodeCursor({ value: card.position, id: card.id });

/**
 * The next page of one column, after `cursor`: a range scan of the board index (workspace, stage, position), so
 * page 100 of a 60,000-deal stage costs what the first page costs.
 */
export async function listStageCards(input: {
  db: Database;
  workspaceId: string;
  stageId: string;
  filters: OpportunityFilters;
  custom?: Record<string, string>;
  cursor?: string;
  limit: number;
  now?: Date;
}): Promise<StageCardsPage> {
  const { db, workspaceId, stageId, limit } = input;
  const after = input.cursor ? decodeCursor(input.cursor) : undefined;
  const keyset = after ? sql`and ${afterCursor(sql`o.position`, sql`o.id`, "asc", after, "::double precision")}` : sql``;
  const res = await db.http.execute(sql`
    select ${cardColumns()}
    from opportunities o
    join pipeline_stages s on s.id = o.stage_id and s.workspace_id = ${workspaceId} and s.deleted_at is null
    ${cardJoins}
    where ${opportunityWhere(workspaceId, { ...input.filters, pipelineId: undefined }, await customBoardFilters(db.http, workspaceId, input.custom))} and o.stage_id = ${stageId} ${keyset}
    order by o.position, o.id
    limit ${limit + 1}`);
  const now = (input.now ?? new Date()).getTime();
  const rows = rowsOf(res);
  const cards = rows.slice(0, limit).map((r) => toCard(r, now));
  return { cards, nextCursor: rows.length > limit && cards.length ? cardCursor(cards.at(-1)!) : null };
}
