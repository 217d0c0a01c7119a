import { sql } from "drizzle-orm";
import { rowsOf, type Executor as PgExecutor } from "../../../db/client";
import type { LogisticModel } from "./logistic";
import { backtest, fitOn, MIN_CLOSED_DEALS, priorModel, trainingSamples, type Backtest } from "./training";
import { slipBacktest, type SlipFigures } from "./slip";

type Executor = PgExecutor;

export interface StoredModel {
  version: number;
  kind: "logistic" | "stage_probability";
  closedDeals: number;
  trainingRows: number;
  fittedAt: string;
  model: LogisticModel;
  quality: Backtest & { slip: SlipFigures };
}

/**
 * Fits the workspace's win-score model on its own closed deals (replayed as they stood at past Mondays), backtests it
 * (time split), and stores it as the next version. Fewer than MIN_CLOSED_DEALS closed deals: the stored model is the
 * stage probability, `kind: "stage_probability"`, and the UI says so. Run nightly by the cron and on demand
 * (POST /api/insights/refit).
 */
export async function fitScoreModel(input: { db: Executor; workspaceId: string; now?: Date }): Promise<StoredModel> {
  const { db, workspaceId } = input;
  const now = input.now ?? new Date();
  const samples = await trainingSamples(db, workspaceId, now);
  const closedDeals = new Set(samples.map((s) => s.id)).size;
  const kind = closedDeals >= MIN_CLOSED_DEALS ? "logistic" : "stage_probability";
  const model = kind === "logistic" ? fitOn(samples) : priorModel([]);
  const [quality, slip] = await Promise.all([backtest(db, workspaceId, now), slipBacktest(db, workspaceId, now)]);
  const res = await db.execute(sql`
    insert into score_models (workspace_id, version, kind, closed_deals, training_rows, model, quality, fitted_at)
    select ${workspaceId}, coalesce(max(version), 0) + 1, ${kind}, ${closedDeals}, ${samples.length}, ${JSON.stringify(model)}::jsonb,
      ${JSON.stringify({ ...quality, slip })}::jsonb, ${now.toISOString()}::timestamptz
    from score_models where workspace_id = ${workspaceId}
    returning version, fitted_at`);
  const row = rowsOf<{ version: number; fitted_at: string }>(res)[0]!;
  return { version: Number(row.version), kind, closedDeals, trainingRows: samples.length, fittedAt: new Date(row.fitted_at).toISOString(), model, quality: { ...quality, slip } };
}

/** The newest stored model of the workspace, or null before the first fit. */
export async function latestModel(db: Executor, workspaceId: string): Promise<StoredModel | null> {
  const res = await db.execute(sql`
    select version, kind, closed_deals, training_rows, fitted_at, model, quality from score_models
    where workspace_id = ${workspaceId} order by version desc limit 1`);
  const r = rowsOf(res)[0];
  if (!r) return null;
  return {
    version: Number(r.version),
    kind: r.kind as StoredModel["kind"],
    closedDeals: Number(r.closed_deals),
    trainingRows: Number(r.training_rows),
    fittedAt: new Date(String(r.fitted_at)).toISOString(),
    model: r.model as LogisticModel,
    quality: r.quality as StoredModel["quality"],
  };
}
