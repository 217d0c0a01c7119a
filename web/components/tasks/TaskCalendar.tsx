import { DndContext, KeyboardSensor, PointerSensor, TouchSensor, useDraggable, useDroppable, useSensor, useSensors, type DragEndEvent } from "@dnd-kit/core";
import { useState } from "react";
import { Link } from "react-router";
import { errorMessage } from "../../lib/api";
import { updateActivity } from "../../lib/records";
import { recordPath } from "../../lib/search";
import { calendarDays, dayKey, getCalendar, moveToDay, type CalendarItem, type CalendarMode, type TaskScope } from "../../lib/tasks";
import { useResource } from "../../lib/useResource";
import { ErrorState } from "../ErrorState";
import { useToast } from "../ui/Toast";

/**
 * Week and month calendar of open tasks (by due date) and meetings (by time). Dragging an item to another day keeps
 * its time of day and saves dueAt (task) or happenedAt (meeting); keyboard users pick it up with Space, move with the
 * arrow keys and drop with Space. VIEWERs see the calendar without dragging.
 */
export function TaskCalendar({ scope, canEdit }: { scope: TaskScope; canEdit: boolean }) {
  const [mode, setMode] = useState<CalendarMode>("week");
  const [anchor, setAnchor] = useState(() => new Date());
  const days = calendarDays(mode, anchor);
  const from = days[0]!;
  const to = new Date(days.at(-1)!.getFullYear(), days.at(-1)!.getMonth(), days.at(-1)!.getDate() + 1);
  const cal = useResource(`calendar:${scope}:${mode}:${dayKey(from)}`, (signal) => getCalendar(scope, from, to, { signal }), { keepPreviousData: true });
  const toast = useToast();
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(TouchSensor, { activationConstraint: { delay: 200, tolerance: 6 } }),
    useSensor(KeyboardSensor),
  );

  const byDay = new Map<string, CalendarItem[]>();
  for (const item of cal.data?.items ?? []) {
    const key = dayKey(new Date(item.at));
    byDay.set(key, [...(byDay.get(key) ?? []), item]);
  }

  async function onDragEnd(event: DragEndEvent) {
    const item = (cal.data?.items ?? []).find((i) => i.id === event.active.id);
    const day = event.over?.id;
    if (!item || typeof day !== "string" || dayKey(new Date(item.at)) === day) return;
    const at = moveToDay(item.at, day);
    cal.setData((c) => c && { ...c, items: c.items.map((i) => (i.id === item.id ? { ...i, at } : i)) });
    try {
      await updateActivity(item.id, item.kind === "task" ? { dueAt: at } : { happenedAt: at });
      toast.success(`Moved “${item.subject ?? item.kind}” to ${new Date(at).toLocaleDateString(undefined, { weekday: "short", month: "short", day: "numeric" })}`);
    } catch (err) {
      toast.error(`Couldn’t move it: ${errorMessage(err)}`);
      cal.reload();
    }
  }

  const step = (n: number) =>
    setAnchor((a) => (mode === "week" ? new Date(a.getFullYear(), a.getMonth(), a.getDate() + 7 * n) : new Date(a.getFullYear(), a.getMonth() + n, 1)));
  const title =
    mode === "week"
      ? `${from.toLocaleDateString(undefined, { month: "short", day: "numeric" })} – ${days.at(-1)!.toLocaleDateString(undefined, { month: "short", day: "numeric", year: "numeric" })}`
      : anchor.toLocaleDateString(undefined, { month: "long", year: "numeric" });
  const today = dayKey(new Date());
  const btn = "h-8 rounded-md border border-slate-300 bg-white px-2.5 text-sm font-medium text-slate-700 hover:bg-slate-50";

  return (
    <section aria-label="Calendar" data-testid="task-calendar" aria-busy={cal.status === "loading" || cal.isRefreshing}>
      <div className="mb-3 flex flex-wrap items-center gap-2">
        <button type="button" className={btn} onClick={() => step(-1)} aria-label={mode === "week" ? "Previous week" : "Previous month"}>
          ‹
        </button>
        <button type="button" className={btn} onClick={() => setAnchor(new Date())}>
          Today
        </button>
        <button type="button" className={btn} onClick={() => step(1)} aria-label={mode === "week" ? "Next week" : "Next month"}>
          ›
        </button>
        <h2 className="ml-1 text-sm font-semibold text-slate-900" aria-live="polite">
          {title}
        </h2>
        <div role="group" aria-label="Calendar range" className="ml-auto inline-flex rounded-lg bg-slate-100 p-1">
          {(["week", "month"] as const).map((m) => (
            <button
              key={m}
              type="button"
              aria-pressed={mode === m}
              onClick={() => setMode(m)}
              className={`rounded-md px-3 py-1 text-sm font-medium ${mode === m ? "bg-white text-slate-900 shadow-sm" : "text-slate-600"}`}
            >
              {m === "week" ? "Week" : "Month"}
            </button>
          ))}
        </div>
      </div>
      {cal.status === "error" ? (
        <ErrorState title="Couldn’t load the calendar" error={cal.error} onRetry={cal.reload} />
      ) : (
        <DndContext sensors={sensors} onDragEnd={(e) => void onDragEnd(e)} accessibility={{ screenReaderInstructions: { draggable: "Press Space to pick up, arrow keys to move to another day, Space to drop." } }}>
          <div className={`grid gap-px overflow-hidden rounded-lg border border-slate-200 bg-slate-200 ${mode === "week" ? "grid-cols-1 sm:grid-cols-7" : "grid-cols-7"}`}>
            {days.map((d) => {
              const key = dayKey(d);
              return (
                <Day key={key} dayKey={key} date={d} isToday={key === today} dim={mode === "month" && d.getMonth() !== anchor.getMonth()} tall={mode === "week"}>
                  {(byDay.get(key) ?? []).map((item) => (
                    <Chip key={item.id} item={item} canDrag={canEdit} compact={mode === "month"} />
                  ))}
                </Day>
              );
            })}
          </div>
        </DndContext>
      )}
      {cal.data?.truncated && <p className="mt-2 text-xs text-slate-500">Showing the first 500 tasks and 500 meetings of this range.</p>}
    </section>
  );
}

function Day({ dayKey: key, date, isToday, dim, tall, children }: { dayKey: string; date: Date; isToday: boolean; dim: boolean; tall: boolean; children: React.ReactNode }) {
  const { setNodeRef, isOver } = useDroppable({ id: key });
  return (
    <div ref={setNodeRef} data-day={key} className={`min-w-0 p-1.5 ${tall ? "min-h-32" : "min-h-20"} ${isOver ? "bg-indigo-50" : dim ? "bg-slate-50" : "bg-white"}`}>
      <p className={`mb-1 text-xs font-medium ${isToday ? "text-accent-hover" : dim ? "text-slate-400" : "text-slate-600"}`}>
        {tall ? date.toLocaleDateString(undefined, { weekday: "short", day: "numeric" }) : date.getDate()}
        {isToday && <span className="sr-only"> (today)</span>}
      </p>
      <ul className="space-y-1">{children}</ul>
    </div>
  );
}

function Chip({ item, canDrag, compact }: { item: CalendarItem; canDrag: boolean; compact: boolean }) {
  const { attributes, listeners, setNodeRef, transform, isDragging } = useDraggable({ id: item.id, disabled: !canDrag });
  const time = new Date(item.at).toLocaleTimeString(undefined, { hour: "numeric", minute: "2-digit" });
  const label = `${item.kind === "meeting" ? "Meeting" : "Task"}: ${item.subject ?? "Untitled"}, ${time}`;
  return (
    <li
      ref={setNodeRef}
      data-calendar-item={item.id}
      style={transform ? { transform: `translate3d(${transform.x}px, ${transform.y}px, 0)` } : undefined}
      className={`relative rounded px-1.5 py-0.5 text-xs ${item.kind === "meeting" ? "bg-sky-50 text-sky-900 ring-1 ring-sky-200" : "bg-amber-50 text-amber-900 ring-1 ring-amber-200"} ${
        isDragging ? "z-10 shadow-lg" : ""
      } ${canDrag ? "cursor-grab touch-none" : ""}`}
      {...(canDrag ? { ...attributes, ...listeners, "aria-label": `${label}. Drag to another day.` } : {})}
    >
      <span className="block truncate">
        {!compact && <span className="mr-1 font-medium">{time}</span>}
        {item.subject ?? "Untitled"}
      </span>
      {!compact && item.target && (
        <Link to={recordPath(item.target.type, item.target.id)} tabIndex={-1} className="block truncate text-[0.6875rem] opacity-75 hover:underline">
          {item.target.name}
        </Link>
      )}
    </li>
  );
}
