/*
 * A list's columns from the domain model: the entity's fields marked `ui.list` (domain/), in declaration order, then
 * the workspace's custom fields shown in lists (GET /api/meta), sortable where declared (`sort=custom.<key>`). A route
 * module passes bespoke cells for the fields that read better combined (a name with its job title) and appends its
 * own trailing columns (updated, created).
 */
import { entityDecl } from "../../../domain";
import type { Column } from "./DataTable";
import { fieldDisplay, type ValueContext } from "../fields/FieldValue";
import { customFieldsOf, type Meta } from "../../lib/meta";
import type { RecordEntity } from "../../lib/records";

const dash = <span className="text-slate-500">—</span>;
const DESC_FIRST = new Set(["money", "number", "percent", "date", "datetime"]);

export function declaredColumns<R extends { id: string; custom?: Record<string, unknown> }>(
  entity: RecordEntity,
  meta: Meta | null,
  bespoke: Partial<Record<string, Column<R>>>,
  ctx: ValueContext = {},
): Column<R>[] {
  const decl = entityDecl(entity);
  const currencyOf = (row: R) => ((row as Record<string, unknown>).currency as string | null | undefined) ?? ctx.currency;
  const core = Object.entries(decl.fields)
    .filter(([, f]) => f.ui?.list)
    .map(([key, f]): Column<R> =>
      bespoke[key] ?? {
        id: key,
        header: f.label,
        sortKey: f.sort ? key : undefined,
        descendingFirst: DESC_FIRST.has(f.type),
        cell: (row) => fieldDisplay(f, (row as Record<string, unknown>)[key], { ...ctx, currency: currencyOf(row) }) ?? dash,
      },
    );
  const custom = customFieldsOf(meta, decl.key)
    .filter((m) => m.showInList)
    .map((m): Column<R> => ({
      id: `custom.${m.key}`,
      header: m.label,
      sortKey: m.sortable ? `custom.${m.key}` : undefined,
      descendingFirst: DESC_FIRST.has(m.type),
      className: "hidden lg:table-cell",
      cell: (row) => fieldDisplay(m, row.custom?.[m.key], { ...ctx, currency: currencyOf(row) }) ?? dash,
    }));
  return [...core, ...custom];
}
