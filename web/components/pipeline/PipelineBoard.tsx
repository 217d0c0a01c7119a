/*
 * The interactive board: @dnd-kit with mouse, touch and keyboard sensors over virtualised columns. While a card
 * is dragged, the columns are a local list of ids (so the card can visit other columns and show where it will
 * land); on drop the owner gets one `onMove` and applies it to the real data. Nothing here talks to the server.
 */
import {
  closestCenter,
  closestCorners,
  DndContext,
  DragOverlay,
  getFirstCollision,
  KeyboardSensor,
  MeasuringStrategy,
  MouseSensor,
  pointerWithin,
  rectIntersection,
  TouchSensor,
  useDroppable,
  useSensor,
  useSensors,
  type Announcements,
  type CollisionDetection,
  type DragEndEvent,
  type DragOverEvent,
  type DragStartEvent,
  type KeyboardCoordinateGetter,
  type UniqueIdentifier,
} from "@dnd-kit/core";
import { arrayMove, SortableContext, verticalListSortingStrategy } from "@dnd-kit/sortable";
import { useCallback, useMemo, useRef, useState, type ReactNode } from "react";
import { Link } from "react-router";
import type { PipelineCard, PipelineStage } from "../../lib/api-types";
import { Board } from "./Board";
import { Card } from "./Card";
import { CardList } from "./CardList";
import { Column, columnHeadingId } from "./Column";
import { SortableCard } from "./SortableCard";

export interface CardMove {
  cardId: string;
  fromStageId: string;
  fromIndex: number;
  toStageId: string;
  /** Index in the target column, counted without the moved card. */
  toIndex: number;
}

export interface PipelineBoardProps {
  stages: readonly PipelineStage[];
  canEdit: boolean;
  onMove: (move: CardMove) => void;
  onEdit: (card: PipelineCard) => void;
  /** The card being edited inline and its editor (rendered in the card's place). */
  editing?: { cardId: string; editor: ReactNode } | null;
  /** Asks for a column's next page (scrolled near its end, or "Load more"). */
  onLoadMore?: (stageId: string) => void;
  loadingStages?: ReadonlySet<string>;
}

type Columns = Record<string, string[]>;

const COLUMN_PREFIX = "column:";
const columnDroppableId = (stageId: string) => `${COLUMN_PREFIX}${stageId}`;
const isColumnId = (id: UniqueIdentifier) => String(id).startsWith(COLUMN_PREFIX);

export const BOARD_INSTRUCTIONS_ID = "pipeline-dnd-instructions";

export function PipelineBoard({ stages, canEdit, onMove, onEdit, editing, onLoadMore, loadingStages }: PipelineBoardProps) {
  const [dragColumns, setDragColumns] = useState<Columns | null>(null);
  const [activeId, setActiveId] = useState<string | null>(null);
  const origin = useRef<{ stageId: string; index: number } | null>(null);
  // dnd-kit announces after the drag state is cleared: keep what the drop / cancel messages need.
  const lastDrag = useRef<{ from: string; to: string; position: string } | null>(null);
  const lastOverAnnounced = useRef<UniqueIdentifier | null>(null);
  const lastOverId = useRef<UniqueIdentifier | null>(null);
  const columnsRef = useRef<Columns | null>(null);
  columnsRef.current = dragColumns;

  const cardsById = useMemo(() => {
    const map = new Map<string, PipelineCard>();
    for (const s of stages) for (const c of s.cards) map.set(c.id, c);
    return map;
  }, [stages]);
  const stageById = useMemo(() => new Map(stages.map((s) => [s.id, s])), [stages]);
  const columns: Columns = useMemo(
    () => dragColumns ?? Object.fromEntries(stages.map((s) => [s.id, s.cards.map((c) => c.id)])),
    [dragColumns, stages],
  );

  const containerOf = useCallback((id: UniqueIdentifier, cols: Columns): string | undefined => {
    if (isColumnId(id)) return String(id).slice(COLUMN_PREFIX.length);
    for (const [stageId, ids] of Object.entries(cols)) if (ids.includes(String(id))) return stageId;
    return undefined;
  }, []);

  const stageOrder = useRef<string[]>([]);
  stageOrder.current = stages.map((s) => s.id);

  /*
   * Keyboard moves by column, not by geometry: ↑/↓ go to the neighbouring card of the same stage, ←/→ to the
   * card at about the same height in the previous / next stage (or its empty list). dnd-kit's generic getter
   * compares edges, which picks a card of the same column for "right" as soon as the lifted card is a pixel
   * left of it (the overlay is tilted) and can jump columns on "down".
   */
  const coordinateGetter: KeyboardCoordinateGetter = useCallback(
    (event, { context }) => {
      const { active, collisionRect, droppableRects, droppableContainers, over } = context;
      const cols = columnsRef.current;
      if (!active || !collisionRect || !cols) return undefined;
      const stageId = containerOf(active.id, cols);
      if (!stageId) return undefined;
      const rectOf = (id: UniqueIdentifier) => droppableRects.get(id);
      if (event.code === "ArrowLeft" || event.code === "ArrowRight") {
        event.preventDefault();
        const at = stageOrder.current.indexOf(stageId) + (event.code === "ArrowRight" ? 1 : -1);
        const target = stageOrder.current[at];
        if (!target) return undefined;
        const candidates = (cols[target] ?? []).map((id) => ({ id, rect: rectOf(id) })).filter((c) => c.rect);
        if (candidates.length === 0) {
          const column = rectOf(columnDroppableId(target));
          return column ? { x: column.left + 8, y: column.top + 8 } : undefined;
        }
        const nearest = candidates.reduce((best, c) => (Math.abs(c.rect!.top - collisionRect.top) < Math.abs(best.rect!.top - collisionRect.top) ? c : best));
        return { x: nearest.rect!.left, y: nearest.rect!.top };
      }
      if (event.code === "ArrowUp" || event.code === "ArrowDown") {
        event.preventDefault();
        const down = event.code === "ArrowDown";
        const ids = new Set(cols[stageId]);
        ids.delete(String(active.id));
        const candidates = droppableContainers.getEnabled().filter((c) => {
          const rect = ids.has(String(c.id)) ? rectOf(c.id) : undefined;
          return !!rect && (down ? rect.top > collisionRect.top : rect.top < collisionRect.top);
        });
        const hits = closestCorners({ active, collisionRect, droppableRects, droppableContainers: candidates, pointerCoordinates: null });
        let id = hits[0]?.id;
        if (id !== undefined && id === over?.id && hits.length > 1) id = hits[1]!.id;
        const rect = id !== undefined ? rectOf(id) : undefined;
        if (!rect) return undefined;
        // Moving down, line the bottoms up: the lifted card may be taller than the one it passes.
        return { x: rect.left, y: down ? rect.top + rect.height - collisionRect.height : rect.top };
      }
      return undefined;
    },
    [containerOf],
  );

  const sensors = useSensors(
    useSensor(MouseSensor, { activationConstraint: { distance: 6 } }),
    // A short press-and-hold on touch screens, so a swipe still scrolls the board.
    useSensor(TouchSensor, { activationConstraint: { delay: 200, tolerance: 8 } }),
    useSensor(KeyboardSensor, { coordinateGetter }),
  );

  /*
   * Pointer inside a column wins (then the nearest card in it); otherwise (keyboard, or between columns) the
   * largest overlap. Remembering the last hit avoids flicker while a card moves between columns.
   */
  const collisionDetection: CollisionDetection = useCallback(
    (args) => {
      const cols = columnsRef.current ?? {};
      const pointer = pointerWithin(args);
      const hits = pointer.length > 0 ? pointer : rectIntersection(args);
      let overId = getFirstCollision(hits, "id");
      if (overId != null) {
        if (isColumnId(overId)) {
          const ids = new Set(cols[String(overId).slice(COLUMN_PREFIX.length)] ?? []);
          if (ids.size > 0) {
            const inColumn = args.droppableContainers.filter((c) => ids.has(String(c.id)));
            overId = closestCenter({ ...args, droppableContainers: inColumn })[0]?.id ?? overId;
          }
        }
        lastOverId.current = overId;
        return [{ id: overId }];
      }
      return lastOverId.current ? [{ id: lastOverId.current }] : [];
    },
    [],
  );

  function onDragStart({ active }: DragStartEvent) {
    lastDrag.current = null;
    lastOverAnnounced.current = null;
    const cols = Object.fromEntries(stages.map((s) => [s.id, s.cards.map((c) => c.id)]));
    const stageId = containerOf(active.id, cols);
    if (!stageId) return;
    origin.current = { stageId, index: cols[stageId]!.indexOf(String(active.id)) };
    setActiveId(String(active.id));
    setDragColumns(cols);
  }

  function onDragOver({ active, over }: DragOverEvent) {
    const cols = columnsRef.current;
    if (!over || !cols) return;
    const from = containerOf(active.id, cols);
    const to = containerOf(over.id, cols);
    if (!from || !to || from === to) return;
    const target = cols[to]!;
    let index: number;
    if (isColumnId(over.id)) index = target.length;
    else {
      const overIndex = target.indexOf(String(over.id));
      const translated = active.rect.current.translated;
      const below = translated && translated.top > over.rect.top + over.rect.height / 2;
      index = overIndex >= 0 ? overIndex + (below ? 1 : 0) : target.length;
    }
    const next = {
      ...cols,
      [from]: cols[from]!.filter((id) => id !== active.id),
      [to]: [...target.slice(0, index), String(active.id), ...target.slice(index)],
    };
    columnsRef.current = next;
    setDragColumns(next);
  }

  function finish() {
    if (origin.current && !lastDrag.current) lastDrag.current = { from: origin.current.stageId, to: origin.current.stageId, position: "" };
    setActiveId(null);
    setDragColumns(null);
    columnsRef.current = null;
    lastOverId.current = null;
    origin.current = null;
  }

  function onDragEnd({ active, over }: DragEndEvent) {
    const cols = columnsRef.current;
    const start = origin.current;
    if (!cols || !start) return finish();
    const stageId = containerOf(active.id, cols)!;
    let ids = cols[stageId]!;
    if (over && !isColumnId(over.id) && over.id !== active.id && ids.includes(String(over.id))) {
      ids = arrayMove(ids, ids.indexOf(String(active.id)), ids.indexOf(String(over.id)));
    }
    const toIndex = ids.indexOf(String(active.id));
    lastDrag.current = { from: start.stageId, to: stageId, position: `position ${toIndex + 1} of ${ids.length}` };
    finish();
    if (stageId === start.stageId && toIndex === start.index) return;
    onMove({ cardId: String(active.id), fromStageId: start.stageId, fromIndex: start.index, toStageId: stageId, toIndex });
  }

  /** "Proposal, position 3 of 8" for where the card would land if dropped over `overId` now. */
  const describe = (activeId: UniqueIdentifier, overId: UniqueIdentifier | undefined, cols: Columns | null) => {
    const c = cols ?? columns;
    const stageId = containerOf(overId ?? activeId, c);
    const stage = stageId ? stageById.get(stageId) : undefined;
    if (!stage || !stageId) return "";
    const ids = c[stageId]!;
    // Within a column the order only changes on drop: the card sits where the card it is over sits.
    const index = overId === undefined || isColumnId(overId) ? ids.indexOf(String(activeId)) : ids.indexOf(String(overId));
    const total = ids.includes(String(activeId)) ? ids.length : ids.length + 1;
    return `${stage.name}, position ${(index < 0 ? total - 1 : index) + 1} of ${total}`;
  };
  const nameOf = (id: UniqueIdentifier) => cardsById.get(String(id))?.name ?? "the deal";
  const announcements: Announcements = {
    onDragStart: ({ active }) => `Picked up ${nameOf(active.id)}. It is in ${describe(active.id, undefined, columnsRef.current)}.`,
    // Right after the pick-up the card is over itself: say nothing, or "Picked up …" is cut off at once.
    onDragOver: ({ active, over }) =>
      over?.id === active.id && lastOverAnnounced.current === null
        ? undefined
        : ((lastOverAnnounced.current = over?.id ?? null),
          over ? `${nameOf(active.id)} is over ${describe(active.id, over.id, columnsRef.current)}.` : `${nameOf(active.id)} is no longer over a stage.`),
    onDragEnd: ({ active }) => {
      const d = lastDrag.current;
      const stageName = (id: string) => stageById.get(id)?.name ?? "the stage";
      if (d && d.to !== d.from) return `${nameOf(active.id)} dropped in ${stageName(d.to)}. Give a reason to confirm the move.`;
      return d ? `${nameOf(active.id)} dropped in ${stageName(d.to)}, ${d.position}.` : `${nameOf(active.id)} dropped.`;
    },
    onDragCancel: ({ active }) => `Move cancelled. ${nameOf(active.id)} went back to ${lastDrag.current ? (stageById.get(lastDrag.current.from)?.name ?? "its stage") : "its stage"}.`,
  };

  const activeCard = activeId ? cardsById.get(activeId) : undefined;
  return (
    <DndContext
      sensors={sensors}
      collisionDetection={collisionDetection}
      measuring={{ droppable: { strategy: MeasuringStrategy.WhileDragging } }}
      onDragStart={onDragStart}
      onDragOver={onDragOver}
      onDragEnd={onDragEnd}
      onDragCancel={finish}
      accessibility={{
        announcements,
        screenReaderInstructions: {
          draggable:
            "To move this deal, press Space or Enter. Use the up and down arrow keys to change its place in the stage, and the left and right arrow keys to move it to another stage. Press Space or Enter again to drop it, or Escape to cancel.",
        },
      }}
    >
      <Board>
        {stages.map((stage) => (
          <BoardColumn
            key={stage.id}
            stage={stage}
            ids={columns[stage.id] ?? []}
            cardsById={cardsById}
            canEdit={canEdit}
            onEdit={onEdit}
            activeId={activeId}
            editing={editing ?? null}
            onLoadMore={onLoadMore}
            loadingMore={loadingStages?.has(stage.id) ?? false}
            isDropTarget={!!activeId && dragColumns !== null && origin.current?.stageId !== stage.id && (dragColumns[stage.id] ?? []).includes(activeId)}
          />
        ))}
      </Board>
      <DragOverlay>
        {/* A picture of the card under the pointer; assistive technology follows the announcements instead. */}
        {activeCard ? <Card aria-hidden="true" card={activeCard} stageKind={stageById.get(containerOf(activeCard.id, columns) ?? "")?.kind ?? "open"} dragState="overlay" className="cursor-grabbing" /> : null}
      </DragOverlay>
    </DndContext>
  );
}

interface BoardColumnProps {
  stage: PipelineStage;
  ids: string[];
  cardsById: Map<string, PipelineCard>;
  canEdit: boolean;
  onEdit: (card: PipelineCard) => void;
  activeId: string | null;
  editing: { cardId: string; editor: ReactNode } | null;
  isDropTarget: boolean;
  onLoadMore?: (stageId: string) => void;
  loadingMore: boolean;
}

function BoardColumn({ stage, ids, cardsById, canEdit, onEdit, activeId, editing, isDropTarget, onLoadMore, loadingMore }: BoardColumnProps) {
  const { setNodeRef } = useDroppable({ id: columnDroppableId(stage.id), data: { type: "column", stageId: stage.id }, disabled: !canEdit });
  const cards = useMemo(() => ids.map((id) => cardsById.get(id)).filter((c): c is PipelineCard => !!c), [ids, cardsById]);
  const { cards: _cards, ...stageInfo } = stage;
  return (
    <Column
      stage={stageInfo}
      loadedCount={stage.cards.length}
      isDropTarget={isDropTarget}
      footer={
        stage.nextCursor && onLoadMore ? (
          <button type="button" className="font-medium text-accent hover:underline disabled:text-slate-500" disabled={loadingMore} onClick={() => onLoadMore(stage.id)}>
            {loadingMore ? "Loading more…" : `Load more ${stage.name} deals`}
          </button>
        ) : stage.count > stage.cards.length ? (
          <Link to={`/opportunities?stageId=${stage.id}`} className="font-medium text-accent hover:underline">
            All {stage.name} deals in the list
          </Link>
        ) : undefined
      }
    >
      <SortableContext id={stage.id} items={ids} strategy={verticalListSortingStrategy}>
        <CardList
          cards={cards}
          listRef={setNodeRef}
          labelledBy={columnHeadingId(stage.id)}
          keepMounted={activeId ?? editing?.cardId}
          // Not while a card is dragged: the column would grow under the pointer.
          onReachEnd={stage.nextCursor && onLoadMore && !activeId ? () => onLoadMore(stage.id) : undefined}
          empty={stage.count === 0 ? "No deals" : "No deals loaded"}
          renderCard={(card) =>
            editing?.cardId === card.id ? (
              editing.editor
            ) : (
              <SortableCard card={card} stageKind={stage.kind} canEdit={canEdit} onEdit={onEdit} />
            )
          }
        />
      </SortableContext>
    </Column>
  );
}
