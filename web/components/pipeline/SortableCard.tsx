import { useSortable } from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import { memo } from "react";
import type { PipelineCard, StageKind } from "../../lib/api-types";
import { GripIcon, PencilIcon } from "../icons";
import { Card } from "./Card";

export interface SortableCardProps {
  card: PipelineCard;
  stageKind: StageKind;
  /** May this user move and edit deals (USER, ADMIN)? VIEWERs get a plain card. */
  canEdit: boolean;
  onEdit: (card: PipelineCard) => void;
}

/**
 * A card that can be dragged with the mouse or a finger anywhere on it, or lifted from the keyboard with Space on
 * its handle. Memoised: during a drag only cards whose transform changes re-render.
 */
export const SortableCard = memo(function SortableCard({ card, stageKind, canEdit, onEdit }: SortableCardProps) {
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({
    id: card.id,
    data: { type: "card", stageId: card.stageId },
    disabled: !canEdit,
    attributes: { roleDescription: "draggable deal" },
  });
  const href = `/opportunities/${card.id}`;
  if (!canEdit) return <Card card={card} stageKind={stageKind} href={href} />;
  return (
    <Card
      ref={setNodeRef}
      card={card}
      stageKind={stageKind}
      href={href}
      dragState={isDragging ? "placeholder" : "idle"}
      style={{ transform: CSS.Translate.toString(transform), transition }}
      // Pointer listeners on the whole card: the handle is only needed by keyboard users (and is the activator
      // for them, so Space on the card's link or Edit button never lifts the card).
      {...listeners}
      handle={
        <button
          ref={setActivatorNodeRef}
          type="button"
          {...attributes}
          aria-label={`Move ${card.name}`}
          className="relative z-10 -mt-1 -mr-1.5 inline-flex size-7 shrink-0 cursor-grab touch-none items-center justify-center rounded-md text-slate-400 hover:bg-slate-100 hover:text-slate-700 active:cursor-grabbing"
        >
          <GripIcon className="size-4" />
        </button>
      }
      actions={
        <button
          type="button"
          onClick={() => onEdit(card)}
          className="relative z-10 -mr-1.5 -mb-1 inline-flex size-7 shrink-0 items-center justify-center rounded-md text-slate-400 hover:bg-slate-100 hover:text-slate-700"
        >
          <PencilIcon className="size-3.5" />
          <span className="sr-only">Edit {card.name}</span>
        </button>
      }
    />
  );
});
