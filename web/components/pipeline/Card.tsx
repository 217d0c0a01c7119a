import type { HTMLAttributes, ReactNode, Ref } from "react";
import { Link } from "react-router";
import { formatDateOnly, formatDaysInStage, formatMoney, isPastDate } from "../../lib/format";
import type { PipelineCard, StageKind } from "../../lib/api-types";
import { CalendarIcon, ClockIcon, UserIcon } from "../icons";
import { CustomValueChips } from "../custom-fields/CustomValueChips";
import { WinScoreBadge } from "../insights/WinScoreBadge";

export interface CardProps extends HTMLAttributes<HTMLElement> {
  card: PipelineCard;
  /** The column's kind: an overdue close date is only flagged while the deal is open. */
  stageKind: StageKind;
  /** Detail page of the deal; when set the whole card is a link target. */
  href?: string;
  /** Visual state while dragged (the placeholder left in the column) or as the drag overlay. */
  dragState?: "idle" | "placeholder" | "overlay";
  /** The drag handle (top right), for users who may move deals. */
  handle?: ReactNode;
  /** Buttons at the end of the card (e.g. Edit), for users who may edit. */
  actions?: ReactNode;
  ref?: Ref<HTMLElement>;
}

/**
 * One opportunity on the board. Presentational: spread dnd-kit's pointer `listeners` on it and its `attributes`
 * on the `handle` to make it sortable (the handle is the keyboard activator, so no control is nested in another).
 */
export function Card({ card, stageKind, href, dragState = "idle", handle, actions, className = "", ref, ...rest }: CardProps) {
  const overdue = stageKind === "open" && isPastDate(card.closeDate);
  const state =
    dragState === "placeholder"
      ? "opacity-40"
      : dragState === "overlay"
        ? "rotate-1 shadow-lg ring-1 ring-slate-300"
        : "hover:border-slate-300 hover:shadow-sm";
  return (
    <article
      ref={ref}
      aria-labelledby={`card-${card.id}-name`}
      data-card-id={card.id}
      data-rotting={card.rotting ? "true" : undefined}
      className={`group relative rounded-lg border ${card.rotting ? "border-amber-400 border-l-4" : "border-slate-200"} bg-white p-3 shadow-xs transition-[border-color,box-shadow] ${state} ${className}`}
      {...rest}
    >
      <div className="flex items-start gap-1">
        <h3 id={`card-${card.id}-name`} className="line-clamp-2 min-w-0 flex-1 text-sm leading-snug font-medium text-slate-900">
          {href ? (
            <Link to={href} className="after:absolute after:inset-0 after:rounded-lg hover:underline">
              {card.name}
            </Link>
          ) : (
            card.name
          )}
        </h3>
        {handle}
      </div>
      <p className="mt-0.5 truncate text-xs text-slate-500">{card.accountName ?? "No account"}</p>

      <div className="mt-2.5 flex items-baseline justify-between gap-2">
        <p className="tabular truncate text-sm font-semibold text-slate-900" data-field="amount">
          {card.amount === null ? (
            <span className="font-normal text-slate-500">No amount</span>
          ) : (
            formatMoney(card.amount, card.currency)
          )}
        </p>
        <div className="flex shrink-0 items-baseline gap-1.5">
          <p className="tabular text-xs text-slate-500" title="Probability">
            <span className="sr-only">Probability </span>
            {card.probability}%
          </p>
          {card.winScore !== null && stageKind === "open" && <WinScoreBadge score={card.winScore} />}
        </div>
      </div>

      <CustomValueChips entity="opportunity" values={card.custom} />

      <div className="mt-2 flex items-end gap-2">
        <dl className="flex min-w-0 flex-1 flex-wrap items-center gap-x-3 gap-y-1 text-xs text-slate-500">
          <div className={`flex items-center gap-1 ${overdue ? "font-medium text-red-600" : ""}`}>
            <dt>
              <CalendarIcon className="size-3.5" />
              <span className="sr-only">Close date</span>
            </dt>
            <dd className="tabular">
              {card.closeDate ? formatDateOnly(card.closeDate, { short: true }) : "No close date"}
              {overdue && <span className="sr-only"> (overdue)</span>}
            </dd>
          </div>
          <div className="flex min-w-0 items-center gap-1">
            <dt>
              <UserIcon className="size-3.5" />
              <span className="sr-only">Owner</span>
            </dt>
            <dd className="truncate">{card.ownerName ?? "Unassigned"}</dd>
          </div>
          <div className="flex items-center gap-1">
            <dt>
              <ClockIcon className="size-3.5" />
              <span className="sr-only">Time in stage</span>
            </dt>
            <dd className="tabular" title={`In this stage since ${new Date(card.stageEnteredAt).toLocaleString()}`}>
              {formatDaysInStage(card.daysInStage)}
            </dd>
          </div>
          {card.rotting && card.daysOver !== null && (
            <div className="rounded bg-amber-100 px-1.5 py-0.5 font-medium text-amber-900" data-testid="rotting" title={`Past this stage's aging limit of ${card.agingLimit} days`}>
              <dt className="sr-only">Rotting</dt>
              <dd className="tabular">{card.daysOver} d over</dd>
            </div>
          )}
          {card.inactiveDays !== null && (
            <div className="text-amber-800" title="No activity logged for this long">
              <dt className="sr-only">Inactive</dt>
              <dd className="tabular">quiet {card.inactiveDays} d</dd>
            </div>
          )}
        </dl>
        {actions}
      </div>
    </article>
  );
}
