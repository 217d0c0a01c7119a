import type { HTMLAttributes, ReactNode, Ref } from "react";
import { formatCount, formatMoney } from "../../lib/format";
import type { PipelineStage } from "../../lib/api-types";

const KIND_DOT: Record<PipelineStage["kind"], string> = {
  open: "bg-slate-400",
  won: "bg-emerald-500",
  lost: "bg-rose-400",
};

export interface ColumnProps extends HTMLAttributes<HTMLElement> {
  stage: Omit<PipelineStage, "cards">;
  /** Cards loaded into this column (the API may send fewer than `stage.count`). */
  loadedCount: number;
  /** The card list (see CardList), labelled by the column heading `stage-<id>-name`. */
  children?: ReactNode;
  /** Highlight while a card is dragged over the column. */
  isDropTarget?: boolean;
  /** Rendered under the list, e.g. a "load more" button. */
  footer?: ReactNode;
  ref?: Ref<HTMLElement>;
}

/** One stage of the board: header with count and totals, then its cards. Presentational. */
export function Column({ stage, loadedCount, children, isDropTarget = false, footer, className = "", ref, ...rest }: ColumnProps) {
  const headingId = columnHeadingId(stage.id);
  const hidden = stage.count - loadedCount;
  return (
    <section
      ref={ref}
      aria-labelledby={headingId}
      data-stage-id={stage.id}
      className={`flex max-h-full w-[18rem] shrink-0 snap-start flex-col rounded-xl bg-slate-100 ring-inset transition-shadow ${
        isDropTarget ? "ring-2 ring-accent/50" : ""
      } ${className}`}
      {...rest}
    >
      <header className="px-3 pt-3 pb-2">
        <div className="flex items-center gap-2">
          <span aria-hidden="true" className={`size-2 shrink-0 rounded-full ${KIND_DOT[stage.kind]}`} />
          <h2 id={headingId} className="truncate text-sm font-semibold text-slate-900">
            {stage.name}
          </h2>
          <span className="tabular rounded-full bg-white px-1.5 py-px text-xs font-medium text-slate-600 ring-1 ring-slate-200" data-testid="stage-count">
            <span className="sr-only">Deals: </span>
            {formatCount(stage.count)}
          </span>
          {stage.rottingCount > 0 && (
            <span className="tabular rounded-full bg-amber-100 px-1.5 py-px text-xs font-medium text-amber-900" data-testid="stage-rotting" title={`Past the aging limit of ${stage.agingLimit} days`}>
              {formatCount(stage.rottingCount)} rotting
            </span>
          )}
          <span className="tabular ml-auto text-xs text-slate-600" title="Stage probability">
            <span className="sr-only">Stage probability </span>
            {stage.probability}%
          </span>
        </div>
        <StageTotals stage={stage} />
      </header>

      {children}
      {(hidden > 0 || footer) && (
        <div className="border-t border-slate-200 px-3 py-2 text-xs text-slate-600">
          {hidden > 0 && (
            <p>
              Showing {formatCount(loadedCount)} of {formatCount(stage.count)}
            </p>
          )}
          {footer}
        </div>
      )}
    </section>
  );
}

export const columnHeadingId = (stageId: string) => `stage-${stageId}-name`;

function StageTotals({ stage }: { stage: Omit<PipelineStage, "cards"> }) {
  // Reserve the line even when empty so headers of all columns line up.
  if (stage.totals.length === 0) {
    return (
      <p className="tabular mt-1 pl-4 text-xs text-slate-500" aria-hidden="true">
        —
      </p>
    );
  }
  return (
    <ul className="mt-1 space-y-0.5 pl-4">
      {stage.totals.map((t) => (
        <li
          key={t.currency}
          data-testid="stage-total"
          className="tabular truncate text-xs text-slate-600"
          title={`Total ${formatMoney(t.amount, t.currency)} · weighted ${formatMoney(t.weighted, t.currency)}`}
        >
          <span className="sr-only">Total </span>
          <span className="font-medium text-slate-700">{formatMoney(t.amount, t.currency, { compact: true })}</span>
          <span aria-hidden="true" className="px-1 text-slate-300">
            ·
          </span>
          {formatMoney(t.weighted, t.currency, { compact: true })} weighted
        </li>
      ))}
    </ul>
  );
}
