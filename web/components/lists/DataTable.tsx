import type { KeyboardEvent, MouseEvent, ReactNode } from "react";
import { Link } from "react-router";
import { ChevronDownIcon, ChevronUpIcon, SortIcon } from "../icons";

export interface Column<T> {
  id: string;
  header: string;
  /** API sort key (e.g. "name", "updatedAt"); makes the header a sort button. */
  sortKey?: string;
  /** First click sorts descending (dates, amounts) rather than ascending (names). */
  descendingFirst?: boolean;
  cell: (row: T) => ReactNode;
  /** Extra classes for both th and td (e.g. "hidden md:table-cell" for columns that phones skip). */
  className?: string;
}

export interface DataTableProps<T extends { id: string }> {
  caption: string;
  rows: readonly T[];
  columns: readonly Column<T>[];
  /** Current sort, e.g. "-updatedAt". */
  sort: string;
  onSort: (sort: string) => void;
  /** The record page of a row; the first column's content links there, and a click or Enter anywhere on the row opens it. */
  rowHref: (row: T) => string;
  onOpen: (row: T) => void;
  busy?: boolean;
}

/** A sortable table whose rows open their record (click, or Enter on a focused row; ↑/↓ move between rows). */
export function DataTable<T extends { id: string }>({ caption, rows, columns, sort, onSort, rowHref, onOpen, busy = false }: DataTableProps<T>) {
  const descending = sort.startsWith("-");
  const sortKey = sort.replace(/^-/, "");

  function toggle(column: Column<T>) {
    if (!column.sortKey) return;
    if (column.sortKey === sortKey) onSort(descending ? column.sortKey : `-${column.sortKey}`);
    else onSort(column.descendingFirst ? `-${column.sortKey}` : column.sortKey);
  }

  function onRowKeyDown(event: KeyboardEvent<HTMLTableRowElement>, row: T) {
    if (event.target !== event.currentTarget) return;
    if (event.key === "Enter") {
      event.preventDefault();
      onOpen(row);
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const sibling = event.key === "ArrowDown" ? event.currentTarget.nextElementSibling : event.currentTarget.previousElementSibling;
      (sibling as HTMLElement | null)?.focus();
    }
  }

  function onRowClick(event: MouseEvent<HTMLTableRowElement>, row: T) {
    // Links and buttons inside the row do their own thing; a text selection is not a click.
    if ((event.target as HTMLElement).closest("a, button, input, select, textarea")) return;
    if (window.getSelection()?.toString()) return;
    onOpen(row);
  }

  return (
    <div className={`relative overflow-x-auto transition-opacity ${busy ? "opacity-60" : ""}`}>
      <table className="w-full min-w-[40rem] border-separate border-spacing-0 text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            {columns.map((column) => {
              const active = column.sortKey && column.sortKey === sortKey;
              return (
                <th
                  key={column.id}
                  scope="col"
                  aria-sort={active ? (descending ? "descending" : "ascending") : column.sortKey ? "none" : undefined}
                  className={`sticky top-0 z-10 border-b border-slate-200 bg-slate-50 px-4 py-2.5 text-xs font-medium whitespace-nowrap text-slate-500 first:pl-4 sm:first:pl-6 ${column.className ?? ""}`}
                >
                  {column.sortKey ? (
                    <button type="button" onClick={() => toggle(column)} className="-mx-1 inline-flex items-center gap-1 rounded px-1 hover:text-slate-900">
                      {column.header}
                      {active ? (
                        descending ? (
                          <ChevronDownIcon className="size-3.5 text-slate-700" />
                        ) : (
                          <ChevronUpIcon className="size-3.5 text-slate-700" />
                        )
                      ) : (
                        <SortIcon className="size-3.5 text-slate-300" />
                      )}
                      {!active && <span className="sr-only">, sortable</span>}
                    </button>
                  ) : (
                    column.header
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr
              key={row.id}
              tabIndex={0}
              onClick={(e) => onRowClick(e, row)}
              onKeyDown={(e) => onRowKeyDown(e, row)}
              className="group cursor-pointer bg-white outline-offset-[-2px] hover:bg-slate-50 focus-visible:bg-accent-soft"
            >
              {columns.map((column, i) => (
                <td key={column.id} className={`border-b border-slate-100 px-4 py-3 align-middle text-slate-700 first:pl-4 sm:first:pl-6 ${column.className ?? ""}`}>
                  {i === 0 ? (
                    <Link to={rowHref(row)} tabIndex={-1} className="font-medium text-slate-900 group-hover:underline">
                      {column.cell(row)}
                    </Link>
                  ) : (
                    column.cell(row)
                  )}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
