import type { HTMLAttributes, ReactNode, Ref } from "react";
import { Link } from "react-router";
import { formatDateOnly, formatDaysInStage, formatMoney, isPastDate } from "../../lib/format";
import type { PipelineCard, StageKind } from "../../lib/api-types";
import { CalendarIcon, ClockIcon, UserIcon } from "../icons";

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
      className={`group relative rounded-lg border border-slate-200 bg-white p-3 shadow-xs transition-[border-color,box-shadow] ${state} ${className}`}
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
        <p className="tabular shrink-0 text-xs text-slate-500" title="Probability">
          <span className="sr-only">Probability </span>
          {card.probability}%
        </p>
      </div>

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
        </dl>
        {actions}
      </div>
    </article>
  );
}
