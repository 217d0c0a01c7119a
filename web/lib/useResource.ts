import { keepPreviousData, useQuery, useQueryClient, type QueryKey } from "@tanstack/react-query";
import { useCallback, useMemo, useRef, type SetStateAction } from "react";

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

export interface ResourceOptions {
  /** Keep the previous key's data on screen while the new one loads (filters, search, paging). */
  keepPreviousData?: boolean;
  /** How long an answer counts as fresh (no refetch when the page is shown again); the cache default otherwise. */
  staleTime?: number;
}

/** A query described once (key + loader), shared by a page and whatever prefetches it (lib/queries.ts). */
export interface ResourceQuery<T> {
  queryKey: QueryKey;
  queryFn: (context: { signal: AbortSignal }) => Promise<T>;
  staleTime?: number;
}

/**
 * Loads data for a route through the query cache. `key` identifies the request (an array key from lib/query.ts, or
 * a string naming a screen-local read): data cached under it shows at once — coming back to a page is instant — and
 * is revalidated behind it when stale. Two screens using the same key share one request and one answer.
 */
export function useResource<T>(key: string | QueryKey, load: (signal: AbortSignal) => Promise<T>, options: ResourceOptions = {}): ResourceState<T> {
  // The newest `load` of this component; the key decides when it runs.
  const loadRef = useRef(load);
  loadRef.current = load;
  const queryKey = typeof key === "string" ? ["resource", key] : key;
  return useQueryResource({ queryKey, queryFn: ({ signal }) => loadRef.current(signal), staleTime: options.staleTime }, options);
}

/** `useResource` for a query described in lib/queries.ts. */
export function useQueryResource<T>(query: ResourceQuery<T>, options: Pick<ResourceOptions, "keepPreviousData"> = {}): ResourceState<T> {
  const client = useQueryClient();
  const result = useQuery<T>({
    queryKey: query.queryKey,
    queryFn: query.queryFn,
    ...(query.staleTime !== undefined ? { staleTime: query.staleTime } : {}),
    placeholderData: options.keepPreviousData ? keepPreviousData : undefined,
  });
  const keyRef = useRef(query.queryKey);
  keyRef.current = query.queryKey;
  const { refetch } = result;

  const reload = useCallback(() => void refetch(), [refetch]);
  const setData = useCallback(
    (update: SetStateAction<T | undefined>) =>
      client.setQueryData<T>(keyRef.current, (current) => (typeof update === "function" ? (update as (prev: T | undefined) => T | undefined)(current) : update)),
    [client],
  );

  const { data, error, isFetching, isError } = result;
  return useMemo(() => {
    // A retry after a failure with nothing on screen shows the loading state again, not the stale error.
    const status: ResourceState<T>["status"] = data === undefined ? (isError && !isFetching ? "error" : "loading") : isError ? "error" : "success";
    return { data, error: isError ? error : undefined, status, isRefreshing: isFetching && data !== undefined, reload, setData };
  }, [data, error, isError, isFetching, reload, setData]);
}
