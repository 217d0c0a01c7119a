import { AxisBottom, AxisLeft } from "@visx/axis";
import { Group } from "@visx/group";
import { scaleBand, scaleLinear } from "@visx/scale";
import { useId, useLayoutEffect, useRef, useState } from "react";

export interface ChartSeries {
  key: string;
  label: string;
  color: string;
}

export interface BarChartProps {
  /** What the chart shows, for screen readers (the table view carries every number). */
  title: string;
  categories: { key: string; label: string }[];
  series: ChartSeries[];
  /** value(categoryKey, seriesKey) */
  value: (category: string, series: string) => number;
  format: (n: number) => string;
  /** Stack the series instead of grouping them side by side. */
  stacked?: boolean;
  /** Whole numbers only (counts): no "1.5 deals" gridlines. */
  integer?: boolean;
  height?: number;
}

const MARGIN = { top: 12, right: 12, bottom: 56, left: 64 };

/**
 * Grouped or stacked bars in SVG (visx: d3 scales + React, no runtime of its own). The SVG is one labelled image; each
 * bar has a <title> with its exact number (hover), and a legend names the colours in text.
 */
export function BarChart(props: BarChartProps) {
  const titleId = useId();
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  // The chart draws at its container's width, and again when that changes (window resize, phone rotation).
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    setWidth(el.getBoundingClientRect().width);
    const observer = new ResizeObserver((entries) => setWidth(entries[0]!.contentRect.width));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return (
    <figure className="w-full">
      <div ref={box} className="w-full" style={{ minHeight: props.height ?? 300 }}>
        {width > 0 && <Bars {...props} width={width} titleId={titleId} />}
      </div>
      <figcaption className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600">
        {props.series.map((s) => (
          <span key={s.key} className="inline-flex items-center gap-1.5">
            <span aria-hidden="true" className="inline-block size-2.5 rounded-sm" style={{ background: s.color }} />
            {s.label}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}

function Bars({ title, categories, series, value, format, stacked = false, integer = false, height = 300, width, titleId }: BarChartProps & { width: number; titleId: string }) {
  const innerW = Math.max(0, width - MARGIN.left - MARGIN.right);
  const innerH = height - MARGIN.top - MARGIN.bottom;
  const totals = categories.map((c) => (stacked ? series.reduce((n, s) => n + value(c.key, s.key), 0) : Math.max(0, ...series.map((s) => value(c.key, s.key)))));
  const max = Math.max(1, ...totals);
  const x = scaleBand<string>({ domain: categories.map((c) => c.key), range: [0, innerW], padding: 0.25 });
  const inner = scaleBand<string>({ domain: series.map((s) => s.key), range: [0, x.bandwidth()], padding: 0.1 });
  const y = scaleLinear<number>({ domain: [0, max], range: [innerH, 0], nice: true });
  const ticks = y.ticks(5).filter((t) => !integer || Number.isInteger(t));
  const labelOf = new Map(categories.map((c) => [c.key, c.label]));
  // Long category names (owners, accounts) tilt when the bars get narrow.
  const tilt = x.bandwidth() < 70;
  return (
    <svg width={width} height={height} role="img" aria-labelledby={titleId} className="block overflow-visible">
      <title id={titleId}>{title}</title>
      <Group left={MARGIN.left} top={MARGIN.top}>
        {ticks.map((t) => (
          <line key={t} x1={0} x2={innerW} y1={y(t)} y2={y(t)} stroke="var(--color-slate-200)" />
        ))}
        {categories.map((c) => {
          let base = 0;
          return series.map((s) => {
            const v = value(c.key, s.key);
            if (!v) return null;
            const x0 = (x(c.key) ?? 0) + (stacked ? 0 : (inner(s.key) ?? 0));
            const w = stacked ? x.bandwidth() : inner.bandwidth();
            const top = y(base + v);
            const h = y(base) - top;
            if (stacked) base += v;
            return (
              <rect key={`${c.key}:${s.key}`} x={x0} y={top} width={Math.max(1, w)} height={Math.max(0, h)} fill={s.color} rx={2} data-testid="chart-bar">
                <title>{`${c.label} — ${s.label}: ${format(v)}`}</title>
              </rect>
            );
          });
        })}
        <AxisLeft scale={y} tickValues={ticks} tickFormat={(v) => format(Number(v))} stroke="var(--color-slate-400)" tickStroke="var(--color-slate-400)" tickLabelProps={{ fill: "var(--color-slate-600)", fontSize: 11, textAnchor: "end", dx: -4, dy: 3 }} />
        <AxisBottom
          top={innerH}
          scale={x}
          tickFormat={(k) => truncate(labelOf.get(String(k)) ?? String(k), tilt ? 14 : 22)}
          stroke="var(--color-slate-400)"
          tickStroke="var(--color-slate-400)"
          tickLabelProps={{ fill: "var(--color-slate-600)", fontSize: 11, textAnchor: tilt ? "end" : "middle", angle: tilt ? -35 : 0, dy: tilt ? 0 : 4 }}
        />
      </Group>
    </svg>
  );
}

const truncate = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
