import type { Database } from "../../../db/client";
import type { ScoreQuality } from "../../schemas/insights";
import { FEATURES } from "./features";
import { latestModel } from "./fit-model";
import { MIN_CLOSED_DEALS } from "./training";

/** The newest model's backtest: AUC, Brier and calibration error for our score beside the stage probability. */
export async function scoreQuality(input: { db: Database["http"]; workspaceId: string }): Promise<ScoreQuality> {
  const m = await latestModel(input.db, input.workspaceId);
  if (!m) return { model: null, minClosedDeals: MIN_CLOSED_DEALS, backtest: null, slip: null };
  const { slip, ...backtest } = m.quality;
  return {
    model: {
      version: m.version,
      kind: m.kind,
      closedDeals: m.closedDeals,
      trainingRows: m.trainingRows,
      fittedAt: m.fittedAt,
      weights: FEATURES.map((f, j) => ({ key: f.key, label: f.label, weight: m.model.weights[j] ?? 0 })),
    },
    minClosedDeals: MIN_CLOSED_DEALS,
    backtest,
    slip: slip ?? null,
  };
}
