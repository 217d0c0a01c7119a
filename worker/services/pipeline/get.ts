import { sql } from "drizzle-orm";
import type { Database } from "../../../db/client";
import type { OpportunityFilters, Pipeline, PipelineCard, Stage } from "../../schemas/pipeline";
import { opportunityWhere } from "../opportunities/filters";

type Row = Record<string, unknown>;
const rowsOf = (r: unknown): Row[] => ((r as { rows?: Row[] }).rows ?? (r as Row[]));
const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
const DAY_MS = 86_400_000;

/**
 * The board: stages in order, each with its cards in Kanban order and its totals per currency; overall totals and
 * weighted forecast of open deals. Three statements in one HTTP round trip (a non-interactive batch).
 * Weighted = amount × (deal's probability override, else the stage's) / 100, rounded once per group.
 */
export async function getPipeline(input: {
  db: Database;
  workspaceId: string;
  filters: OpportunityFilters;
  cardsPerStage: number;
  now?: Date;
}): Promise<Pipeline> {
  const { db, workspaceId, filters } = input;
  const where = opportunityWhere(workspaceId, filters);
  const [stagesRes, totalsRes, cardsRes] = await db.http.batch([
    db.http.execute(sql`
      select id, name, position, probability, kind from pipeline_stages
      where workspace_id = ${workspaceId} and deleted_at is null order by position, id`),
    db.http.execute(sql`
      select o.stage_id, o.currency, count(*)::int as count, coalesce(sum(o.amount), 0)::bigint as amount,
             round(coalesce(sum(o.amount * coalesce(o.probability, s.probability)), 0) / 100.0)::bigint as weighted
      from opportunities o
      join pipeline_stages s on s.id = o.stage_id
      left join accounts a on a.id = o.account_id
      where ${where}
      group by o.stage_id, o.currency`),
    // Per stage, walk the board index (workspace, stage, position) and stop after N cards: cost follows the
    // cards shown, not the deals in the pipeline.
    db.http.execute(sql`
      select c.* from pipeline_stages s
      cross join lateral (
        select o.id, o.name, o.account_id, a.name as account_name, o.amount, o.currency,
               o.probability as probability_override, coalesce(o.probability, s.probability) as probability,
               o.close_date::text as close_date, o.owner_id, u.name as owner_name, o.stage_id, o.stage_entered_at, o.position, o.version
        from opportunities o
        left join accounts a on a.id = o.account_id
        left join users u on u.id = o.owner_id
        where ${where} and o.stage_id = s.id
        order by o.position, o.id
        limit ${input.cardsPerStage}
      ) c
      where s.workspace_id = ${workspaceId} and s.deleted_at is null
      order by s.position, c.position, c.id`),
  ]);

  const now = (input.now ?? new Date()).getTime();
  const stages = rowsOf(stagesRes).map((r) => ({
    id: String(r.id),
    name: String(r.name),
    position: num(r.position),
    probability: num(r.probability),
    kind: r.kind as Stage["kind"],
  }));
  const kindOf = new Map(stages.map((s) => [s.id, s.kind]));

  const perStage = new Map<string, Pipeline["totals"]>();
  const overall = new Map<string, Pipeline["totals"][number]>();
  for (const r of rowsOf(totalsRes)) {
    const t = { currency: String(r.currency), amount: num(r.amount), weighted: num(r.weighted), count: num(r.count) };
    const list = perStage.get(String(r.stage_id)) ?? [];
    list.push(t);
    perStage.set(String(r.stage_id), list);
    if (kindOf.get(String(r.stage_id)) === "open") {
      const o = overall.get(t.currency) ?? { currency: t.currency, amount: 0, weighted: 0, count: 0 };
      o.amount += t.amount;
      o.weighted += t.weighted;
      o.count += t.count;
      overall.set(t.currency, o);
    }
  }

  const cards = new Map<string, PipelineCard[]>();
  for (const r of rowsOf(cardsRes)) {
    const entered = r.stage_entered_at instanceof Date ? r.stage_entered_at : new Date(String(r.stage_entered_at));
    const card: PipelineCard = {
      id: String(r.id),
      name: String(r.name),
      accountId: (r.account_id as string | null) ?? null,
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
      daysInStage: Math.max(0, Math.floor((now - entered.getTime()) / DAY_MS)),
      position: num(r.position),
      version: num(r.version),
    };
    const list = cards.get(card.stageId) ?? [];
    list.push(card);
    cards.set(card.stageId, list);
  }

  const byCurrency = (a: { currency: string }, b: { currency: string }) => a.currency.localeCompare(b.currency);
  return {
    stages: stages.map((s) => {
      const totals = (perStage.get(s.id) ?? []).sort(byCurrency);
      return { ...s, count: totals.reduce((n, t) => n + t.count, 0), totals, cards: cards.get(s.id) ?? [] };
    }),
    totals: [...overall.values()].sort(byCurrency),
  };
}
