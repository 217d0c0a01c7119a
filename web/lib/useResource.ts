import { useCallback, useEffect, useEffectEvent, useState, type SetStateAction } from "react";
import { isAbortError } from "./api";

export interface ResourceState<T> {
  data: T | undefined;
  error: unknown;
  /** "loading": nothing to show yet. "error": the last request failed. "success": `data` is current. */
  status: "loading" | "error" | "success";
  /** A request is in flight while older data is still on screen. */
  isRefreshing: boolean;
  /** Fetch again with the same key (retry buttons, after a mutation). */
  reload(): void;
  /** Replace the data locally, e.g. for an optimistic update; `reload()` reconciles with the server. */
  setData(update: SetStateAction<T | undefined>): void;
}

interface InternalState<T> {
  key: string;
  data: T | undefined;
  error: unknown;
  pending: boolean;
}

/**
 * Loads data for a route. `key` identifies the request (serialise its inputs): a new key aborts the request in
 * flight and starts another. With `keepPreviousData`, the old data stays visible meanwhile (filters, search),
 * so the screen does not fall back to a skeleton on every keystroke.
 */
export function useResource<T>(
  key: string,
  load: (signal: AbortSignal) => Promise<T>,
  options: { keepPreviousData?: boolean } = {},
): ResourceState<T> {
  const [state, setState] = useState<InternalState<T>>({ key, data: undefined, error: undefined, pending: true });
  const [attempt, setAttempt] = useState(0);
  const runLoad = useEffectEvent(load);

  useEffect(() => {
    const controller = new AbortController();
    setState((s) => (s.pending && s.key === key ? s : { ...s, pending: true }));
    runLoad(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ key, data, error: undefined, pending: false });
      },
      (error: unknown) => {
        if (controller.signal.aborted || isAbortError(error)) return;
        setState((s) => ({ ...s, key, error, pending: false }));
      },
    );
    return () => controller.abort();
  }, [key, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  const setData = useCallback(
    (update: SetStateAction<T | undefined>) =>
      setState((s) => ({
        ...s,
        data: typeof update === "function" ? (update as (prev: T | undefined) => T | undefined)(s.data) : update,
      })),
    [],
  );

  const stale = state.key !== key;
  const data = stale && !options.keepPreviousData ? undefined : state.data;
  const error = stale ? undefined : state.error;
  const pending = state.pending || stale;
  // A retry after a failure with nothing on screen shows the loading state again, not the stale error.
  const status = pending && data === undefined ? "loading" : error ? "error" : data === undefined ? "loading" : "success";

  return { data, error, status, isRefreshing: pending && data !== undefined, reload, setData };
}
