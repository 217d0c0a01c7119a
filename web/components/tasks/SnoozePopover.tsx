import { useEffect, useId, useRef, useState } from "react";
import { todayDateOnly } from "../../lib/format";

export type SnoozeChoice = "day" | "week" | { date: string };

/**
 * The snooze choices for one task: +1 day, next week, or a picked date. Opens with focus on the first choice;
 * Escape closes it (the row gets focus back, see TaskRow).
 */
export function SnoozePopover({ subject, onChoose, onClose }: { subject: string; onChoose: (choice: SnoozeChoice) => void; onClose: () => void }) {
  const first = useRef<HTMLButtonElement>(null);
  const root = useRef<HTMLDivElement>(null);
  const [date, setDate] = useState("");
  const headingId = useId();
  useEffect(() => {
    first.current?.focus();
    const onPointer = (e: PointerEvent) => {
      if (!root.current?.contains(e.target as Node)) onClose();
    };
    document.addEventListener("pointerdown", onPointer);
    return () => document.removeEventListener("pointerdown", onPointer);
  }, [onClose]);
  const item = "block w-full rounded px-3 py-2 text-left text-sm text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-(--accent)";
  return (
    <div
      ref={root}
      role="dialog"
      aria-labelledby={headingId}
      data-snooze-popover
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.stopPropagation();
          onClose();
        }
      }}
      // On a phone a sheet along the bottom edge (a popover beside a row would run off the screen), beside the button from sm up.
      className="fixed inset-x-4 bottom-4 z-30 rounded-md border border-slate-200 bg-white p-1 shadow-lg sm:absolute sm:inset-x-auto sm:bottom-auto sm:right-0 sm:top-full sm:z-20 sm:mt-1 sm:w-60"
    >
      <p id={headingId} className="truncate px-3 pb-1 pt-1.5 text-xs font-medium text-slate-500">
        Snooze “{subject}”
      </p>
      <button ref={first} type="button" className={item} onClick={() => onChoose("day")}>
        +1 day
      </button>
      <button type="button" className={item} onClick={() => onChoose("week")}>
        Next week
      </button>
      <form
        className="flex items-end gap-2 px-3 py-2"
        onSubmit={(e) => {
          e.preventDefault();
          if (date) onChoose({ date });
        }}
      >
        <label className="min-w-0 flex-1 text-xs text-slate-600">
          Pick a date
          <input type="date" min={todayDateOnly()} value={date} onChange={(e) => setDate(e.target.value)} className="mt-1 block w-full rounded border border-slate-300 px-2 py-1 text-sm" />
        </label>
        <button type="submit" disabled={!date} className="rounded bg-accent px-2.5 py-1.5 text-sm font-medium text-accent-foreground disabled:opacity-50">
          Set
        </button>
      </form>
    </div>
  );
}
