import { useCallback, useEffect, useRef, useState } from "react";
import { isAbortError } from "./api";
import { getTaskSummary, groupOf, listTasks, TASK_GROUPS, type TaskBounds, type TaskGroup, type TaskItem, type TaskScope } from "./tasks";

export interface GroupState {
  items: TaskItem[];
  nextCursor: string | null;
  status: "loading" | "error" | "success";
  error?: unknown;
  loadingMore: boolean;
}
type Groups = Record<TaskGroup, GroupState>;
type Counts = Record<TaskGroup, number>;

const emptyGroups = (): Groups =>
  Object.fromEntries(TASK_GROUPS.map((g) => [g.key, { items: [], nextCursor: null, status: "loading", loadingMore: false }])) as unknown as Groups;

const byDue = (a: TaskItem, b: TaskItem) => (a.dueAt ?? "").localeCompare(b.dueAt ?? "") || a.id.localeCompare(b.id);

/**
 * The five groups of the Tasks page: exact counts from /api/tasks/summary, the first page of each non-empty group,
 * "load more" per group, and local moves after a change (complete, undo, snooze, reassign) so lists and counts agree
 * without a refetch.
 */
export function useTaskGroups(scope: TaskScope, bounds: TaskBounds, meId: string) {
  const [counts, setCounts] = useState<Counts | null>(null);
  const [summaryError, setSummaryError] = useState<unknown>(null);
  const [groups, setGroups] = useState<Groups>(emptyGroups);
  const [attempt, setAttempt] = useState(0);
  const boundsKey = `${bounds.todayStart}|${bounds.weekEnd}`;
  const boundsRef = useRef(bounds);
  boundsRef.current = bounds;

  useEffect(() => {
    const controller = new AbortController();
    const { signal } = controller;
    setGroups(emptyGroups());
    setCounts(null);
    setSummaryError(null);
    getTaskSummary(scope, boundsRef.current, { signal }).then(
      (summary) => {
        if (signal.aborted) return;
        setCounts(summary.counts);
        for (const { key } of TASK_GROUPS) {
          if (summary.counts[key] === 0) {
            setGroups((g) => ({ ...g, [key]: { items: [], nextCursor: null, status: "success", loadingMore: false } }));
            continue;
          }
          listTasks(scope, key, boundsRef.current, null, { signal }).then(
            (page) => !signal.aborted && setGroups((g) => ({ ...g, [key]: { items: page.data, nextCursor: page.nextCursor, status: "success", loadingMore: false } })),
            (error: unknown) => !signal.aborted && !isAbortError(error) && setGroups((g) => ({ ...g, [key]: { ...g[key], status: "error", error } })),
          );
        }
      },
      (error: unknown) => !signal.aborted && !isAbortError(error) && setSummaryError(error),
    );
    return () => controller.abort();
  }, [scope, boundsKey, attempt]);

  const loadMore = useCallback(
    (key: TaskGroup) => {
      const cursor = groups[key].nextCursor;
      if (!cursor || groups[key].loadingMore) return;
      setGroups((g) => ({ ...g, [key]: { ...g[key], loadingMore: true } }));
      listTasks(scope, key, boundsRef.current, cursor).then(
        (page) => setGroups((g) => ({ ...g, [key]: { ...g[key], items: [...g[key].items, ...page.data], nextCursor: page.nextCursor, loadingMore: false } })),
        (error: unknown) => setGroups((g) => ({ ...g, [key]: { ...g[key], loadingMore: false, error } })),
      );
    },
    [groups, scope],
  );

  /** Takes a task off the page (completed, or reassigned away from "My tasks"). */
  const remove = useCallback((task: TaskItem) => {
    const key = groupOf(task.dueAt, boundsRef.current);
    setGroups((g) => ({ ...g, [key]: { ...g[key], items: g[key].items.filter((t) => t.id !== task.id) } }));
    setCounts((c) => c && { ...c, [key]: Math.max(0, c[key] - 1) });
  }, []);

  /**
   * Puts a task (back) where its due date belongs: into the loaded part of its group when it sorts within it (else
   * it is counted and arrives with "load more").
   */
  const place = useCallback(
    (task: TaskItem) => {
      if (scope === "mine" && task.ownerId !== meId) return;
      const key = groupOf(task.dueAt, boundsRef.current);
      setGroups((g) => {
        const group = g[key];
        const last = group.items.at(-1);
        const fits = !group.nextCursor || !last || byDue(task, last) <= 0;
        const items = fits ? [...group.items.filter((t) => t.id !== task.id), task].sort(byDue) : group.items;
        return { ...g, [key]: { ...group, items, status: "success" } };
      });
      setCounts((c) => c && { ...c, [key]: c[key] + 1 });
    },
    [scope, meId],
  );

  /** Replaces a task in place (an owner change seen from "Team tasks"). */
  const replace = useCallback((task: TaskItem) => {
    const key = groupOf(task.dueAt, boundsRef.current);
    setGroups((g) => ({ ...g, [key]: { ...g[key], items: g[key].items.map((t) => (t.id === task.id ? task : t)) } }));
  }, []);

  return { counts, summaryError, groups, loadMore, remove, place, replace, reload: () => setAttempt((n) => n + 1) };
}
