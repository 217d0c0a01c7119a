import { useId, useRef } from "react";
import { useDismiss } from "../../lib/popover";

export const TASK_SHORTCUTS: readonly [string, string][] = [
  ["j / ↓", "Next task"],
  ["k / ↑", "Previous task"],
  ["x", "Complete the task (Undo in the message that follows)"],
  ["s", "Snooze: +1 day, next week or a date"],
  ["Enter", "Open the related record"],
  ["?", "Show or hide these shortcuts"],
];

/** The "?" popover listing the Tasks page's keyboard shortcuts; a disclosure button controls it. */
export function ShortcutsHelp({ open, onToggle, canEdit }: { open: boolean; onToggle: (open: boolean) => void; canEdit: boolean }) {
  const panelId = useId();
  const button = useRef<HTMLButtonElement>(null);
  const root = useRef<HTMLDivElement>(null);
  useDismiss(open, () => onToggle(false), root, button);
  const rows = canEdit ? TASK_SHORTCUTS : TASK_SHORTCUTS.filter(([k]) => k !== "x" && k !== "s");
  return (
    <div ref={root} className="relative">
      <button
        ref={button}
        type="button"
        aria-expanded={open}
        aria-controls={panelId}
        aria-keyshortcuts="?"
        onClick={() => onToggle(!open)}
        className="inline-flex h-9 items-center gap-1.5 rounded-md border border-slate-300 bg-white px-3 text-sm font-medium text-slate-700 hover:bg-slate-50"
      >
        Keyboard shortcuts <kbd className="rounded border border-slate-300 px-1 text-xs text-slate-500">?</kbd>
      </button>
      <div id={panelId} hidden={!open} role="region" aria-label="Keyboard shortcuts" className="absolute right-0 top-full z-30 mt-2 w-80 rounded-md border border-slate-200 bg-white p-3 shadow-lg">
        <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-2 text-sm">
          {rows.map(([key, what]) => (
            <div key={key} className="contents">
              <dt>
                <kbd className="rounded border border-slate-300 bg-slate-50 px-1.5 py-0.5 font-sans text-xs text-slate-700">{key}</kbd>
              </dt>
              <dd className="text-slate-600">{what}</dd>
            </div>
          ))}
        </dl>
      </div>
    </div>
  );
}
