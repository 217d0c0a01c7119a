import { Link } from "react-router";
import { recordPath } from "../../lib/search";
import type { TaskItem } from "../../lib/tasks";
import type { User } from "../../lib/api-types";
import { SnoozePopover, type SnoozeChoice } from "./SnoozePopover";

const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
function dueLabel(iso: string | null): string {
  if (!iso) return "No due date";
  const start = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  const days = Math.round((start(new Date(iso)) - start(new Date())) / 86_400_000);
  const time = new Date(iso).toLocaleTimeString(undefined, { hour: "numeric", minute: "2-digit" });
  if (Math.abs(days) <= 6) return `${rtf.format(days, "day")}, ${time}`;
  return new Date(iso).toLocaleDateString(undefined, { month: "short", day: "numeric", year: days > 300 || days < -300 ? "numeric" : undefined });
}

/**
 * One task on the Tasks page. The row itself is focusable (j/k move between rows, the page handles x/s/Enter);
 * its buttons do the same for mouse and touch users. VIEWERs get the row without the editing controls.
 */
export function TaskRow(props: {
  task: TaskItem;
  overdue: boolean;
  focused: boolean;
  showOwner: boolean;
  canEdit: boolean;
  users: User[];
  snoozeOpen: boolean;
  busy: boolean;
  onFocus: () => void;
  onComplete: () => void;
  onSnoozeOpen: (open: boolean) => void;
  onSnooze: (choice: SnoozeChoice) => void;
  onReassign: (ownerId: string) => void;
}) {
  const { task, overdue, focused, showOwner, canEdit, users, snoozeOpen, busy } = props;
  const subject = task.subject ?? "Untitled task";
  const subjectId = `task-${task.id}-subject`;
  return (
    <li
      data-task-id={task.id}
      tabIndex={focused ? 0 : -1}
      aria-labelledby={subjectId}
      aria-current={focused ? "true" : undefined}
      onFocus={(e) => {
        if (e.target === e.currentTarget) props.onFocus();
      }}
      className="relative flex flex-wrap items-center gap-x-3 gap-y-1.5 px-3 py-2.5 outline-none focus:ring-2 focus:ring-inset focus:ring-(--accent) aria-[current=true]:bg-slate-50"
    >
      {canEdit && (
        <button
          type="button"
          disabled={busy}
          onClick={props.onComplete}
          aria-label={`Complete “${subject}”`}
          className="inline-flex size-5 shrink-0 items-center justify-center rounded-full border-2 border-slate-400 text-transparent hover:border-(--accent) hover:text-(--accent) disabled:opacity-50"
        >
          <svg aria-hidden="true" viewBox="0 0 20 20" className="size-3" fill="currentColor">
            <path d="M16.7 5.3a1 1 0 0 1 0 1.4l-8 8a1 1 0 0 1-1.4 0l-4-4a1 1 0 1 1 1.4-1.4L8 12.6l7.3-7.3a1 1 0 0 1 1.4 0Z" />
          </svg>
        </button>
      )}
      <div className="min-w-0 flex-1 basis-48">
        <p id={subjectId} className="truncate text-sm font-medium text-slate-900">
          {subject}
        </p>
        <p className="mt-0.5 flex flex-wrap gap-x-2 text-xs text-slate-500">
          <span className={overdue ? "font-medium text-red-700" : undefined}>{dueLabel(task.dueAt)}</span>
          {task.target && (
            <Link to={recordPath(task.target.type, task.target.id)} tabIndex={-1} className="underline-offset-2 hover:text-slate-800 hover:underline">
              {task.target.name ?? `Open ${task.target.type}`}
            </Link>
          )}
          {showOwner && !canEdit && <span>· {task.ownerName ?? "Unassigned"}</span>}
        </p>
      </div>
      {canEdit && (
        <div className="flex items-center gap-2">
          {showOwner && (
            <select
              aria-label={`Owner of “${subject}”`}
              value={task.ownerId ?? ""}
              disabled={busy}
              onChange={(e) => props.onReassign(e.target.value)}
              className="h-8 max-w-40 rounded-md border border-slate-300 bg-white px-2 text-xs text-slate-700"
            >
              {!task.ownerId && <option value="">Unassigned</option>}
              {users.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
            </select>
          )}
          {!showOwner && (
            <select
              aria-label={`Reassign “${subject}”`}
              value=""
              disabled={busy}
              onChange={(e) => e.target.value && props.onReassign(e.target.value)}
              className="h-8 max-w-32 rounded-md border border-slate-300 bg-white px-2 text-xs text-slate-700"
            >
              <option value="">Reassign…</option>
              {users
                .filter((u) => u.id !== task.ownerId)
                .map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.name}
                  </option>
                ))}
            </select>
          )}
          <div className="relative">
            <button
              type="button"
              aria-expanded={snoozeOpen}
              aria-haspopup="dialog"
              disabled={busy}
              onClick={() => props.onSnoozeOpen(!snoozeOpen)}
              className="h-8 rounded-md border border-slate-300 bg-white px-2.5 text-xs font-medium text-slate-700 hover:bg-slate-50"
            >
              Snooze
            </button>
            {snoozeOpen && <SnoozePopover subject={subject} onChoose={props.onSnooze} onClose={() => props.onSnoozeOpen(false)} />}
          </div>
        </div>
      )}
    </li>
  );
}
