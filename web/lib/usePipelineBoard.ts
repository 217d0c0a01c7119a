import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useRef, useState } from "react";
import { getPipelineTotals, getStageCards } from "./api";
import { appendCards, withTotals } from "./board";
import { queries } from "./queries";
import type { Pipeline, PipelineFilters } from "./api-types";

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
 * The board for a filter set, kept in the query cache (coming back to the board shows it at once, with the local
 * changes made on it), with optimistic updates that never get overwritten by a response to an older request: every
 * local change bumps an epoch, and a response is applied only if no change happened since its request started and no
 * save is in flight.
 */
export function usePipelineBoard(filters: PipelineFilters): PipelineBoardState {
  const client = useQueryClient();
  const query = queries.board(filters);
  const key = query.queryKey;
  const epoch = useRef(0);
  const inFlight = useRef(0);
  const filtersRef = useRef(filters);
  filtersRef.current = filters;
  const keyRef = useRef(key);
  keyRef.current = key;
  const [loadingStages, setLoadingStages] = useState<ReadonlySet<string>>(() => new Set());
  const [loadMoreError, setLoadMoreError] = useState<unknown>();

  const result = useQuery<Pipeline>({
    queryKey: key,
    queryFn: async (context) => {
      const startedAt = epoch.current;
      const data = await query.queryFn(context);
      // A newer local change wins (its save refreshes the numbers when it settles): keep what is on screen.
      if (epoch.current !== startedAt || inFlight.current > 0) return client.getQueryData<Pipeline>(key) ?? data;
      return data;
    },
    // While new filters load, the previous board stays on screen (marked busy) instead of a skeleton.
    placeholderData: keepPreviousData,
    // Cards change one at a time during a drag: no deep comparison of the whole board on every step.
    structuralSharing: false,
  });
  const board = result.data;
  const boardRef = useRef(board);
  boardRef.current = board;

  const setBoard = useCallback(
    (update: (b: Pipeline) => Pipeline, onKey: readonly unknown[] = keyRef.current) => client.setQueryData<Pipeline>(onKey, (b) => (b ? update(b) : b)),
    [client],
  );
  const { refetch } = result;
  const reload = useCallback(() => void refetch(), [refetch]);
  const mutate = useCallback(
    (update: (b: Pipeline) => Pipeline) => {
      epoch.current++;
      setBoard(update);
    },
    [setBoard],
  );
  const restore = useCallback(
    (saved: Pipeline) => {
      epoch.current++;
      client.setQueryData<Pipeline>(keyRef.current, saved);
    },
    [client],
  );
  const refreshTotals = useCallback(() => {
    const startedAt = epoch.current;
    const onKey = keyRef.current;
    getPipelineTotals(filtersRef.current).then(
      (numbers) => {
        // A newer local change (or other filters) wins: its own save refreshes again when it settles.
        if (epoch.current !== startedAt || inFlight.current > 0 || JSON.stringify(onKey) !== JSON.stringify(keyRef.current)) return;
        setBoard((b) => withTotals(b, numbers), onKey);
      },
      () => {
        // The locally computed numbers stay; the next save or a reload brings the server's.
      },
    );
  }, [setBoard]);
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
  const loadMore = useCallback(
    (stageId: string) => {
      const cursor = boardRef.current?.stages.find((s) => s.id === stageId)?.nextCursor;
      if (!cursor || loading.current.has(stageId)) return;
      const onKey = keyRef.current;
      loading.current.add(stageId);
      setLoadingStages(new Set(loading.current));
      getStageCards(stageId, filtersRef.current, cursor)
        .then(
          (page) => {
            setLoadMoreError(undefined);
            setBoard((b) => appendCards(b, stageId, cursor, page), onKey);
          },
          (err: unknown) => setLoadMoreError(err),
        )
        .finally(() => {
          loading.current.delete(stageId);
          setLoadingStages(new Set(loading.current));
        });
    },
    [setBoard],
  );

  const error = result.error ?? undefined;
  const status = board === undefined ? (result.isError && !result.isFetching ? "error" : "loading") : "success";
  const isRefreshing = board !== undefined && result.isFetching;
  return { board, error, status, isRefreshing, mutate, restore, track, reload, loadMore, loadingStages, loadMoreError };
}
