import type { HTMLAttributes, ReactNode, Ref } from "react";

/**
 * The horizontally scrolling strip of columns. `relative` matters: it makes the board the containing block of
 * absolutely positioned descendants (sr-only labels), which a scroll box only clips when it contains them —
 * otherwise they stretch the whole page sideways on a phone. Focusable so keyboard users can scroll it; wrap it in
 * dnd-kit's <DndContext> to enable drag and drop.
 */
export function Board({
  children,
  label = "Pipeline board",
  className = "",
  ref,
  ...rest
}: HTMLAttributes<HTMLDivElement> & { children: ReactNode; label?: string; ref?: Ref<HTMLDivElement> }) {
  return (
    <div
      ref={ref}
      role="region"
      aria-label={label}
      tabIndex={0}
      className={`scrollbar-thin relative flex h-full snap-x snap-mandatory scroll-px-4 items-start gap-3 overflow-x-auto overflow-y-hidden px-4 py-4 sm:snap-none sm:px-6 ${className}`}
      {...rest}
    >
      {children}
      {/* Trailing spacer: keeps the last column's right padding inside the scroll area. */}
      <div aria-hidden="true" className="w-px shrink-0" />
    </div>
  );
}
