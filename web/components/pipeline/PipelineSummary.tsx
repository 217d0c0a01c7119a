import { formatCount, formatMoney } from "../../lib/format";
import type { PipelineTotal } from "../../lib/api-types";
import { Skeleton } from "../ui/Skeleton";

/** Open pipeline, weighted forecast and deal count, one row per currency (amounts never mix currencies). */
export function PipelineSummary({ totals }: { totals: PipelineTotal[] }) {
  const multiCurrency = totals.length > 1;
  if (totals.length === 0) {
    return (
      <dl className="mt-4 grid grid-cols-[auto_auto_auto] justify-start gap-x-5 gap-y-3 sm:flex sm:flex-wrap sm:gap-x-10">
        <Stat label="Open pipeline" value="—" />
        <Stat label="Weighted forecast" value="—" />
        <Stat label="Open deals" value="0" />
      </dl>
    );
  }
  return (
    <div className="mt-4 space-y-2 sm:space-y-3">
      {totals.map((t) => (
        <dl key={t.currency} className="grid grid-cols-[auto_auto_auto] justify-start gap-x-5 gap-y-3 sm:flex sm:flex-wrap sm:gap-x-10">
          <Stat
            label={multiCurrency ? `Open pipeline (${t.currency})` : "Open pipeline"}
            value={formatMoney(t.amount, t.currency, { wholeUnits: true })}
          />
          <Stat
            label={multiCurrency ? `Weighted forecast (${t.currency})` : "Weighted forecast"}
            value={formatMoney(t.weighted, t.currency, { wholeUnits: true })}
          />
          <Stat label={multiCurrency ? `Open deals (${t.currency})` : "Open deals"} value={formatCount(t.count)} />
        </dl>
      ))}
    </div>
  );
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium text-slate-500">{label}</dt>
      <dd className="tabular mt-0.5 text-sm font-semibold tracking-tight whitespace-nowrap text-slate-900 sm:text-xl">
        {value}
      </dd>
    </div>
  );
}

export function PipelineSummarySkeleton() {
  // Same box heights as <Stat>: a 16px label line and a 28px value line.
  return (
    <div className="mt-4 grid grid-cols-[auto_auto_auto] justify-start gap-x-5 gap-y-3 sm:flex sm:flex-wrap sm:gap-x-10" aria-hidden="true">
      {["w-28", "w-32", "w-12"].map((width) => (
        <div key={width}>
          <div className="flex h-4 items-center">
            <Skeleton className="h-3 w-24" />
          </div>
          <div className="mt-0.5 flex h-5 items-center sm:h-7">
            <Skeleton className={`h-6 ${width}`} />
          </div>
        </div>
      ))}
    </div>
  );
}
