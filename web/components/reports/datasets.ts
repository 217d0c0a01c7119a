import type { ActivityVolumeReport, ConversionReport, ForecastReport, Money, PipelineByStageReport, PipelineOverTimeReport, WinLossReport } from "../../../worker/schemas/reports";
import { toCsv } from "../../lib/csv";
import { formatCount, formatMoney } from "../../lib/format";
import type { ChartSeries } from "./BarChart";

/** One column of a report table (and of its CSV). Money columns are per currency: amounts are never added across. */
export interface Column {
  key: string;
  label: string;
  kind: "text" | "count" | "money" | "rate" | "days";
  currency?: string;
  /** The cell links here (a deal's page); the CSV holds the text. */
  href?: (row: Record<string, Cell>) => string;
}
export type Cell = string | number | null;

/** Rows under column headings: a report's table, and what its CSV holds. */
export interface Table {
  title: string;
  columns: Column[];
  rows: Record<string, Cell>[];
}

/** What a report renders: a chart of some of its numbers, and a table (and CSV) of all of them. */
export interface Dataset extends Table {
  chart: Chart;
  /** A second chart of other numbers (velocity beside conversion). */
  secondary?: Chart & { title: string };
  /** The records behind the numbers (the rotting deals), shown under the chart or table, with a CSV of their own. */
  list?: Table & { key: string; empty: string; more?: { label: string; to: string } };
}
export interface Chart {
  categories: { key: string; label: string }[];
  series: ChartSeries[];
  value: (c: string, s: string) => number;
  format: (n: number) => string;
  stacked?: boolean;
  integer?: boolean;
  note?: string;
}

const COLORS = ["#4f46e5", "#e11d48", "#0891b2", "#ca8a04", "#16a34a", "#9333ea", "#64748b"];
const WON = "#16a34a";
const LOST = "#e11d48";

const currenciesOf = (lists: Money[][]) => [...new Set(lists.flat().map((m) => m.currency))].sort();
const amountIn = (list: Money[], currency: string) => list.find((m) => m.currency === currency)?.amount ?? 0;

export function winLossDataset(r: WinLossReport): Dataset {
  const currencies = currenciesOf(r.groups.flatMap((g) => [g.won.amounts, g.lost.amounts]));
  const columns: Column[] = [
    { key: "group", label: GROUP_LABEL[r.groupBy], kind: "text" },
    { key: "won", label: "Won", kind: "count" },
    { key: "lost", label: "Lost", kind: "count" },
    { key: "winRate", label: "Win rate", kind: "rate" },
    ...currencies.flatMap((c): Column[] => [
      { key: `won:${c}`, label: `Won ${c}`, kind: "money", currency: c },
      { key: `lost:${c}`, label: `Lost ${c}`, kind: "money", currency: c },
    ]),
  ];
  const rows = r.groups.map((g) => ({
    key: g.key ?? "",
    group: g.label,
    won: g.won.count,
    lost: g.lost.count,
    winRate: g.winRate,
    ...Object.fromEntries(currencies.flatMap((c) => [[`won:${c}`, amountIn(g.won.amounts, c)], [`lost:${c}`, amountIn(g.lost.amounts, c)]])),
  }));
  const byKey = new Map(rows.map((row) => [row.key, row]));
  return {
    title: `Won and lost deals by ${GROUP_LABEL[r.groupBy].toLowerCase()}`,
    columns,
    rows,
    chart: {
      categories: rows.slice(0, 20).map((row) => ({ key: row.key, label: row.group })),
      series: [
        { key: "won", label: "Won", color: WON },
        { key: "lost", label: "Lost", color: LOST },
      ],
      value: (c, s) => Number(byKey.get(c)?.[s as "won" | "lost"] ?? 0),
      format: formatCount,
      integer: true,
      note: rows.length > 20 ? `The chart shows the 20 largest of ${rows.length} groups; the table lists them all.` : undefined,
    },
  };
}

export const GROUP_LABEL = { owner: "Owner", account: "Account", reason: "Reason", pipeline: "Pipeline", source: "Source", month: "Close month" } as const;

export function pipelineDataset(r: PipelineByStageReport): Dataset {
  return stageCountDataset({
    title: "Open deals by stage",
    stages: r.stages,
    count: { label: "Open deals", color: COLORS[0]! },
    before: { columns: [{ key: "probability", label: "Probability %", kind: "count" }], values: (s) => ({ probability: s.probability }) },
  });
}

type StageNumbers = { stageId: string; name: string; pipelineId: string; pipelineName: string; count: number; amounts: Money[] };

/** A stage's name, with its pipeline's when the report spans several. */
export const stageLabel = (s: { name: string; pipelineName: string }, multi: boolean) => (multi ? `${s.pipelineName} · ${s.name}` : s.name);

/**
 * Deals counted per stage with their amounts per currency (pipeline by stage, rotting deals): the chart shows the
 * counts; the table lists the stage, the `before` columns, the count, the `after` columns, then an amount per currency.
 */
export function stageCountDataset<S extends StageNumbers>(o: {
  title: string;
  stages: S[];
  count: { label: string; color: string };
  before?: { columns: Column[]; values: (s: S) => Record<string, Cell> };
  after?: { columns: Column[]; values: (s: S) => Record<string, Cell> };
  note?: string;
}): Dataset {
  const currencies = currenciesOf(o.stages.map((s) => s.amounts));
  const multi = new Set(o.stages.map((s) => s.pipelineId)).size > 1;
  const rows = o.stages.map((s) => ({
    key: s.stageId,
    stage: stageLabel(s, multi),
    ...o.before?.values(s),
    count: s.count,
    ...o.after?.values(s),
    ...Object.fromEntries(currencies.map((c) => [`amount:${c}`, amountIn(s.amounts, c)])),
  }));
  const byKey = new Map(rows.map((row) => [row.key, row]));
  return {
    title: o.title,
    columns: [
      { key: "stage", label: "Stage", kind: "text" },
      ...(o.before?.columns ?? []),
      { key: "count", label: o.count.label, kind: "count" },
      ...(o.after?.columns ?? []),
      ...currencies.map((c): Column => ({ key: `amount:${c}`, label: `Amount ${c}`, kind: "money", currency: c })),
    ],
    rows,
    chart: {
      categories: rows.map((row) => ({ key: row.key, label: row.stage })),
      series: [{ key: "count", label: o.count.label, color: o.count.color }],
      value: (c) => Number(byKey.get(c)?.count ?? 0),
      format: formatCount,
      integer: true,
      note: o.note,
    },
  };
}

export function pipelineOverTimeDataset(r: PipelineOverTimeReport): Dataset {
  const multi = new Set(r.stages.map((s) => s.pipelineId)).size > 1;
  const name = (s: PipelineOverTimeReport["stages"][number]) => (multi ? `${s.pipelineName} · ${s.name}` : s.name);
  const byWeek = new Map(r.weeks.map((w) => [w.asOf, w.counts]));
  return {
    title: "Open deals per stage, week by week",
    columns: [{ key: "asOf", label: "As of (Monday)", kind: "text" }, ...r.stages.map((s): Column => ({ key: s.stageId, label: name(s), kind: "count" }))],
    rows: r.weeks.map((w) => ({ key: w.asOf, asOf: w.asOf, ...w.counts })),
    chart: {
      categories: r.weeks.map((w) => ({ key: w.asOf, label: w.asOf.slice(5) })),
      series: r.stages.map((s, i) => ({ key: s.stageId, label: name(s), color: COLORS[i % COLORS.length]! })),
      value: (c, s) => byWeek.get(c)?.[s] ?? 0,
      format: formatCount,
      integer: true,
      stacked: true,
    },
  };
}

export function conversionDataset(r: ConversionReport): Dataset {
  const multi = new Set(r.stages.map((s) => s.pipelineId)).size > 1;
  const rows = r.stages.map((s) => ({
    key: s.stageId,
    stage: multi ? `${s.pipelineName} · ${s.name}` : s.name,
    entered: s.entered,
    advanced: s.advanced,
    conversionRate: s.conversionRate,
    medianDays: s.medianDays,
    exits: s.exits,
  }));
  const byKey = new Map(rows.map((row) => [row.key, row]));
  return {
    title: "Stage conversion and velocity",
    columns: [
      { key: "stage", label: "Stage", kind: "text" },
      { key: "entered", label: "Entered", kind: "count" },
      { key: "advanced", label: "Moved forward", kind: "count" },
      { key: "conversionRate", label: "Conversion", kind: "rate" },
      { key: "medianDays", label: "Median days in stage", kind: "days" },
      { key: "exits", label: "Moves out", kind: "count" },
    ],
    rows,
    chart: {
      categories: rows.map((row) => ({ key: row.key, label: row.stage })),
      series: [
        { key: "entered", label: "Entered", color: COLORS[0]! },
        { key: "advanced", label: "Moved forward", color: COLORS[2]! },
      ],
      value: (c, s) => Number(byKey.get(c)?.[s as "entered" | "advanced"] ?? 0),
      format: formatCount,
      integer: true,
    },
    secondary: {
      title: "Median days in stage (velocity)",
      categories: rows.filter((row) => row.medianDays !== null).map((row) => ({ key: row.key, label: row.stage })),
      series: [{ key: "medianDays", label: "Median days in stage", color: COLORS[3]! }],
      value: (c) => Number(byKey.get(c)?.medianDays ?? 0),
      format: (n) => `${Math.round(n * 10) / 10} d`,
    },
  };
}

/** The chart shows one currency (the filter's, else the one with the most deals); the table lists every month × currency. */
export function forecastDataset(r: ForecastReport, currency: string | null): Dataset {
  const currencies = [...new Set(r.months.map((m) => m.currency))].sort();
  const volume = (c: string) => r.months.filter((m) => m.currency === c).reduce((n, m) => n + m.count, 0);
  const largest = [...currencies].sort((a, b) => volume(b) - volume(a))[0];
  const shown = currency && currencies.includes(currency) ? currency : (largest ?? "USD");
  const inShown = r.months.filter((m) => m.currency === shown);
  const byMonth = new Map(inShown.map((m) => [m.month, m]));
  return {
    title: `Forecast by close month (${shown})`,
    columns: [
      { key: "month", label: "Close month", kind: "text" },
      { key: "currency", label: "Currency", kind: "text" },
      { key: "count", label: "Open deals", kind: "count" },
      { key: "committed", label: `Committed (≥ ${r.committedFrom} %)`, kind: "money" },
      { key: "bestCase", label: "Best case", kind: "money" },
      { key: "weighted", label: "Weighted", kind: "money" },
    ],
    rows: r.months.map((m) => ({ key: `${m.month}:${m.currency}`, month: m.month, currency: m.currency, count: m.count, committed: m.committed, bestCase: m.bestCase, weighted: m.weighted })),
    chart: {
      categories: inShown.map((m) => ({ key: m.month, label: m.month })),
      series: [
        { key: "committed", label: "Committed", color: COLORS[0]! },
        { key: "weighted", label: "Weighted", color: COLORS[2]! },
        { key: "bestCase", label: "Best case", color: "#a5b4fc" },
      ],
      value: (c, s) => Number(byMonth.get(c)?.[s as "committed" | "weighted" | "bestCase"] ?? 0),
      format: (n) => formatMoney(n, shown, { compact: true }),
      note: currencies.length > 1 ? `The chart shows ${shown}; pick a currency to see another. The table lists every currency.` : undefined,
    },
  };
}

export function activityDataset(r: ActivityVolumeReport): Dataset {
  const weeks = [...new Set(r.rows.map((x) => x.week))].sort();
  const types = [...new Set(r.rows.map((x) => x.type))].sort();
  const sums = new Map<string, number>();
  for (const x of r.rows) sums.set(`${x.week}:${x.type}`, (sums.get(`${x.week}:${x.type}`) ?? 0) + x.count);
  return {
    title: "Logged activities per week, by type",
    columns: [
      { key: "week", label: "Week of", kind: "text" },
      { key: "owner", label: "Owner", kind: "text" },
      { key: "type", label: "Type", kind: "text" },
      { key: "count", label: "Activities", kind: "count" },
    ],
    rows: r.rows.map((x) => ({ key: `${x.week}:${x.ownerId}:${x.type}`, week: x.week, owner: x.ownerName, type: x.type, count: x.count })),
    chart: {
      categories: weeks.map((w) => ({ key: w, label: w.slice(5) })),
      series: types.map((t, i) => ({ key: t, label: t[0]!.toUpperCase() + t.slice(1), color: COLORS[i % COLORS.length]! })),
      value: (c, s) => sums.get(`${c}:${s}`) ?? 0,
      format: formatCount,
      integer: true,
      stacked: true,
    },
  };
}

/** A cell as shown in the table. */
export function formatCell(col: Column, v: Cell, row: Record<string, Cell>): string {
  if (v === null || v === undefined) return "—";
  if (col.kind === "count") return formatCount(Number(v));
  if (col.kind === "rate") return `${Math.round(Number(v) * 1000) / 10} %`;
  if (col.kind === "days") return `${v} d`;
  if (col.kind === "money") return formatMoney(Number(v), col.currency ?? String(row.currency ?? "USD"), { wholeUnits: true });
  return String(v);
}

/** The table as CSV: raw numbers (minor units become major units with a dot), headers as shown. */
export function datasetCsv(d: Table): string {
  const raw = (col: Column, v: Cell, row: Record<string, Cell>) => {
    if (v === null || v === undefined) return "";
    if (col.kind === "money") {
      const currency = col.currency ?? String(row.currency ?? "USD");
      const digits = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
      return (Number(v) / 10 ** digits).toFixed(digits);
    }
    if (col.kind === "rate") return String(Math.round(Number(v) * 10000) / 10000);
    return String(v);
  };
  return toCsv(d.columns.map((c) => c.label), d.rows.map((row) => d.columns.map((c) => raw(c, row[c.key] ?? null, row))));
}
