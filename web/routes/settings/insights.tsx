import { useEffect, useId, useState } from "react";
import type { ForecastAccuracy, ScoreQuality } from "../../../worker/schemas/insights";
import { ErrorState } from "../../components/ErrorState";
import { ReliabilityPlot } from "../../components/insights/ReliabilityPlot";
import { Button } from "../../components/ui/Button";
import { Skeleton } from "../../components/ui/Skeleton";
import { useToast } from "../../components/ui/Toast";
import { errorMessage } from "../../lib/api";
import { formatDateTime, formatMoney } from "../../lib/format";
import { insightsQueries, refitInsights, saveInsightsSettings } from "../../lib/insights";
import { useQueryResource } from "../../lib/useResource";

const fmt = (v: number | null | undefined, digits = 3) => (v === null || v === undefined ? "—" : v.toFixed(digits));
const pct = (v: number | null | undefined) => (v === null || v === undefined ? "—" : `${Math.round(v * 100)}%`);

function QualityTable({ q }: { q: NonNullable<ScoreQuality["backtest"]> }) {
  const rows = [
    { label: "AUC (higher is better)", ours: fmt(q.ours.auc), base: fmt(q.baseline.auc) },
    { label: "Brier score (lower is better)", ours: fmt(q.ours.brier), base: fmt(q.baseline.brier) },
    { label: "Calibration error (lower is better)", ours: fmt(q.ours.calibrationError), base: fmt(q.baseline.calibrationError) },
  ];
  return (
    <table className="w-full text-sm" data-testid="score-quality">
      <thead>
        <tr className="text-left text-xs text-slate-500">
          <th className="py-1 font-medium">Backtest</th>
          <th className="py-1 text-right font-medium">Win score</th>
          <th className="py-1 text-right font-medium">Stage probability</th>
        </tr>
      </thead>
      <tbody className="tabular">
        {rows.map((r) => (
          <tr key={r.label} className="border-t border-slate-100">
            <th scope="row" className="py-1.5 text-left font-normal text-slate-700">{r.label}</th>
            <td className="py-1.5 text-right font-semibold">{r.ours}</td>
            <td className="py-1.5 text-right">{r.base}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ForecastTable({ f }: { f: ForecastAccuracy }) {
  const money = (v: number | null) => (v === null ? "—" : formatMoney(v, f.currency, { wholeUnits: true }));
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-sm" data-testid="forecast-accuracy">
        <thead>
          <tr className="text-left text-xs text-slate-500">
            <th className="py-1 font-medium">Month</th>
            <th className="py-1 text-right font-medium">Won</th>
            {f.horizons.map((h) => (
              <th key={h} className="py-1 text-right font-medium">Weighted at −{h} wk</th>
            ))}
            <th className="py-1 text-right font-medium">Score-weighted at −4 wk</th>
            <th className="py-1 text-right font-medium">Committed at −4 wk</th>
          </tr>
        </thead>
        <tbody className="tabular">
          {f.periods.map((p) => (
            <tr key={p.period.from} className="border-t border-slate-100">
              <th scope="row" className="py-1.5 text-left font-normal">{p.period.from.slice(0, 7)}</th>
              <td className="py-1.5 text-right font-semibold">{money(p.actual)}</td>
              {f.horizons.map((h) => (
                <td key={h} className="py-1.5 text-right">{money(p.predictions[String(h)]?.weighted ?? null)}</td>
              ))}
              <td className="py-1.5 text-right">{money(p.predictions["4"]?.scoreWeighted ?? null)}</td>
              <td className="py-1.5 text-right">{money(p.predictions["4"]?.committed ?? null)}</td>
            </tr>
          ))}
          <tr className="border-t border-slate-300 text-xs text-slate-600">
            <th scope="row" className="py-1.5 text-left font-medium">MAPE</th>
            <td />
            {f.horizons.map((h) => (
              <td key={h} className="py-1.5 text-right">{pct(f.mape[String(h)]?.weighted)}</td>
            ))}
            <td className="py-1.5 text-right">{pct(f.mape["4"]?.scoreWeighted)}</td>
            <td className="py-1.5 text-right">{pct(f.mape["4"]?.committed)}</td>
          </tr>
        </tbody>
      </table>
    </div>
  );
}

/** Settings → Insights: how good the win score has been (backtest beside the stage probability), forecast accuracy, the inactivity limit. */
export default function InsightsSettings() {
  const toast = useToast();
  const id = useId();
  const quality = useQueryResource(insightsQueries.scoreQuality());
  const forecast = useQueryResource(insightsQueries.forecastAccuracy());
  const settings = useQueryResource(insightsQueries.settings());
  const [days, setDays] = useState("");
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (settings.data) setDays(String(settings.data.inactivityDays));
  }, [settings.data]);

  if (quality.status === "error") return <ErrorState error={quality.error} onRetry={quality.reload} />;
  const q = quality.data;
  return (
    <div className="space-y-6">
      <section aria-labelledby={`${id}-score`} className="rounded-xl border border-slate-200 bg-white p-4">
        <div className="flex flex-wrap items-center gap-3">
          <h2 id={`${id}-score`} className="text-sm font-semibold text-slate-900">Win score</h2>
          <Button
            size="sm"
            className="ml-auto"
            loading={busy}
            onClick={async () => {
              setBusy(true);
              try {
                const r = await refitInsights();
                toast.success(`Model v${r.version} fitted; ${r.scored} open deals scored.`);
                quality.reload();
                forecast.reload();
              } catch (error) {
                toast.error(errorMessage(error));
              } finally {
                setBusy(false);
              }
            }}
          >
            Refit now
          </Button>
        </div>
        {!q ? (
          <Skeleton className="mt-3 h-40" />
        ) : !q.model ? (
          <p className="mt-2 text-sm text-slate-600">Not fitted yet: the nightly job fits it, or choose Refit now.</p>
        ) : (
          <>
            <p className="mt-1 text-sm text-slate-600" data-testid="model-summary">
              {q.model.kind === "logistic"
                ? `Model v${q.model.version}, fitted ${formatDateTime(q.model.fittedAt)} on ${q.model.closedDeals} closed deals replayed as they stood (${q.model.trainingRows} moments).`
                : `Not enough history (${q.model.closedDeals} of ${q.minClosedDeals} closed deals): scores are the stage probabilities.`}
            </p>
            {q.backtest && q.backtest.testDeals > 0 ? (
              <div className="mt-4 grid gap-6 lg:grid-cols-2">
                <div>
                  <QualityTable q={q.backtest} />
                  <p className="mt-2 text-xs text-slate-500">
                    Fitted on {q.backtest.trainDeals} deals closed before {q.backtest.cutoff ? formatDateTime(q.backtest.cutoff) : "—"}, scored on the {q.backtest.testDeals} deals open then, as they stood.
                  </p>
                  {q.slip && (
                    <p className="mt-3 text-sm text-slate-700" data-testid="slip-quality">
                      Slip detector: precision {pct(q.slip.precision)}, recall {pct(q.slip.recall)} over {q.slip.candidates} deal-weeks closing within 30 days.
                    </p>
                  )}
                </div>
                <ReliabilityPlot ours={q.backtest.ours.bins} baseline={q.backtest.baseline.bins} />
              </div>
            ) : (
              <p className="mt-2 text-sm text-slate-600">No backtest yet: it needs deals that were open at the split date and have closed since.</p>
            )}
          </>
        )}
      </section>

      <section aria-labelledby={`${id}-forecast`} className="rounded-xl border border-slate-200 bg-white p-4">
        <h2 id={`${id}-forecast`} className="text-sm font-semibold text-slate-900">Forecast accuracy</h2>
        <p className="mt-1 text-xs text-slate-500">What the weekly snapshots predicted for each month, weeks before it began, against what was won.</p>
        <div className="mt-3">{forecast.data ? <ForecastTable f={forecast.data} /> : <Skeleton className="h-24" />}</div>
      </section>

      <section aria-labelledby={`${id}-inactive`} className="rounded-xl border border-slate-200 bg-white p-4">
        <h2 id={`${id}-inactive`} className="text-sm font-semibold text-slate-900">Inactivity</h2>
        <form
          className="mt-2 flex items-end gap-3"
          onSubmit={async (e) => {
            e.preventDefault();
            try {
              await saveInsightsSettings({ inactivityDays: Number(days) });
              toast.success("Saved.");
              settings.reload();
            } catch (error) {
              toast.error(errorMessage(error));
            }
          }}
        >
          <label className="text-sm text-slate-700">
            Flag a deal as inactive after this many days without activity
            <input id={`${id}-days`} type="number" min={1} max={365} value={days} onChange={(e) => setDays(e.target.value)} className="mt-1 block h-9 w-28 rounded-md border border-slate-300 px-2.5 text-sm" />
          </label>
          <Button type="submit" size="sm">Save</Button>
        </form>
      </section>
    </div>
  );
}
