/*
 * The virtualised data grid: @tanstack/react-table for columns (order, sizes, resizing) and @tanstack/react-virtual
 * for rows, so 10,000 loaded rows render only the few dozen on screen. Group headers (with the server's counts and
 * totals) are rows of the same virtual list; the totals row is pinned under the header. Cells edit in place
 * (GridCell); a checkbox column selects rows, shift-click selecting a range.
 */
import { columnResizingFeature, columnSizingFeature, tableFeatures, useTable, type ColumnSizingState } from "@tanstack/react-table";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useMemo, useRef, type ReactNode } from "react";
import { Link } from "react-router";
import type { RecordEntity } from "../../lib/records";
import { ChevronDownIcon, ChevronUpIcon, SortIcon } from "../icons";
import type { GridColumn, Row } from "./columns";
import { GridCell, type CellSave } from "./GridCell";

export interface GridGroup {
  key: string | null;
  label: ReactNode;
  count: number;
  totals: string;
}

export type GridItem = { kind: "group"; group: GridGroup } | { kind: "row"; row: Row; index: number };

export interface DataGridProps {
  entity: RecordEntity;
  caption: string;
  columns: readonly GridColumn[];
  sizing: ColumnSizingState;
  onSizingChange: (sizing: ColumnSizingState) => void;
  items: readonly GridItem[];
  sort: string;
  onSort: (sort: string) => void;
  selected: ReadonlySet<string>;
  allSelected: boolean;
  onSelect: (row: Row, index: number, shift: boolean) => void;
  onSelectAll: () => void;
  totals: Record<string, ReactNode>;
  onSave: CellSave;
  onEndReached: () => void;
  busy?: boolean;
}

const ROW_H = 40;
// The table model handles columns only (sizes, resizing); rows are the virtual list's.
const FEATURES = tableFeatures({ columnSizingFeature, columnResizingFeature });
const NO_ROWS: Row[] = [];
const CHECK_W = 44;

export function DataGrid(p: DataGridProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const defs = useMemo(() => p.columns.map((c) => ({ id: c.id, size: c.width, minSize: 60, maxSize: 800 })), [p.columns]);
  const table = useTable({
    features: FEATURES,
    data: NO_ROWS,
    columns: defs,
    state: { columnSizing: p.sizing },
    onColumnSizingChange: (u: ColumnSizingState | ((old: ColumnSizingState) => ColumnSizingState)) => p.onSizingChange(typeof u === "function" ? u(p.sizing) : u),
    columnResizeMode: "onChange",
  });
  const headers = table.getFlatHeaders();
  const widthOf = (id: string) => table.getColumn(id)?.getSize() ?? 160;
  const total = CHECK_W + p.columns.reduce((n, c) => n + widthOf(c.id), 0);

  const virtual = useVirtualizer({ count: p.items.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_H, overscan: 12 });
  const vItems = virtual.getVirtualItems();
  const last = vItems.at(-1)?.index ?? 0;
  useEffect(() => {
    if (p.items.length > 0 && last >= p.items.length - 30) p.onEndReached();
  }, [last, p.items.length, p.onEndReached]); // eslint-disable-line react-hooks/exhaustive-deps

  const descending = p.sort.startsWith("-");
  const sortKey = p.sort.replace(/^-/, "");
  const toggleSort = (c: GridColumn) => {
    if (!c.sortKey) return;
    if (c.sortKey === sortKey) p.onSort(descending ? c.sortKey : `-${c.sortKey}`);
    else p.onSort(c.descendingFirst ? `-${c.sortKey}` : c.sortKey);
  };
  const rowCount = p.items.filter((i) => i.kind === "row").length;

  return (
    <div ref={scrollRef} role="table" aria-label={p.caption} aria-rowcount={rowCount + 1} className={`relative h-[calc(100dvh-16rem)] min-h-80 overflow-auto rounded-lg border border-slate-200 bg-white text-sm transition-opacity ${p.busy ? "opacity-70" : ""}`}>
      <div style={{ width: total }} className="sticky top-0 z-20">
        <div role="row" className="flex border-b border-slate-200 bg-slate-50">
          <div role="columnheader" style={{ width: CHECK_W }} className="flex shrink-0 items-center justify-center">
            <input type="checkbox" aria-label="Select all loaded rows" checked={p.allSelected} onChange={p.onSelectAll} className="size-4" />
          </div>
          {p.columns.map((c, i) => {
            const active = c.sortKey && c.sortKey === sortKey;
            const header = headers[i];
            return (
              <div key={c.id} role="columnheader" aria-sort={active ? (descending ? "descending" : "ascending") : undefined} style={{ width: widthOf(c.id) }} className="group relative flex shrink-0 items-center px-3 py-2 text-xs font-medium text-slate-600">
                {c.sortKey ? (
                  <button type="button" onClick={() => toggleSort(c)} className="inline-flex min-w-0 items-center gap-1 rounded hover:text-slate-900">
                    <span className="truncate">{c.label}</span>
                    {active ? descending ? <ChevronDownIcon className="size-3.5 shrink-0" /> : <ChevronUpIcon className="size-3.5 shrink-0" /> : <SortIcon className="size-3.5 shrink-0 text-slate-400" />}
                  </button>
                ) : (
                  <span className="truncate">{c.label}</span>
                )}
                {header && (
                  <div
                    role="separator"
                    aria-label={`Resize ${c.label}`}
                    onMouseDown={header.getResizeHandler()}
                    onTouchStart={header.getResizeHandler()}
                    className="absolute top-0 right-0 h-full w-1.5 cursor-col-resize bg-transparent hover:bg-accent/40"
                  />
                )}
              </div>
            );
          })}
        </div>
        {Object.keys(p.totals).length > 0 && (
          <div role="row" data-testid="totals-row" className="flex border-b border-slate-200 bg-slate-50 text-xs font-semibold text-slate-800">
            <div role="cell" style={{ width: CHECK_W }} className="shrink-0" />
            {p.columns.map((c, i) => (
              <div key={c.id} role="cell" title={typeof p.totals[c.id] === "string" ? (p.totals[c.id] as string) : undefined} style={{ width: widthOf(c.id) }} className="shrink-0 truncate px-3 py-1.5 tabular">
                {p.totals[c.id] ?? (i === 0 ? "Total" : null)}
              </div>
            ))}
          </div>
        )}
      </div>
      <div style={{ height: virtual.getTotalSize(), width: total }} className="relative">
        {vItems.map((v) => {
          const item = p.items[v.index]!;
          const style = { transform: `translateY(${v.start}px)`, height: ROW_H, width: total };
          if (item.kind === "group") {
            return (
              <div key={`g:${item.group.key}`} role="row" style={style} className="absolute top-0 left-0 flex items-center gap-3 border-b border-slate-200 bg-slate-100 px-3 text-xs font-semibold text-slate-800">
                <span role="cell" className="flex items-center gap-2">
                  {item.group.label}
                  <span className="font-normal text-slate-600">{item.group.count.toLocaleString()}</span>
                  {item.group.totals && <span className="tabular text-slate-700">{item.group.totals}</span>}
                </span>
              </div>
            );
          }
          const { row, index } = item;
          const checked = p.selected.has(row.id);
          return (
            <div key={row.id} role="row" aria-selected={checked} style={style} className={`absolute top-0 left-0 flex border-b border-slate-100 ${checked ? "bg-accent-soft" : "bg-white hover:bg-slate-50"}`}>
              <div role="cell" style={{ width: CHECK_W }} className="flex shrink-0 items-center justify-center">
                <input
                  type="checkbox"
                  aria-label={`Select row ${index + 1}`}
                  checked={checked}
                  onChange={() => undefined}
                  onClick={(e) => p.onSelect(row, index, e.shiftKey)}
                  className="size-4"
                />
              </div>
              {p.columns.map((c) => (
                <div key={c.id} role="cell" style={{ width: widthOf(c.id) }} className="flex shrink-0 items-center overflow-hidden px-0">
                  {c.primary ? (
                    <Link to={`/${p.entity}/${row.id}`} className="truncate px-3 font-medium text-slate-900 hover:underline">
                      {c.render(row)}
                    </Link>
                  ) : (
                    <GridCell row={row} column={c} onSave={p.onSave} />
                  )}
                </div>
              ))}
            </div>
          );
        })}
      </div>
    </div>
  );
}
