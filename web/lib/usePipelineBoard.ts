import { useCallback, useEffect, useRef, useState } from "react";
import { getPipeline, getPipelineTotals, getStageCards, isAbortError } from "./api";
import { appendCards, withTotals } from "./board";
import { pipelineFiltersKey } from "./pipeline";
import type { Pipeline, PipelineFilters } from "./types";

export interface PipelineBoardState {
  board: Pipeline | undefined;
  error: unknown;
  status: "loading" | "error" | "success";
  /** A request is in flight while a board is on screen (filters changed, or a refresh after a save). */
  isRefreshing: boolean;
  /** Applies a local (optimistic) change; a server answer that started before it is then ignored. */
  mutate(update: (board: Pipeline) => Pipeline): void;
  /** Puts back a board saved earlier (rollback). */
  restore(board: Pipeline): void;
  /**
   * Runs a save: while any save is in flight, refreshes are held back (they would show the board from before
   * it); when the last one settles, only the counts and totals are fetched again (the cards on screen are
   * already right: the move or edit was applied locally and the saved record merged in).
   */
  track<T>(save: Promise<T>): Promise<T>;
  reload(): void;
  /** Fetches the next page of a column (on scroll near its end, or its "Load more" button). */
  loadMore(stageId: string): void;
  /** Columns whose next page is being fetched. */
  loadingStages: ReadonlySet<string>;
  loadMoreError: unknown;
}

/**
 * The board for a filter set, with optimistic updates that never get overwritten by a response to an older
 * request: every local change bumps an epoch, and a response is applied only if no change happened since its
 * request started and no save is in flight.
 */
export function usePipelineBoard(filters: PipelineFilters): PipelineBoardState {
  const key = pipelineFiltersKey(filters);
  const [board, setBoard] = useState<Pipeline>();
  const [error, setError] = useState<unknown>();
  const [pending, setPending] = useState(true);
  const [attempt, setAttempt] = useState(0);
  const epoch = useRef(0);
  const inFlight = useRef(0);
  const filtersRef = useRef(filters);
  filtersRef.current = filters;
  const boardRef = useRef(board);
  boardRef.current = board;
  const [loadingStages, setLoadingStages] = useState<ReadonlySet<string>>(() => new Set());
  const [loadMoreError, setLoadMoreError] = useState<unknown>();

  useEffect(() => {
    const controller = new AbortController();
    const startedAt = epoch.current;
    setPending(true);
    getPipeline(filtersRef.current, { signal: controller.signal }).then(
      (data) => {
        if (controller.signal.aborted) return;
        setPending(false);
        if (epoch.current !== startedAt || inFlight.current > 0) return; // a newer local change wins; track() refreshes again
        setBoard(data);
        setError(undefined);
      },
      (err: unknown) => {
        if (controller.signal.aborted || isAbortError(err)) return;
        setPending(false);
        setError(err);
      },
    );
    return () => controller.abort();
  }, [key, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  const mutate = useCallback((update: (b: Pipeline) => Pipeline) => {
    epoch.current++;
    setBoard((b) => (b ? update(b) : b));
  }, []);
  const restore = useCallback((saved: Pipeline) => {
    epoch.current++;
    setBoard(saved);
  }, []);
  const refreshTotals = useCallback(() => {
    const startedAt = epoch.current;
    const key = pipelineFiltersKey(filtersRef.current);
    getPipelineTotals(filtersRef.current).then(
      (numbers) => {
        // A newer local change (or other filters) wins: its own save refreshes again when it settles.
        if (epoch.current !== startedAt || inFlight.current > 0 || key !== pipelineFiltersKey(filtersRef.current)) return;
        setBoard((b) => (b ? withTotals(b, numbers) : b));
      },
      () => {
        // The locally computed numbers stay; the next save or a reload brings the server's.
      },
    );
  }, []);
  const track = useCallback(
    async <T>(save: Promise<T>): Promise<T> => {
      inFlight.current++;
      try {
        return await save;
      } finally {
        inFlight.current--;
        if (inFlight.current === 0) refreshTotals();
      }
    },
    [refreshTotals],
  );
  const loading = useRef(new Set<string>());
  const loadMore = useCallback((stageId: string) => {
    const cursor = boardRef.current?.stages.find((s) => s.id === stageId)?.nextCursor;
    if (!cursor || loading.current.has(stageId)) return;
    const key = pipelineFiltersKey(filtersRef.current);
    loading.current.add(stageId);
    setLoadingStages(new Set(loading.current));
    getStageCards(stageId, filtersRef.current, cursor)
      .then(
        (page) => {
          if (key !== pipelineFiltersKey(filtersRef.current)) return;
          setLoadMoreError(undefined);
          setBoard((b) => (b ? appendCards(b, stageId, cursor, page) : b));
        },
        (err: unknown) => setLoadMoreError(err),
      )
      .finally(() => {
        loading.current.delete(stageId);
        setLoadingStages(new Set(loading.current));
      });
  }, []);

  const status = board === undefined ? (error ? "error" : "loading") : "success";
  // While new filters load, the previous board stays on screen (marked busy) instead of a skeleton.
  const isRefreshing = board !== undefined && pending;
  return { board, error, status, isRefreshing, mutate, restore, track, reload, loadMore, loadingStages, loadMoreError };
}
