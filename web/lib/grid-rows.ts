/* Pure helpers of the grid: grouped row lists, totals text, CSV of a selection. */
import type { GridColumn, Row } from "../components/grid/columns";
import type { GridGroup, GridItem } from "../components/grid/DataGrid";
import { toCsv } from "./csv";
import { formatMoney, fromMinorUnits } from "./format";
import type { ListSummary } from "./views";

type Totals = ListSummary["totals"];

/** "$12,500.00 · €700.00" for one money field. */
export function totalsText(totals: Totals | undefined, field: string): string {
  const t = totals?.find((x) => x.field === field);
  return t ? t.sums.map((s) => formatMoney(s.amount, s.currency || "USD")).join(" · ") : "";
}

/** The value a row groups under (as the summary keys it). */
export function groupKeyOf(row: Row, groupBy: string): string | null {
  const v = groupBy.startsWith("custom.") ? row.custom?.[groupBy.slice(7)] : row[groupBy];
  return v === null || v === undefined ? null : String(v);
}

/**
 * The virtual list's items: without grouping, the rows; with it, each group's header (the server's count and
 * totals, in the server's order) followed by its loaded rows.
 */
export function gridItems(rows: readonly Row[], groupBy: string | null, summary: ListSummary | undefined, label: (key: string | null) => GridGroup["label"], moneyField?: string): GridItem[] {
  if (!groupBy) return rows.map((row, index) => ({ kind: "row", row, index }));
  const byKey = new Map<string | null, Row[]>();
  for (const r of rows) {
    const k = groupKeyOf(r, groupBy);
    byKey.set(k, [...(byKey.get(k) ?? []), r]);
  }
  const order = [...(summary?.groups.map((g) => g.key) ?? []), ...byKey.keys()].filter((k, i, all) => all.indexOf(k) === i);
  const out: GridItem[] = [];
  let index = 0;
  for (const key of order) {
    const g = summary?.groups.find((x) => x.key === key);
    out.push({ kind: "group", group: { key, label: label(key), count: g?.count ?? byKey.get(key)?.length ?? 0, totals: moneyField ? totalsText(g?.totals, moneyField) : "" } });
    for (const row of byKey.get(key) ?? []) out.push({ kind: "row", row, index: index++ });
  }
  return out;
}

/** The plain text of a cell for CSV. */
export function cellText(row: Row, c: GridColumn, names: { userName: (id: string) => string; stageName: (id: string) => string }): string {
  const v = c.id.startsWith("custom.") ? row.custom?.[c.id.slice(7)] : row[c.id];
  if (v === null || v === undefined) return "";
  if (c.id === "ownerId") return names.userName(String(v));
  if (c.id === "stageId") return names.stageName(String(v));
  if (c.type === "money" && typeof v === "number" && !c.id.startsWith("custom.")) return String(fromMinorUnits(v, (row.currency as string) ?? "USD"));
  return Array.isArray(v) ? v.join("; ") : String(v);
}

export function selectionCsv(rows: readonly Row[], columns: readonly GridColumn[], names: Parameters<typeof cellText>[2]): string {
  return toCsv(["id", ...columns.map((c) => c.label)], rows.map((r) => [r.id, ...columns.map((c) => cellText(r, c, names))]));
}
