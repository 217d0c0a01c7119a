import { useCallback, useEffect, useRef, useState } from "react";
import { getPipeline, isAbortError } from "./api";
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
   * it); when the last one settles, the board is fetched again so counts and totals are the server's.
   */
  track<T>(save: Promise<T>): Promise<T>;
  reload(): void;
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
  const track = useCallback(
    async <T>(save: Promise<T>): Promise<T> => {
      inFlight.current++;
      try {
        return await save;
      } finally {
        inFlight.current--;
        if (inFlight.current === 0) reload();
      }
    },
    [reload],
  );

  const status = board === undefined ? (error ? "error" : "loading") : "success";
  // While new filters load, the previous board stays on screen (marked busy) instead of a skeleton.
  const isRefreshing = board !== undefined && pending;
  return { board, error, status, isRefreshing, mutate, restore, track, reload };
}
