import { Link } from "react-router";
import type { DealWatch as DealWatchData } from "../../../worker/schemas/reports";
import { formatCount, formatDateOnly, formatMoney, pluralize } from "../../lib/format";

const day = (iso: string, delta = 0) => new Date(Date.parse(iso.slice(0, 10)) + delta * 86_400_000).toISOString().slice(0, 10);

/** The dashboard's "closing this month" and "slipped since last week", each with the period it counts. */
export function DealWatch({ data }: { data: DealWatchData }) {
  const { closingThisMonth: closing, slipped } = data;
  return (
    <div className="grid gap-4 sm:grid-cols-3">
      <section aria-labelledby="rotting-title" className="rounded-lg bg-slate-50 px-4 py-3">
        <h3 id="rotting-title" className="text-xs font-medium text-slate-500">
          Rotting
        </h3>
        <p className="mt-1 text-xl font-semibold text-slate-900 tabular-nums" data-testid="rotting-count">
          {pluralize(data.rotting.count, "deal")}
        </p>
        <p className="mt-1 text-xs text-slate-500">Open deals past their stage's aging limit, as of {formatDateOnly(day(data.rotting.asOf))}</p>
        {data.rotting.count > 0 && (
          <p className="mt-1 flex flex-wrap gap-x-3 text-sm">
            <Link to="/pipeline?rotting=true" className="text-accent hover:underline">
              Show them on the board
            </Link>
            <Link to="/reports?report=rotting" className="text-accent hover:underline">
              Rotting report
            </Link>
          </p>
        )}
      </section>
      <section aria-labelledby="closing-title" className="rounded-lg bg-slate-50 px-4 py-3">
        <h3 id="closing-title" className="text-xs font-medium text-slate-500">
          Closing this month
        </h3>
        <p className="mt-1 text-xl font-semibold text-slate-900 tabular-nums" data-testid="closing-count">
          {pluralize(closing.count, "deal")}
        </p>
        <p className="text-sm text-slate-600 tabular-nums">{closing.amounts.map((m) => formatMoney(m.amount, m.currency, { wholeUnits: true })).join(" · ") || "—"}</p>
        <p className="mt-1 text-xs text-slate-500">
          Open deals with a close date {formatDateOnly(closing.period.from)} – {formatDateOnly(day(closing.period.to, -1))}
        </p>
      </section>
      <section aria-labelledby="slipped-title" className="rounded-lg bg-slate-50 px-4 py-3">
        <h3 id="slipped-title" className="text-xs font-medium text-slate-500">
          Slipped since last week
        </h3>
        <p className="mt-1 text-xl font-semibold text-slate-900 tabular-nums" data-testid="slipped-count">
          {formatCount(slipped.count)}
        </p>
        <p className="text-xs text-slate-500">
          Close date moved later, {formatDateOnly(day(slipped.period.from))} – {formatDateOnly(day(slipped.period.to))}
        </p>
        {slipped.deals.length > 0 && (
          <ul className="mt-2 space-y-1 text-sm">
            {slipped.deals.slice(0, 5).map((d) => (
              <li key={d.id} className="flex justify-between gap-2">
                <Link to={`/opportunities/${d.id}`} className="truncate text-accent hover:underline">
                  {d.name}
                </Link>
                <span className="shrink-0 text-slate-500 tabular-nums">
                  {d.from ? `${formatDateOnly(d.from, { short: true })} → ` : ""}
                  {formatDateOnly(d.to, { short: true })}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
