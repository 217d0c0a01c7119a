import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useNavigate, useSearchParams } from "react-router";
import { ErrorState } from "../components/ErrorState";
import { PageHeader } from "../components/PageHeader";
import { ShortcutsHelp } from "../components/tasks/ShortcutsHelp";
import { TaskCalendar } from "../components/tasks/TaskCalendar";
import type { SnoozeChoice } from "../components/tasks/SnoozePopover";
import { TaskRow } from "../components/tasks/TaskRow";
import { Skeleton } from "../components/ui/Skeleton";
import { useToast } from "../components/ui/Toast";
import { errorMessage } from "../lib/api";
import { hasRole, useCurrentUser } from "../lib/auth";
import { isTypingContext } from "../lib/commands";
import { formatCount } from "../lib/format";
import { updateActivity } from "../lib/records";
import { recordPath } from "../lib/search";
import { snoozeTarget, TASK_GROUPS, taskBounds, type TaskItem, type TaskScope } from "../lib/tasks";
import { useTaskGroups } from "../lib/useTaskGroups";
import { useUsers } from "../lib/useUsers";

/**
 * /tasks — open tasks grouped Overdue · Today · This week · Later · No date, mine or the whole team's, with exact
 * counts per group. Triage by mouse or keyboard: j/k move, x completes (with Undo), s snoozes, Enter opens the record.
 */
export default function TasksRoute() {
  const me = useCurrentUser();
  const canEdit = hasRole(me, "USER");
  const [params, setParams] = useSearchParams();
  const scope: TaskScope = params.get("scope") === "team" ? "team" : "mine";
  const calendar = params.get("view") === "calendar";
  const [bounds] = useState(() => taskBounds());
  const { counts, summaryError, groups, loadMore, remove, place, replace, reload } = useTaskGroups(scope, bounds, me.id);
  const { users } = useUsers();
  const toast = useToast();
  const navigate = useNavigate();
  const [focusedId, setFocusedId] = useState<string | null>(null);
  const [snoozeId, setSnoozeId] = useState<string | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [helpOpen, setHelpOpen] = useState(false);
  const listRef = useRef<HTMLDivElement>(null);

  // Every loaded task in page order: what j/k walk through.
  const flat = useMemo(() => TASK_GROUPS.flatMap((g) => groups[g.key].items), [groups]);
  const focusRow = useCallback((id: string | null | undefined) => {
    if (!id) return;
    setFocusedId(id);
    requestAnimationFrame(() => listRef.current?.querySelector<HTMLElement>(`[data-task-id="${id}"]`)?.focus());
  }, []);

  const complete = useCallback(
    async (task: TaskItem) => {
      const index = flat.findIndex((t) => t.id === task.id);
      const neighbour = flat[index + 1] ?? flat[index - 1];
      setBusyId(task.id);
      try {
        await updateActivity(task.id, { completed: true });
        remove(task);
        if (focusedId === task.id) focusRow(neighbour?.id);
        toast.success(`Completed: ${task.subject ?? "task"}`, {
          action: {
            label: "Undo",
            onClick: () => {
              updateActivity(task.id, { completed: false }).then(
                () => {
                  place(task);
                  focusRow(task.id);
                },
                (err: unknown) => toast.error(`Couldn’t undo: ${errorMessage(err)}`),
              );
            },
          },
        });
      } catch (err) {
        toast.error(`Couldn’t complete the task: ${errorMessage(err)}`);
      } finally {
        setBusyId(null);
      }
    },
    [flat, focusedId, focusRow, place, remove, toast],
  );

  const snooze = useCallback(
    async (task: TaskItem, choice: SnoozeChoice) => {
      setSnoozeId(null);
      setBusyId(task.id);
      const dueAt = snoozeTarget(choice, task.dueAt);
      try {
        const saved = await updateActivity(task.id, { dueAt });
        remove(task);
        const moved = { ...task, dueAt: saved.dueAt, updatedAt: saved.updatedAt };
        place(moved);
        focusRow(task.id);
        toast.success(`Snoozed to ${new Date(dueAt).toLocaleDateString(undefined, { weekday: "short", month: "short", day: "numeric" })}`, {
          action: {
            label: "Undo",
            onClick: () => {
              updateActivity(task.id, { dueAt: task.dueAt }).then(
                () => {
                  remove(moved);
                  place(task);
                },
                (err: unknown) => toast.error(`Couldn’t undo: ${errorMessage(err)}`),
              );
            },
          },
        });
      } catch (err) {
        toast.error(`Couldn’t snooze the task: ${errorMessage(err)}`);
      } finally {
        setBusyId(null);
      }
    },
    [focusRow, place, remove, toast],
  );

  const reassign = useCallback(
    async (task: TaskItem, ownerId: string) => {
      setBusyId(task.id);
      try {
        await updateActivity(task.id, { ownerId });
        const owner = users.find((u) => u.id === ownerId);
        const moved = { ...task, ownerId, ownerName: owner?.name ?? null };
        if (scope === "mine" && ownerId !== me.id) remove(task);
        else replace(moved);
        toast.success(`Assigned to ${owner?.name ?? "a colleague"}`);
      } catch (err) {
        toast.error(`Couldn’t reassign the task: ${errorMessage(err)}`);
      } finally {
        setBusyId(null);
      }
    },
    [me.id, remove, replace, scope, toast, users],
  );

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.isComposing || event.metaKey || event.ctrlKey || event.altKey) return;
      if (isTypingContext(event) || (event.target as HTMLElement | null)?.closest?.("[data-snooze-popover]")) return;
      if (event.key === "?") {
        event.preventDefault();
        setHelpOpen((o) => !o);
        return;
      }
      // Triage keys act on the list; the calendar has its own (dnd-kit's Space / arrows).
      if (calendar) return;
      const index = flat.findIndex((t) => t.id === focusedId);
      const current = index >= 0 ? flat[index] : undefined;
      const onRow = (event.target as HTMLElement | null)?.hasAttribute?.("data-task-id") ?? false;
      switch (event.key) {
        case "j":
        case "ArrowDown":
          if (event.key === "ArrowDown" && !onRow) return;
          event.preventDefault();
          focusRow((flat[index + 1] ?? flat[index] ?? flat[0])?.id);
          break;
        case "k":
        case "ArrowUp":
          if (event.key === "ArrowUp" && !onRow) return;
          event.preventDefault();
          focusRow((index > 0 ? flat[index - 1] : flat[0])?.id);
          break;
        case "x":
          if (!current || !canEdit) return;
          event.preventDefault();
          void complete(current);
          break;
        case "s":
          if (!current || !canEdit) return;
          event.preventDefault();
          setSnoozeId(current.id);
          break;
        case "Enter":
          if (!current?.target || !onRow) return;
          event.preventDefault();
          navigate(recordPath(current.target.type, current.target.id));
          break;
      }
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [calendar, canEdit, complete, flat, focusRow, focusedId, navigate]);

  const tab = (value: TaskScope, label: string) => (
    <button
      type="button"
      role="tab"
      aria-selected={scope === value}
      onClick={() => setParams({ ...(value === "team" && { scope: "team" }), ...(calendar && { view: "calendar" }) }, { replace: true })}
      className={`rounded-md px-3 py-1.5 text-sm font-medium ${scope === value ? "bg-white text-slate-900 shadow-sm" : "text-slate-600 hover:text-slate-900"}`}
    >
      {label}
    </button>
  );
  const total = counts ? Object.values(counts).reduce((a, b) => a + b, 0) : null;

  return (
    <>
      <PageHeader
        title="Tasks"
        description={total === null ? "Open tasks by due date" : `${formatCount(total)} open ${total === 1 ? "task" : "tasks"}${scope === "team" ? " in the team" : ""}`}
        actions={<ShortcutsHelp open={helpOpen} onToggle={setHelpOpen} canEdit={canEdit} />}
      >
        <div className="mt-3 flex flex-wrap items-center gap-2">
          <div role="tablist" aria-label="Whose tasks" className="inline-flex rounded-lg bg-slate-100 p-1">
            {tab("mine", "My tasks")}
            {tab("team", "Team tasks")}
          </div>
          <div role="group" aria-label="View" className="inline-flex rounded-lg bg-slate-100 p-1">
            {(["list", "calendar"] as const).map((v) => (
              <button
                key={v}
                type="button"
                aria-pressed={calendar === (v === "calendar")}
                onClick={() => setParams({ ...(scope === "team" && { scope: "team" }), ...(v === "calendar" && { view: "calendar" }) }, { replace: true })}
                className={`rounded-md px-3 py-1.5 text-sm font-medium ${calendar === (v === "calendar") ? "bg-white text-slate-900 shadow-sm" : "text-slate-600 hover:text-slate-900"}`}
              >
                {v === "list" ? "List" : "Calendar"}
              </button>
            ))}
          </div>
        </div>
      </PageHeader>
      {calendar ? (
        <div className="mx-auto w-full max-w-6xl px-4 py-5 sm:px-6">
          <TaskCalendar scope={scope} canEdit={canEdit} />
        </div>
      ) : (
      <div ref={listRef} className="mx-auto w-full max-w-4xl space-y-6 px-4 py-5 sm:px-6">
        {summaryError ? (
          <ErrorState title="Couldn’t load tasks" error={summaryError} onRetry={reload} />
        ) : (
          TASK_GROUPS.map(({ key, label }) => {
            const group = groups[key];
            const count = counts?.[key];
            const headingId = `tasks-group-${key}`;
            return (
              <section key={key} aria-labelledby={headingId} data-group={key}>
                <h2 id={headingId} className="mb-2 flex items-baseline gap-2 text-sm font-semibold text-slate-900">
                  <span className={key === "overdue" && count ? "text-red-700" : undefined}>{label}</span>
                  <span className="rounded-full bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-600" data-testid={`count-${key}`}>
                    {count === undefined ? "…" : formatCount(count)}
                  </span>
                </h2>
                {group.status === "loading" ? (
                  <div className="space-y-2 rounded-lg border border-slate-200 bg-white p-3">
                    <Skeleton className="h-4 w-2/3" />
                    <Skeleton className="h-4 w-1/2" />
                  </div>
                ) : group.status === "error" ? (
                  <ErrorState title={`Couldn’t load ${label.toLowerCase()}`} error={group.error} onRetry={reload} />
                ) : group.items.length === 0 ? (
                  <p className="rounded-lg border border-dashed border-slate-200 px-3 py-3 text-sm text-slate-500">Nothing here.</p>
                ) : (
                  <>
                    <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
                      {group.items.map((task) => (
                        <TaskRow
                          key={task.id}
                          task={task}
                          overdue={key === "overdue"}
                          focused={focusedId === task.id || (!focusedId && flat[0]?.id === task.id)}
                          showOwner={scope === "team"}
                          canEdit={canEdit}
                          users={users}
                          busy={busyId === task.id}
                          snoozeOpen={snoozeId === task.id}
                          onFocus={() => setFocusedId(task.id)}
                          onComplete={() => void complete(task)}
                          onSnoozeOpen={(open) => {
                            setSnoozeId(open ? task.id : null);
                            if (!open) focusRow(task.id);
                          }}
                          onSnooze={(choice) => void snooze(task, choice)}
                          onReassign={(ownerId) => void reassign(task, ownerId)}
                        />
                      ))}
                    </ul>
                    {group.nextCursor && (
                      <button
                        type="button"
                        onClick={() => loadMore(key)}
                        disabled={group.loadingMore}
                        className="mt-2 text-sm font-medium text-accent-hover underline-offset-2 hover:underline disabled:opacity-60"
                      >
                        {group.loadingMore ? "Loading…" : `Show more (${formatCount((count ?? 0) - group.items.length)} left)`}
                      </button>
                    )}
                  </>
                )}
              </section>
            );
          })
        )}
      </div>
      )}
    </>
  );
}
