import { useMemo } from "react";
import { Link, useSearchParams } from "react-router";
import type { ActivityVolumeReport, ConversionReport, ForecastReport, PipelineByStageReport, PipelineOverTimeReport, RottingReport, WinLossQuery, WinLossReport } from "../../worker/schemas/reports";
import { ErrorState } from "../components/ErrorState";
import { PageHeader } from "../components/PageHeader";
import { BarChart } from "../components/reports/BarChart";
import { activityDataset, conversionDataset, datasetCsv, forecastDataset, GROUP_LABEL, pipelineDataset, pipelineOverTimeDataset, winLossDataset, type Dataset, type Table } from "../components/reports/datasets";
import { ReportFilterBar, type FilterValues } from "../components/reports/ReportFilterBar";
import { ReportTable } from "../components/reports/ReportTable";
import { rottingDataset } from "../components/reports/rotting";
import { Button } from "../components/ui/Button";
import { SelectField } from "../components/ui/SelectField";
import { Skeleton } from "../components/ui/Skeleton";
import { apiRequest } from "../lib/api";
import { formatDateOnly } from "../lib/format";
import { listUsers } from "../lib/records";
import { useResource } from "../lib/useResource";

const REPORTS = [
  { key: "win-loss", label: "Win / loss" },
  { key: "pipeline-by-stage", label: "Pipeline by stage" },
  { key: "pipeline-over-time", label: "Pipeline over time" },
  { key: "conversion", label: "Conversion & velocity" },
  { key: "forecast", label: "Forecast" },
  { key: "activity-volume", label: "Activity volume" },
  { key: "rotting", label: "Rotting deals" },
] as const;
type ReportKey = (typeof REPORTS)[number]["key"];
type GroupBy = WinLossQuery["groupBy"];
// Listed here, not imported from the contract: a value import would pull zod into this chunk (types cost nothing).
const winLossGroupBys = ["owner", "account", "reason", "pipeline", "source", "month"] as const satisfies readonly GroupBy[];
const FILTER_KEYS = ["from", "to", "pipelineId", "ownerId", "currency"] as const;

/**
 * /reports — one report at a time (?report=), its filters, the win/loss grouping and the chart/table view all in the
 * URL, so a report can be bookmarked and shared. Numbers come from GET /api/reports/<name>; CSV is the table's numbers.
 */
export default function ReportsRoute() {
  const [params, setParams] = useSearchParams();
  const report: ReportKey = REPORTS.some((r) => r.key === params.get("report")) ? (params.get("report") as ReportKey) : "win-loss";
  const groupBy: GroupBy = (winLossGroupBys as readonly string[]).includes(params.get("groupBy") ?? "") ? (params.get("groupBy") as GroupBy) : "owner";
  const view = params.get("view") === "table" ? "table" : "chart";
  const filters: FilterValues = { from: params.get("from") ?? "", to: params.get("to") ?? "", pipelineId: params.get("pipelineId") ?? "", ownerId: params.get("ownerId") ?? "", currency: params.get("currency") ?? "" };

  const set = (changes: Record<string, string>) =>
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        for (const [k, v] of Object.entries(changes)) if (v) next.set(k, v);
        else next.delete(k);
        return next;
      },
      { replace: true },
    );

  const query: Record<string, string> = Object.fromEntries(FILTER_KEYS.map((k) => [k, filters[k]]).filter(([, v]) => v));
  if (report === "win-loss") query.groupBy = groupBy;
  const key = `report:${report}:${new URLSearchParams(query).toString()}`;
  // The answer carries the report it belongs to: while another loads, the previous one stays on screen as it was.
  const data = useResource(key, async (signal) => ({ report, body: await apiRequest<unknown>(`/api/reports/${report}`, { signal, query }) }), { keepPreviousData: true });
  // The pipeline and currency choices: every open stage names its pipeline, every amount its currency.
  const catalogue = useResource("report:catalogue", (signal) => apiRequest<PipelineByStageReport>("/api/reports/pipeline-by-stage", { signal }));
  const people = useResource("report:users", (signal) => listUsers({ signal }));

  const pipelines = useMemo(() => {
    const m = new Map<string, string>();
    for (const s of catalogue.data?.stages ?? []) m.set(s.pipelineId, s.pipelineName);
    return [...m].map(([id, name]) => ({ id, name }));
  }, [catalogue.data]);
  const currencies = useMemo(() => [...new Set([...(catalogue.data?.stages ?? []).flatMap((s) => s.amounts.map((a) => a.currency)), ...(filters.currency ? [filters.currency] : [])])].sort(), [catalogue.data, filters.currency]);

  // pipelineId / ownerId too: the rotting list's link to the board carries them.
  const dataset: Dataset | null = useMemo(() => {
    if (!data.data || data.status === "error") return null;
    const { report: shown, body } = data.data;
    if (shown === "win-loss") return winLossDataset(body as WinLossReport);
    if (shown === "pipeline-by-stage") return pipelineDataset(body as PipelineByStageReport);
    if (shown === "pipeline-over-time") return pipelineOverTimeDataset(body as PipelineOverTimeReport);
    if (shown === "conversion") return conversionDataset(body as ConversionReport);
    if (shown === "forecast") return forecastDataset(body as ForecastReport, filters.currency || null);
    if (shown === "rotting") return rottingDataset(body as RottingReport, filters);
    return activityDataset(body as ActivityVolumeReport);
  }, [data.data, data.status, filters.currency, filters.pipelineId, filters.ownerId]);
  const period = (data.data?.body as { period?: { from: string; to: string } | null } | undefined)?.period ?? null;

  /** The table's CSV, or (`list`) the CSV of the records listed under it. */
  function downloadCsv(table: Table | undefined, what = "") {
    if (!table) return;
    const url = URL.createObjectURL(new Blob([datasetCsv(table)], { type: "text/csv" }));
    const suffix = `${report === "win-loss" ? `-by-${groupBy}` : ""}${what ? `-${what}` : ""}`;
    const asOf = (data.data?.body as { asOf?: string } | undefined)?.asOf?.slice(0, 10);
    const dates = period ? `-${period.from}-to-${period.to}` : asOf ? `-${asOf}` : "";
    const a = Object.assign(document.createElement("a"), { href: url, download: `${report}${suffix}${dates}.csv` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  return (
    <div>
      <PageHeader title="Reports" description="Win rates, pipeline, conversion, forecast, activity and rotting deals — filter, switch to a table, export." />
      <div className="mx-auto w-full max-w-7xl space-y-4 px-4 py-6 sm:px-6">
        <nav aria-label="Reports" className="-mx-1 flex gap-1 overflow-x-auto pb-1">
          {REPORTS.map((r) => (
            <button
              key={r.key}
              type="button"
              aria-pressed={r.key === report}
              onClick={() => set({ report: r.key })}
              className={`shrink-0 rounded-md px-3 py-1.5 text-sm font-medium whitespace-nowrap ${r.key === report ? "bg-slate-900 text-white" : "text-slate-600 hover:bg-slate-100 hover:text-slate-900"}`}
            >
              {r.label}
            </button>
          ))}
        </nav>

        <section className="rounded-lg border border-slate-200 bg-white p-4 shadow-xs">
          <ReportFilterBar
            values={filters}
            pipelines={pipelines}
            owners={(people.data ?? []).map((u) => ({ id: u.id, name: u.name }))}
            currencies={currencies}
            onChange={(changes) => set(changes as Record<string, string>)}
          />
        </section>

        <section aria-labelledby="report-title" className="rounded-lg border border-slate-200 bg-white p-4 shadow-xs" aria-busy={data.isRefreshing || data.status === "loading"}>
          <div className="mb-4 flex flex-wrap items-end justify-between gap-3">
            <div>
              <h2 id="report-title" className="text-base font-semibold text-slate-900">
                {dataset?.title ?? REPORTS.find((r) => r.key === report)!.label}
              </h2>
              <p className="text-sm text-slate-500" data-testid="report-period">
                {period
                  ? `${report === "pipeline-by-stage" || report === "rotting" ? "Open deals closing " : ""}${formatDateOnly(period.from)} – ${formatDateOnly(addDays(period.to, -1))}`
                  : report === "pipeline-by-stage" || report === "rotting"
                    ? "Every open deal, now"
                    : "\u00a0"}
              </p>
            </div>
            <div className="flex flex-wrap items-end gap-2">
              {report === "win-loss" && (
                <SelectField label="Group by" value={groupBy} onChange={(e) => set({ groupBy: e.target.value })} className="w-40">
                  {winLossGroupBys.map((g) => (
                    <option key={g} value={g}>
                      {GROUP_LABEL[g]}
                    </option>
                  ))}
                </SelectField>
              )}
              <div role="group" aria-label="View" className="flex h-9 items-center gap-1 rounded-md bg-slate-100 p-0.5">
                {(["chart", "table"] as const).map((v) => (
                  <button
                    key={v}
                    type="button"
                    aria-pressed={view === v}
                    onClick={() => set({ view: v === "chart" ? "" : v })}
                    className={`rounded px-2.5 py-1 text-sm font-medium ${view === v ? "bg-white text-slate-900 shadow-xs" : "text-slate-600 hover:text-slate-900"}`}
                  >
                    {v === "chart" ? "Chart" : "Table"}
                  </button>
                ))}
              </div>
              <Button size="md" onClick={() => downloadCsv(dataset ?? undefined)} disabled={!dataset}>
                Export CSV
              </Button>
            </div>
          </div>

          {data.status === "error" ? (
            <ErrorState title="Couldn’t load this report" error={data.error} onRetry={data.reload} />
          ) : !dataset ? (
            <Skeleton className="h-72 rounded-lg" />
          ) : view === "table" ? (
            <ReportTable dataset={dataset} />
          ) : dataset.chart.categories.length === 0 ? (
            <p className="py-16 text-center text-sm text-slate-500">Nothing in this period.</p>
          ) : (
            <>
              <BarChart title={dataset.title} {...dataset.chart} />
              {dataset.chart.note && <p className="mt-2 text-xs text-slate-500">{dataset.chart.note}</p>}
              {dataset.secondary && dataset.secondary.categories.length > 0 && (
                <div className="mt-6">
                  <h3 className="mb-2 text-sm font-semibold text-slate-900">{dataset.secondary.title}</h3>
                  <BarChart {...dataset.secondary} height={220} />
                </div>
              )}
            </>
          )}
          {dataset?.list && data.status !== "error" && (
            <section aria-labelledby="report-list-title" className="mt-6">
              <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
                <h3 id="report-list-title" className="text-sm font-semibold text-slate-900">
                  {dataset.list.title}
                </h3>
                <div className="flex items-center gap-3">
                  {dataset.list.more && (
                    <Link to={dataset.list.more.to} className="text-sm text-accent hover:underline">
                      {dataset.list.more.label}
                    </Link>
                  )}
                  <Button size="sm" onClick={() => downloadCsv(dataset.list, dataset.list!.key)} disabled={dataset.list.rows.length === 0}>
                    Export {dataset.list.key} CSV
                  </Button>
                </div>
              </div>
              <ReportTable dataset={dataset.list} testId={`report-${dataset.list.key}`} empty={dataset.list.empty} />
            </section>
          )}
        </section>
      </div>
    </div>
  );
}

function addDays(day: string, n: number): string {
  return new Date(Date.parse(day) + n * 86_400_000).toISOString().slice(0, 10);
}
