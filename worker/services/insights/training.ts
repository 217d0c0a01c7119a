import { sql } from "drizzle-orm";
import { rowsOf, type Executor as PgExecutor } from "../../../db/client";
import { FEATURES, featureQuery, featureVector } from "./features";
import { auc, brier, fitLogistic, fitPlatt, linear, predict, reliability, type LogisticModel } from "./logistic";

type Executor = PgExecutor;
const DAY = 86_400_000;
/** Fewer closed deals than this: no model, the score is the stage probability (and says so). */
export const MIN_CLOSED_DEALS = 30;
/** Prior precision (per standardised weight): about 30 closed deals' worth of evidence before the data leads. */
const LAMBDA = 20;
/** At most this many (deal, Monday) rows are fitted; more closed deals are sampled by a hash of their id. */
const MAX_ROWS = 8000;

export interface Sample {
  id: string;
  asOf: string;
  x: number[];
  y: number;
  stageProbability: number;
  closedAt: string;
}

/**
 * Closed deals (closed by `cutoff`) replayed at each Monday they were open before `cutoff` — as they stood then — plus
 * one moment halfway through for deals shorter than a week. Row count capped by sampling deals by id hash.
 */
export async function trainingSamples(db: Executor, workspaceId: string, cutoff: Date): Promise<Sample[]> {
  const countRes = await db.execute(sql`
    select count(*)::int as n, coalesce(sum(ceil(extract(epoch from least(o.closed_at, ${cutoff.toISOString()}::timestamptz) - o.created_at) / 604800.0)), 0)::int as rows
    from opportunities o join pipeline_stages s on s.id = o.stage_id
    where o.workspace_id = ${workspaceId} and o.deleted_at is null and s.kind <> 'open' and o.closed_at is not null
      and o.closed_at <= ${cutoff.toISOString()}::timestamptz`);
  const { rows } = rowsOf<{ n: number; rows: number }>(countRes)[0] ?? { rows: 0 };
  const keep = rows > MAX_ROWS ? Math.max(1, Math.floor((1000 * MAX_ROWS) / rows)) : 1000;
  const pairs = sql`
    select c.id, g.as_of from (
      select o.id, o.created_at, o.closed_at from opportunities o join pipeline_stages s on s.id = o.stage_id
      where o.workspace_id = ${workspaceId} and o.deleted_at is null and s.kind <> 'open' and o.closed_at is not null
        and o.closed_at <= ${cutoff.toISOString()}::timestamptz and o.closed_at > o.created_at
        and abs(hashtext(o.id::text)) % 1000 < ${keep}
    ) c
    cross join lateral (
      select m as as_of from generate_series(date_trunc('week', c.created_at) + interval '7 days', c.closed_at - interval '1 hour', interval '7 days') m
      union all
      select date_trunc('day', c.created_at + (c.closed_at - c.created_at) / 2) where c.closed_at - c.created_at < interval '7 days'
    ) g`;
  const res = await db.execute(featureQuery({ workspaceId, pairs }));
  return rowsOf(res).map((r) => ({
    id: String(r.id),
    asOf: new Date(String(r.as_of)).toISOString(),
    x: featureVector(r),
    y: r.won === true || r.won === "t" ? 1 : 0,
    stageProbability: Number(r.stage_probability) / 100,
    closedAt: new Date(String(r.closed_at)).toISOString(),
  }));
}

/** Deals open at `at` that have closed since, seen as they stood at `at`. */
export async function openAtSamples(db: Executor, workspaceId: string, at: Date): Promise<Sample[]> {
  const iso = at.toISOString();
  const pairs = sql`
    select o.id, ${iso}::timestamptz as as_of from opportunities o join pipeline_stages s on s.id = o.stage_id
    where o.workspace_id = ${workspaceId} and o.deleted_at is null and s.kind <> 'open'
      and o.created_at <= ${iso}::timestamptz and o.closed_at > ${iso}::timestamptz`;
  const res = await db.execute(featureQuery({ workspaceId, pairs }));
  return rowsOf(res).map((r) => ({
    id: String(r.id),
    asOf: iso,
    x: featureVector(r),
    y: r.won === true || r.won === "t" ? 1 : 0,
    stageProbability: Number(r.stage_probability) / 100,
    closedAt: new Date(String(r.closed_at)).toISOString(),
  }));
}

const names = FEATURES.map((f) => f.key as string);
const STAGE = names.indexOf("stage");

/**
 * The prior model: exactly the stage probability (weight 1 on its log-odds, 0 elsewhere). With no data it is what
 * scores; with data it is what the fit is pulled toward.
 */
export function priorModel(samples: Sample[]): LogisticModel {
  const empty = fitLogistic([], [], names, { priorWeights: names.map(() => 0), priorIntercept: 0, lambda: LAMBDA, iterations: 0 });
  const base = samples.length ? fitLogistic(samples.map((s) => s.x), samples.map((s) => s.y), names, { priorWeights: names.map(() => 0), priorIntercept: 0, lambda: LAMBDA, iterations: 0 }) : empty;
  const weights = names.map((_, j) => (j === STAGE ? base.scales[j]! : 0));
  return { ...base, weights, intercept: base.means[STAGE]!, platt: { a: 1, b: 0 } };
}

/**
 * Fits on `samples`: logistic regression with the stage-probability prior on the deals that closed first (¾), Platt
 * calibration on the rest (held out by close time), then the weights refitted on all of them keep that calibration.
 */
export function fitOn(samples: Sample[]): LogisticModel {
  const prior = priorModel(samples);
  const opts = (p: LogisticModel) => ({ priorWeights: p.weights, priorIntercept: p.intercept, lambda: LAMBDA });
  if (!samples.length) return prior;
  const byClose = [...new Set(samples.map((s) => s.closedAt))].sort();
  const split = byClose[Math.floor(byClose.length * 0.75)] ?? byClose.at(-1)!;
  const early = samples.filter((s) => s.closedAt < split);
  const late = samples.filter((s) => s.closedAt >= split);
  const fit = (rows: Sample[]) => {
    const p = priorModel(rows);
    return fitLogistic(rows.map((s) => s.x), rows.map((s) => s.y), names, opts(p));
  };
  const earlyModel = early.length ? fit(early) : prior;
  const platt = fitPlatt(late.map((s) => linear(earlyModel, s.x)), late.map((s) => s.y));
  return { ...fit(samples), platt };
}

export interface QualityFigures {
  auc: number | null;
  brier: number | null;
  calibrationError: number | null;
  bins: ReturnType<typeof reliability>["bins"];
}

function figures(p: number[], y: number[]): QualityFigures {
  const r = reliability(p, y);
  return { auc: auc(p, y), brier: brier(p, y), calibrationError: r.ece, bins: r.bins };
}

export interface Backtest {
  cutoff: string | null;
  trainDeals: number;
  testDeals: number;
  ours: QualityFigures;
  baseline: QualityFigures;
}

/**
 * Time-split backtest: T = the moment 70 % of the closed deals had closed. Fit on deals closed before T (replayed at
 * Mondays before T), score the deals open at T that have closed since, as they stood at T, and compare with what
 * happened — our score and the stage probability side by side.
 */
export async function backtest(db: Executor, workspaceId: string, now: Date): Promise<Backtest> {
  const res = await db.execute(sql`
    select percentile_disc(0.7) within group (order by o.closed_at) as t
    from opportunities o join pipeline_stages s on s.id = o.stage_id
    where o.workspace_id = ${workspaceId} and o.deleted_at is null and s.kind <> 'open' and o.closed_at is not null and o.closed_at <= ${now.toISOString()}::timestamptz`);
  const t = rowsOf<{ t: string | null }>(res)[0]?.t;
  const empty = figures([], []);
  if (!t) return { cutoff: null, trainDeals: 0, testDeals: 0, ours: empty, baseline: empty };
  const cutoff = new Date(t);
  const [train, test] = await Promise.all([trainingSamples(db, workspaceId, cutoff), openAtSamples(db, workspaceId, cutoff)]);
  // What would have been served at T: a fitted model from MIN_CLOSED_DEALS closed deals on, else the stage probability.
  const trainDeals = new Set(train.map((s) => s.id)).size;
  const model = trainDeals >= MIN_CLOSED_DEALS ? fitOn(train) : priorModel(train);
  const y = test.map((s) => s.y);
  return {
    cutoff: cutoff.toISOString(),
    trainDeals,
    testDeals: test.length,
    ours: figures(test.map((s) => predict(model, s.x)), y),
    baseline: figures(test.map((s) => s.stageProbability), y),
  };
}

export const daysBetween = (a: Date, b: Date) => Math.round((b.getTime() - a.getTime()) / DAY);
