/*
 * One entity's list as a data grid: saved views (ViewBar), columns, filters and grouping (toolbar), the virtualised
 * grid with server totals (DataGrid) or cards on a phone (GridCards), inline edits (useCellSave) and bulk actions on
 * a selection or on everything the filter matches (BulkBar, BulkProgress). The route module names the entity.
 */
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useState, useSyncExternalStore, type ReactNode } from "react";
import { Link, useSearchParams } from "react-router";
import { errorMessage } from "../../lib/api";
import { hasRole, useCurrentUser } from "../../lib/auth";
import { useAppCommands, type QuickCreateKind } from "../../lib/commands";
import { conditionsToQuery, filterFields } from "../../lib/grid-filters";
import { gridItems, selectionCsv, totalsText } from "../../lib/grid-rows";
import { useStages } from "../../lib/lookups";
import { useMeta } from "../../lib/meta";
import { qk } from "../../lib/query";
import { exportCsv, saveBlob, type RecordEntity } from "../../lib/records";
import { useGridData } from "../../lib/useGridData";
import { useGridState } from "../../lib/useGridState";
import { useUsers } from "../../lib/useUsers";
import { useViews, type BulkJob } from "../../lib/views";
import { ErrorState } from "../ErrorState";
import { PlusIcon } from "../icons";
import { PageHeader } from "../PageHeader";
import { Button, buttonClasses } from "../ui/Button";
import { Dialog } from "../ui/Dialog";
import { useToast } from "../ui/Toast";
import { BulkBar } from "./BulkBar";
import { BulkProgress } from "./BulkProgress";
import { ColumnChooser } from "./ColumnChooser";
import { defaultColumnIds, gridColumns, groupableColumns, type Row } from "./columns";
import { DataGrid } from "./DataGrid";
import { FilterBuilder } from "./FilterBuilder";
import { GridCards } from "./GridCards";
import { useCellSave } from "./useCellSave";
import { ViewBar } from "./ViewBar";
import { DownloadIcon } from "../icons";

const wide = window.matchMedia("(min-width: 768px)");
const useWide = () => useSyncExternalStore((cb) => (wide.addEventListener("change", cb), () => wide.removeEventListener("change", cb)), () => wide.matches);

export function GridPage({ entity, title, singular, createKind, extraActions }: { entity: RecordEntity; title: string; singular: string; createKind: QuickCreateKind; extraActions?: ReactNode }) {
  const user = useCurrentUser();
  const canCreate = hasRole(user, "USER");
  const commands = useAppCommands();
  const toast = useToast();
  const client = useQueryClient();
  const isWide = useWide();
  const meta = useMeta();
  const { users, nameOf } = useUsers();
  const stages = useStages() ?? [];
  const stageById = useMemo(() => new Map(stages.map((s) => [s.id, s])), [stages]);
  const names = useMemo(() => ({ userName: (id: string) => nameOf(id), stageName: (id: string) => stageById.get(id)?.name ?? "Unknown stage" }), [nameOf, stageById]);
  const all = useMemo(() => gridColumns(entity, meta, { nameOf, stageById }), [entity, meta, nameOf, stageById]);
  const defaults = useMemo(() => defaultColumnIds(all), [all]);
  const views = useViews();
  const g = useGridState(entity, defaults, views.data);
  const { state, setState } = g;
  const specs = useMemo(() => filterFields(entity, meta, { users: users.map((u) => ({ value: u.id, label: u.name })), stages: stages.map((s) => ({ value: s.id, label: `${s.pipelineName}: ${s.name}` })) }), [entity, meta, users, stages]);
  // A link may carry list filters (`/contacts?accountId=…`, `?q=`): they apply on top of the view until cleared.
  const [params, setParams] = useSearchParams();
  const linkFilters = useMemo(() => Object.fromEntries([...params].filter(([k, v]) => k !== "view" && k !== "sort" && v.trim())), [params]);
  const query = useMemo(() => ({ ...linkFilters, ...conditionsToQuery(state.filters, specs), sort: params.get("sort") ?? state.sort }), [linkFilters, state.filters, state.sort, specs, params]);
  const { rows, summary, data } = useGridData(entity, query, state.groupBy);
  const shown = useMemo(() => state.columns.map((c) => all.find((a) => a.id === c.id)).filter((c): c is NonNullable<typeof c> => !!c), [state.columns, all]);
  const sizing = useMemo(() => Object.fromEntries(state.columns.filter((c) => c.width).map((c) => [c.id, c.width!])), [state.columns]);
  const [panel, setPanel] = useState<"columns" | "filters" | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [allMatching, setAllMatching] = useState(false);
  const [anchor, setAnchor] = useState<number | null>(null);
  const [job, setJob] = useState<BulkJob | null>(null);
  const { onSave, dialog } = useCellSave(entity, names);
  // A different filter or sort is a different set of records: the selection goes.
  const queryKey = JSON.stringify(query);
  useEffect(() => {
    setSelected(new Set());
    setAllMatching(false);
  }, [queryKey]);

  const groupCol = all.find((c) => c.id === state.groupBy);
  const moneyField = all.find((c) => c.totals)?.totals;
  const groupLabel = useCallback(
    (key: string | null): ReactNode => {
      if (key === null) return `No ${groupCol?.label.toLowerCase() ?? "value"}`;
      if (state.groupBy === "stageId") return stageById.get(key)?.name ?? key;
      if (state.groupBy === "ownerId" || groupCol?.type === "user") return nameOf(key);
      return groupCol?.field?.options?.find((o) => o.value === key)?.label ?? key;
    },
    [state.groupBy, groupCol, stageById, nameOf],
  );
  const items = useMemo(() => gridItems(data as Row[], state.groupBy, summary.data, groupLabel, moneyField), [data, state.groupBy, summary.data, groupLabel, moneyField]);
  const rowOrder = useMemo(() => items.flatMap((i) => (i.kind === "row" ? [i.row] : [])), [items]);
  const totals = useMemo(() => Object.fromEntries(shown.filter((c) => c.totals).map((c) => [c.id, totalsText(summary.data?.totals, c.totals!)])), [shown, summary.data]);
  const count = summary.data?.count;
  const onEndReached = useCallback(() => {
    if (rows.hasNextPage && !rows.isFetchingNextPage) void rows.fetchNextPage();
  }, [rows]);

  const select = (row: Row, index: number, shift: boolean) => {
    setAllMatching(false);
    const next = new Set(selected);
    if (shift && anchor !== null) {
      const [a, b] = anchor < index ? [anchor, index] : [index, anchor];
      for (const r of rowOrder.slice(a, b + 1)) next.add(r.id);
    } else if (next.has(row.id)) next.delete(row.id);
    else next.add(row.id);
    setAnchor(index);
    setSelected(next);
  };
  const allLoadedSelected = rowOrder.length > 0 && rowOrder.every((r) => selected.has(r.id));
  const { sort: _sort, ...filterOnly } = query;
  const target = { ids: allMatching ? null : [...selected], filter: filterOnly, count: allMatching ? (count ?? 0) : selected.size };
  const createButton = canCreate && (
    <Button variant="primary" onClick={() => commands.openQuickCreate(createKind)} className="max-md:fixed max-md:right-4 max-md:bottom-4 max-md:z-30 max-md:shadow-lg">
      <PlusIcon className="size-4" />
      New {singular}
    </Button>
  );
  const filterBuilder = <FilterBuilder specs={specs} value={state.filters} onChange={(filters) => setState({ filters })} />;

  return (
    <div className="space-y-3 px-4 py-4 sm:px-6">
      <PageHeader
        title={title}
        actions={
          <>
            {extraActions}
            <Link to={`/trash/${entity}`} className={buttonClasses("ghost", "md", "max-md:hidden")}>Recently deleted</Link>
            {canCreate && <Link to={`/import?entity=${entity}`} className={buttonClasses("secondary", "md")}>Import</Link>}
            <ExportButton onExport={() => exportCsv(entity, query)} label={title} />
            {createButton}
          </>
        }
      />
      <ViewBar entity={entity} views={g.views} current={g.view} state={state} dirty={g.dirty} onSelect={g.selectView} onSaved={(v) => g.selectView(v.id)} />
      <div className="flex flex-wrap items-center gap-2">
        <Button size="sm" aria-expanded={panel === "filters"} onClick={() => setPanel(panel === "filters" ? null : "filters")}>
          Filters{state.filters.length > 0 && ` (${state.filters.length})`}
        </Button>
        {isWide && (
          <Button size="sm" aria-expanded={panel === "columns"} onClick={() => setPanel(panel === "columns" ? null : "columns")}>
            Columns
          </Button>
        )}
        <label className="flex items-center gap-1.5 text-sm text-slate-700">
          Group by
          <select aria-label="Group by" className="h-8 rounded-md border border-slate-300 bg-white px-2 text-sm text-slate-900" value={state.groupBy ?? ""} onChange={(e) => setState({ groupBy: e.target.value || null })}>
            <option value="">Nothing</option>
            {groupableColumns(all).map((c) => <option key={c.id} value={c.id}>{c.label}</option>)}
          </select>
        </label>
        {Object.keys(linkFilters).length > 0 && (
          <button type="button" className="rounded-full bg-slate-100 px-2.5 py-1 text-xs text-slate-800" onClick={() => setParams(params.get("view") ? { view: params.get("view")! } : {})}>
            From the link: {Object.entries(linkFilters).map(([k, v]) => `${k} “${v}”`).join(", ")} <span aria-hidden="true">×</span>
            <span className="sr-only">(clear)</span>
          </button>
        )}
        <span className="ml-auto text-sm text-slate-600" aria-live="polite" data-testid="grid-count">
          {count === undefined ? "…" : `${count.toLocaleString()} ${count === 1 ? singular : title.toLowerCase()}`}
          {rowOrder.length > 0 && count !== undefined && rowOrder.length < count && ` · ${rowOrder.length.toLocaleString()} loaded`}
        </span>
      </div>
      {panel === "filters" && isWide && <div className="rounded-lg border border-slate-200 bg-white p-3">{filterBuilder}</div>}
      {panel === "filters" && !isWide && (
        <Dialog title="Filters" onClose={() => setPanel(null)} footer={<Button variant="primary" onClick={() => setPanel(null)}>Show results</Button>}>
          {filterBuilder}
        </Dialog>
      )}
      {panel === "columns" && isWide && (
        <div className="rounded-lg border border-slate-200 bg-white p-3">
          <ColumnChooser all={all} shown={state.columns.map((c) => c.id)} onChange={(ids) => setState({ columns: ids.map((id) => state.columns.find((c) => c.id === id) ?? { id }) })} />
        </div>
      )}
      {(selected.size > 0 || allMatching) && (
        <div className="space-y-1">
          <BulkBar
            entity={entity}
            target={target}
            stages={stages}
            columns={all}
            onStarted={(j) => { setJob(j); setSelected(new Set()); setAllMatching(false); }}
            onClear={() => { setSelected(new Set()); setAllMatching(false); }}
            onExport={async () => {
              try {
                if (allMatching) await exportCsv(entity, query);
                else saveBlob(new Blob([selectionCsv(rowOrder.filter((r) => selected.has(r.id)), shown, names)], { type: "text/csv" }), `${entity}-selection.csv`);
              } catch (err) {
                toast.error(errorMessage(err));
              }
            }}
          />
          {!allMatching && allLoadedSelected && count !== undefined && count > 0 && (
            <button type="button" className="text-sm font-medium text-accent underline" onClick={() => setAllMatching(true)}>
              Select all {count.toLocaleString()} matching the filter
            </button>
          )}
        </div>
      )}
      {job && (
        <BulkProgress
          job={job}
          onDismiss={() => setJob(null)}
          onDone={(j) => {
            void client.invalidateQueries({ queryKey: qk.records(entity) });
            if (j.failed === 0) toast.success(`Changed ${j.succeeded.toLocaleString()} ${title.toLowerCase()}.`);
          }}
        />
      )}
      {rows.isError ? (
        <ErrorState title={`Couldn’t load ${title.toLowerCase()}`} error={rows.error} onRetry={() => void rows.refetch()} />
      ) : isWide ? (
        <DataGrid
          entity={entity}
          caption={title}
          columns={shown}
          sizing={sizing}
          onSizingChange={(s) => setState({ columns: state.columns.map((c) => (s[c.id] ? { ...c, width: Math.round(s[c.id]!) } : c)) })}
          items={items}
          sort={query.sort}
          onSort={(sort) => {
            if (params.has("sort")) setParams(Object.fromEntries([...params].filter(([k]) => k !== "sort")));
            setState({ sort });
          }}
          selected={selected}
          allSelected={allLoadedSelected || allMatching}
          onSelect={select}
          onSelectAll={() => { setAllMatching(false); setSelected(allLoadedSelected ? new Set() : new Set(rowOrder.map((r) => r.id))); }}
          totals={totals}
          onSave={onSave}
          onEndReached={onEndReached}
          busy={rows.isPlaceholderData}
        />
      ) : (
        <GridCards entity={entity} items={items} columns={shown} hasMore={!!rows.hasNextPage} loadMore={onEndReached} loading={rows.isFetchingNextPage} />
      )}
      {dialog}
    </div>
  );
}

/** Downloads every record the grid's filters select (not just the loaded rows) as CSV, in the grid's order. */
function ExportButton({ onExport, label }: { onExport: () => Promise<string>; label: string }) {
  const toast = useToast();
  const [pending, setPending] = useState(false);
  return (
    <Button
      loading={pending}
      className="max-md:hidden"
      title={`Download the ${label.toLowerCase()} matching the filters as a CSV file`}
      onClick={async () => {
        setPending(true);
        try {
          toast.success(`Downloading ${label.toLowerCase()} as ${await onExport()}.`);
        } catch (error) {
          toast.error(`Couldn’t export ${label.toLowerCase()}: ${errorMessage(error)}`);
        } finally {
          setPending(false);
        }
      }}
    >
      {!pending && <DownloadIcon className="size-4" />}
      Export CSV
    </Button>
  );
}
