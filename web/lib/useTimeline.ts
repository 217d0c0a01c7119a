import { useCallback, useEffect, useRef, useState } from "react";
import { isAbortError } from "./api";
import { getTimeline, type RecordEntity, type TimelineItem } from "./records";

export const TIMELINE_PAGE = 20;

export interface TimelineState {
  items: TimelineItem[];
  status: "loading" | "error" | "success";
  error: unknown;
  hasMore: boolean;
  loadingMore: boolean;
  loadMore(): void;
  /** Fetches the newest page again (after logging an activity, a stage change, an upload…). */
  refresh(): void;
  /** Replaces one item locally (a task marked complete). */
  replace(id: string, changes: Partial<TimelineItem>): void;
}

/** A record's activity timeline, newest first, with "Load older" paging through cursors. */
export function useTimeline(entity: RecordEntity, id: string): TimelineState {
  const [items, setItems] = useState<TimelineItem[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [status, setStatus] = useState<TimelineState["status"]>("loading");
  const [error, setError] = useState<unknown>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const more = useRef<AbortController | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    more.current?.abort();
    getTimeline(entity, id, { limit: TIMELINE_PAGE }, { signal: controller.signal }).then(
      (page) => {
        setItems(page.data);
        setCursor(page.nextCursor);
        setStatus("success");
        setError(null);
      },
      (err: unknown) => {
        if (isAbortError(err) || controller.signal.aborted) return;
        setError(err);
        setStatus((s) => (s === "success" ? s : "error"));
      },
    );
    return () => controller.abort();
  }, [entity, id, attempt]);

  // A different record: start from a clean slate (no flash of the previous record's activity).
  useEffect(() => {
    setItems([]);
    setCursor(null);
    setStatus("loading");
  }, [entity, id]);

  const loadMore = useCallback(() => {
    if (!cursor || loadingMore) return;
    const controller = new AbortController();
    more.current = controller;
    setLoadingMore(true);
    getTimeline(entity, id, { limit: TIMELINE_PAGE, cursor }, { signal: controller.signal }).then(
      (page) => {
        setItems((current) => {
          const seen = new Set(current.map((i) => i.id));
          return [...current, ...page.data.filter((i) => !seen.has(i.id))];
        });
        setCursor(page.nextCursor);
        setLoadingMore(false);
      },
      (err: unknown) => {
        if (isAbortError(err)) return;
        setError(err);
        setLoadingMore(false);
      },
    );
  }, [cursor, loadingMore, entity, id]);

  const refresh = useCallback(() => setAttempt((n) => n + 1), []);
  const replace = useCallback((itemId: string, changes: Partial<TimelineItem>) => setItems((list) => list.map((i) => (i.id === itemId ? { ...i, ...changes } : i))), []);

  return { items, status, error, hasMore: !!cursor, loadingMore, loadMore, refresh, replace };
}
