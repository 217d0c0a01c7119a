import { Link } from "react-router";
import { formatCell, type Column, type Cell, type Table } from "./datasets";

/** Rows drawn at once: win/loss by account can have tens of thousands of groups; the CSV always has them all. */
const MAX_ROWS = 500;

/** Every number of a report as a table (the chart's accessible twin, and what the CSV holds). */
export function ReportTable({ dataset, testId = "report-table", empty = "Nothing in this period." }: { dataset: Table; testId?: string; empty?: string }) {
  const rows = dataset.rows.slice(0, MAX_ROWS);
  return (
    <div>
      <div className="overflow-x-auto rounded-lg border border-slate-200">
        <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid={testId}>
          <caption className="sr-only">{dataset.title}</caption>
          <thead className="bg-slate-50">
            <tr>
              {dataset.columns.map((c) => (
                <th key={c.key} scope="col" className={`px-3 py-2 font-medium whitespace-nowrap text-slate-600 ${c.kind === "text" ? "text-left" : "text-right"}`}>
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 bg-white">
            {dataset.rows.length === 0 ? (
              <tr>
                <td colSpan={dataset.columns.length} className="px-3 py-6 text-center text-slate-500">
                  {empty}
                </td>
              </tr>
            ) : (
              rows.map((row, i) => (
                <tr key={String(row.key ?? i)}>
                  {dataset.columns.map((c, j) =>
                    j === 0 ? (
                      <th key={c.key} scope="row" className="px-3 py-2 text-left font-medium whitespace-nowrap text-slate-900">
                        <CellText column={c} row={row} />
                      </th>
                    ) : (
                      <td key={c.key} data-column={c.key} className={`px-3 py-2 whitespace-nowrap tabular-nums ${c.kind === "text" ? "text-left" : "text-right"} text-slate-700`}>
                        <CellText column={c} row={row} />
                      </td>
                    ),
                  )}
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      {dataset.rows.length > MAX_ROWS && (
        <p className="mt-2 text-xs text-slate-500">
          The first {MAX_ROWS} of {dataset.rows.length.toLocaleString()} rows are shown; Export CSV has them all.
        </p>
      )}
    </div>
  );
}

function CellText({ column, row }: { column: Column; row: Record<string, Cell> }) {
  const text = formatCell(column, row[column.key] ?? null, row);
  return column.href ? (
    <Link to={column.href(row)} className="text-accent hover:underline">
      {text}
    </Link>
  ) : (
    text
  );
}
