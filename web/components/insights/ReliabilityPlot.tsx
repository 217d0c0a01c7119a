import { AxisBottom, AxisLeft } from "@visx/axis";
import { Group } from "@visx/group";
import { scaleLinear } from "@visx/scale";
import { LinePath } from "@visx/shape";
import type { ScoreQuality } from "../../../worker/schemas/insights";

type Bins = NonNullable<ScoreQuality["backtest"]>["ours"]["bins"];
const W = 360;
const H = 300;
const M = { top: 12, right: 12, bottom: 44, left: 52 };

/**
 * Reliability plot (visx): per bin of predicted probability, the observed win rate — our score and the stage
 * probability side by side; the diagonal is perfect calibration. Dot size follows the bin's deal count.
 */
export function ReliabilityPlot({ ours, baseline }: { ours: Bins; baseline: Bins }) {
  const x = scaleLinear({ domain: [0, 1], range: [0, W - M.left - M.right] });
  const y = scaleLinear({ domain: [0, 1], range: [H - M.top - M.bottom, 0] });
  const series = [
    { key: "ours", label: "Win score", color: "#2563eb", bins: ours },
    { key: "baseline", label: "Stage probability", color: "#94a3b8", bins: baseline },
  ];
  const max = Math.max(1, ...ours.map((b) => b.count), ...baseline.map((b) => b.count));
  return (
    <figure>
      <svg width={W} height={H} role="img" aria-label="Reliability plot: predicted win probability against the observed win rate" data-testid="reliability-plot">
        <Group left={M.left} top={M.top}>
          <line x1={x(0)} y1={y(0)} x2={x(1)} y2={y(1)} stroke="#cbd5e1" strokeDasharray="4 4" />
          {series.map((s) => {
            const pts = s.bins.filter((b) => b.count > 0 && b.meanPredicted !== null && b.observed !== null);
            return (
              <g key={s.key} data-series={s.key}>
                <LinePath data={pts} x={(b) => x(b.meanPredicted!)} y={(b) => y(b.observed!)} stroke={s.color} strokeWidth={2} />
                {pts.map((b) => (
                  <circle key={b.from} cx={x(b.meanPredicted!)} cy={y(b.observed!)} r={3 + (5 * b.count) / max} fill={s.color}>
                    <title>{`${s.label}: predicted ${Math.round(b.meanPredicted! * 100)}%, won ${Math.round(b.observed! * 100)}% of ${b.count}`}</title>
                  </circle>
                ))}
              </g>
            );
          })}
          <AxisBottom top={H - M.top - M.bottom} scale={x} numTicks={5} tickFormat={(v) => `${Math.round(Number(v) * 100)}%`} label="Predicted" />
          <AxisLeft scale={y} numTicks={5} tickFormat={(v) => `${Math.round(Number(v) * 100)}%`} label="Observed win rate" />
        </Group>
      </svg>
      <figcaption className="mt-1 flex gap-4 text-xs text-slate-600">
        {series.map((s) => (
          <span key={s.key} className="inline-flex items-center gap-1">
            <span className="inline-block size-2.5 rounded-full" style={{ background: s.color }} />
            {s.label}
          </span>
        ))}
        <span>Dashed: perfectly calibrated</span>
      </figcaption>
    </figure>
  );
}
