import { useCallback, useEffect, useLayoutEffect, useReducer, useRef, useState, type ReactNode, type Ref } from "react";
import type { PipelineCard } from "../../lib/api-types";

/**
 * Columns longer than this render only the cards near the visible part (scripts/bench/board.ts measures both
 * ways). `localStorage["bespoke.board.virtualizeAfter"]` overrides it, so the benchmark can compare.
 */
export const VIRTUALIZE_AFTER = (() => {
  try {
    const v = Number(window.localStorage.getItem("bespoke.board.virtualizeAfter"));
    return Number.isFinite(v) && v > 0 ? v : 40;
  } catch {
    return 40;
  }
})();
/** A collapsed card (one-line name) plus the 8px gap; measured heights replace it once a card has rendered. */
const ESTIMATED_HEIGHT = 130;
/** Extra pixels rendered above and below the visible part, so Tab and the keyboard drag always find a neighbour. */
const OVERSCAN = 700;

export interface CardListProps {
  cards: readonly PipelineCard[];
  renderCard: (card: PipelineCard, index: number) => ReactNode;
  /** Cards that must stay mounted even when scrolled away (the dragged one: dnd-kit needs its node). */
  keepMounted?: string | null;
  /** dnd-kit's droppable ref for the column: the scrolling box (its visible area is where a card can land). */
  listRef?: Ref<HTMLDivElement>;
  labelledBy: string;
  /** Shown when the column has no cards. */
  empty: ReactNode;
  /** Called when the end of the list scrolls within a screen of view: the column loads its next page. */
  onReachEnd?: () => void;
}

function setRef<T>(ref: Ref<T> | undefined, value: T | null) {
  if (typeof ref === "function") ref(value);
  else if (ref) (ref as { current: T | null }).current = value;
}

/**
 * The scrollable card list of a column. Short columns render every card; long ones are windowed: only cards
 * within OVERSCAN px of the viewport are mounted, the rest are stood in for by padding computed from measured
 * (or estimated) heights. The dragged and the focused card are always mounted.
 */
export function CardList({ cards, renderCard, keepMounted, listRef, labelledBy, empty, onReachEnd }: CardListProps) {
  const virtual = cards.length > VIRTUALIZE_AFTER;
  const scrollRef = useRef<HTMLDivElement | null>(null);
  const heights = useRef(new Map<string, number>());
  // Until measured, assume a list as tall as the window (never "everything").
  const [viewport, setViewport] = useState(() => ({ top: 0, height: typeof window === "undefined" ? 800 : window.innerHeight }));
  const [focusedId, setFocusedId] = useState<string | null>(null);
  const [, remeasured] = useReducer((n: number) => n + 1, 0);
  const frame = useRef(0);

  const attach = useCallback(
    (node: HTMLDivElement | null) => {
      scrollRef.current = node;
      setRef(listRef, node);
    },
    [listRef],
  );

  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el || !virtual) return;
    // The part of the list inside both its own scroll box and the window: while the page is still laying out
    // (or on a phone where the page scrolls) the list's own height may be its whole content.
    const update = () => {
      const rect = el.getBoundingClientRect();
      const clipTop = Math.max(0, -rect.top);
      const height = Math.max(0, Math.min(rect.bottom, window.innerHeight) - Math.max(rect.top, 0));
      const next = { top: el.scrollTop + clipTop, height: Math.min(el.clientHeight, height) };
      setViewport((v) => (v.top === next.top && v.height === next.height ? v : next));
    };
    update();
    el.addEventListener("scroll", update, { passive: true });
    window.addEventListener("scroll", update, { passive: true });
    window.addEventListener("resize", update);
    const ro = new ResizeObserver(update);
    ro.observe(el);
    return () => {
      el.removeEventListener("scroll", update);
      window.removeEventListener("scroll", update);
      window.removeEventListener("resize", update);
      ro.disconnect();
    };
  }, [virtual]);

  // One observer for every mounted card: a changed height re-lays out the window on the next frame.
  const [observer] = useState(() =>
    typeof ResizeObserver === "undefined"
      ? null
      : new ResizeObserver((entries) => {
          let changed = false;
          for (const entry of entries) {
            const id = (entry.target as HTMLElement).dataset.itemId;
            const h = entry.borderBoxSize?.[0]?.blockSize ?? (entry.target as HTMLElement).offsetHeight;
            if (id && h > 0 && heights.current.get(id) !== h) {
              heights.current.set(id, h);
              changed = true;
            }
          }
          if (changed && !frame.current) {
            frame.current = requestAnimationFrame(() => {
              frame.current = 0;
              remeasured();
            });
          }
        }),
  );
  useEffect(() => () => {
    observer?.disconnect();
    cancelAnimationFrame(frame.current);
  }, [observer]);

  const measure = useCallback(
    (node: HTMLLIElement | null) => {
      if (!node || !observer) return;
      observer.observe(node);
      return () => observer.unobserve(node);
    },
    [observer],
  );

  // A marker after the last card: once it comes within a screen of the visible part, the next page loads, so a
  // rep scrolling down a 60,000-deal column never hits an end before the real one.
  const endRef = useRef<HTMLDivElement | null>(null);
  const reachEnd = useRef(onReachEnd);
  reachEnd.current = onReachEnd;
  const wantsMore = !!onReachEnd;
  useEffect(() => {
    const el = endRef.current;
    if (!el || !wantsMore || typeof IntersectionObserver === "undefined") return;
    const io = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && reachEnd.current?.(), { root: scrollRef.current, rootMargin: "0px 0px 800px 0px" });
    io.observe(el);
    return () => io.disconnect();
  }, [wantsMore, cards.length]);
  const endMarker = wantsMore ? <div ref={endRef} aria-hidden="true" className="h-px" /> : null;

  // The scroll box is a div around the list: padding that stands in for unmounted cards goes on the <ol>, since
  // a scroll container's own padding counts towards its minimum height and would stretch the column.
  const box = "scrollbar-thin min-h-16 flex-1 overflow-y-auto px-2";
  if (cards.length === 0) {
    return (
      <div ref={attach} data-card-scroller="" className={`${box} pb-2`}>
        <ol aria-labelledby={labelledBy}>
          <li className="flex h-16 items-center justify-center rounded-lg border border-dashed border-slate-300 text-xs text-slate-600">{empty}</li>
        </ol>
      </div>
    );
  }
  if (!virtual) {
    return (
      <div ref={attach} data-card-scroller="" className={box}>
        <ol aria-labelledby={labelledBy}>
          {cards.map((card, i) => (
            <li key={card.id} className="pb-2">
              {renderCard(card, i)}
            </li>
          ))}
        </ol>
        {endMarker}
      </div>
    );
  }

  // Prefix sums of heights: offsets[i] = top of card i.
  const n = cards.length;
  const offsets = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i]! + (heights.current.get(cards[i]!.id) ?? ESTIMATED_HEIGHT);
  const lo = viewport.top - OVERSCAN;
  const hi = viewport.top + viewport.height + OVERSCAN;
  let start = upperBound(offsets, lo) - 1; // last card starting at or before lo
  start = Math.max(0, Math.min(start, n - 1));
  let end = start;
  while (end < n - 1 && offsets[end + 1]! < hi) end++;

  const indices = new Set<number>();
  for (let i = start; i <= end; i++) indices.add(i);
  for (const id of [keepMounted, focusedId]) {
    if (!id) continue;
    const i = cards.findIndex((c) => c.id === id);
    if (i >= 0) indices.add(i);
  }
  const order = [...indices].sort((a, b) => a - b);
  const first = order[0]!;
  const last = order[order.length - 1]!;

  let previousEnd = offsets[first]!;
  return (
    <div
      ref={attach}
      data-card-scroller=""
      className={box}
      onFocus={(e) => {
        const li = (e.target as HTMLElement).closest<HTMLElement>("[data-item-id]");
        setFocusedId(li?.dataset.itemId ?? null);
      }}
    >
      <ol aria-labelledby={labelledBy} style={{ paddingTop: offsets[first], paddingBottom: offsets[n]! - offsets[last + 1]! }}>
        {order.map((i) => {
          const card = cards[i]!;
          const gap = offsets[i]! - previousEnd;
          previousEnd = offsets[i + 1]!;
          return (
            <li key={card.id} ref={measure} data-item-id={card.id} aria-setsize={n} aria-posinset={i + 1} className="pb-2" style={gap > 0 ? { marginTop: gap } : undefined}>
              {renderCard(card, i)}
            </li>
          );
        })}
      </ol>
      {endMarker}
    </div>
  );
}

/** First index whose value is > x (offsets are non-decreasing). */
function upperBound(values: Float64Array, x: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
