/* The grid on a phone: one card per record with its first few columns, loaded page by page. */
import { Link } from "react-router";
import type { RecordEntity } from "../../lib/records";
import { Button } from "../ui/Button";
import type { GridColumn } from "./columns";
import type { GridItem } from "./DataGrid";

export function GridCards({ entity, items, columns, hasMore, loadMore, loading }: { entity: RecordEntity; items: readonly GridItem[]; columns: readonly GridColumn[]; hasMore: boolean; loadMore: () => void; loading: boolean }) {
  const primary = columns.find((c) => c.primary) ?? columns[0];
  const rest = columns.filter((c) => c !== primary).slice(0, 4);
  return (
    <div className="space-y-2">
      <ul className="space-y-2" aria-label="Records">
        {items.map((item) =>
          item.kind === "group" ? (
            <li key={`g:${item.group.key}`} className="flex items-center gap-2 pt-2 text-xs font-semibold text-slate-700">
              {item.group.label} <span className="font-normal">{item.group.count.toLocaleString()}</span> <span className="tabular">{item.group.totals}</span>
            </li>
          ) : (
            <li key={item.row.id}>
              <Link to={`/${entity}/${item.row.id}`} className="block rounded-lg border border-slate-200 bg-white p-3 shadow-xs">
                <span className="block truncate font-medium text-slate-900">{primary?.render(item.row)}</span>
                <dl className="mt-1 grid grid-cols-2 gap-x-3 gap-y-1 text-xs">
                  {rest.map((c) => (
                    <div key={c.id} className="min-w-0">
                      <dt className="text-slate-600">{c.label}</dt>
                      <dd className="truncate text-slate-800">{c.render(item.row)}</dd>
                    </div>
                  ))}
                </dl>
              </Link>
            </li>
          ),
        )}
      </ul>
      {hasMore && (
        <Button className="w-full" loading={loading} onClick={loadMore}>
          Load more
        </Button>
      )}
    </div>
  );
}
