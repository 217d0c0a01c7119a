import { useCallback, useMemo } from "react";
import { useLocation, useNavigate, useSearchParams } from "react-router";
import { queries } from "./queries";
import type { ListQuery, Page, RecordByEntity, RecordEntity } from "./records";
import { useQueryResource, type ResourceQuery, type ResourceState } from "./useResource";

export { PAGE_SIZE } from "./queries";

/** History state of a list URL: the cursors of the pages before this one, so "Previous" needs no server help. */
interface ListHistoryState {
  cursors?: string[];
}

export interface RecordListState<T> {
  resource: ResourceState<Page<T>>;
  /** Filter values from the URL (only the keys this list knows). */
  filters: Record<string, string>;
  sort: string;
  /** 1-based page number (known when the user paged here; 1 on a shared link to a later page). */
  pageNumber: number;
  hasPrevious: boolean;
  /** A shared link to a later page cannot go back step by step: offer "First page" instead. */
  isDetachedPage: boolean;
  setFilters(changes: Record<string, string | undefined>): void;
  /** Removes every filter in the URL: the list's own and each `custom.<key>` one. */
  clearFilters(): void;
  setSort(sort: string): void;
  nextPage(): void;
  previousPage(): void;
  firstPage(): void;
  /** The query without paging, for the CSV export. */
  query: ListQuery;
}

/**
 * A sortable, filterable, cursor-paginated list whose whole state is in the URL (?sort=&q=&ownerId=&cursor=),
 * so a link reproduces the view and Back/Forward step through pages. Filter and sort changes restart at page 1.
 */
export function useRecordList<E extends RecordEntity>(entity: E, filterKeys: readonly string[], defaultSort: string): RecordListState<RecordByEntity[E]> {
  const [params] = useSearchParams();
  const location = useLocation();
  const navigate = useNavigate();
  const stack = useMemo(() => ((location.state as ListHistoryState | null)?.cursors ?? []).filter((c) => typeof c === "string"), [location.state]);

  const filters = useMemo(() => {
    const out: Record<string, string> = {};
    for (const key of filterKeys) {
      const value = params.get(key)?.trim();
      if (value) out[key] = value;
    }
    // Custom field filters (?custom.segment=smb, ?custom.arr[gte]=…): open-ended, the workspace's registry decides.
    for (const [key, value] of params) if (key.startsWith("custom.") && value.trim()) out[key] = value.trim();
    return out;
  }, [params, filterKeys]);
  const sort = params.get("sort") || defaultSort;
  const cursor = params.get("cursor") || undefined;
  const query: ListQuery = useMemo(() => ({ ...filters, sort }), [filters, sort]);
  // Cached per filters + sort + page: Back to a list (or to an earlier page) shows it at once.
  const resource = useQueryResource(queries.list(entity, query, cursor) as ResourceQuery<Page<RecordByEntity[E]>>, { keepPreviousData: true });

  const go = useCallback(
    (next: URLSearchParams, state: ListHistoryState, replace = false) => navigate({ pathname: location.pathname, search: next.toString() ? `?${next}` : "" }, { state, replace }),
    [navigate, location.pathname],
  );

  const setFilters = useCallback(
    (changes: Record<string, string | undefined>) => {
      const next = new URLSearchParams(params);
      for (const [k, v] of Object.entries(changes)) {
        if (v === undefined || v.trim() === "") next.delete(k);
        else next.set(k, v.trim());
      }
      next.delete("cursor");
      go(next, {}, true);
    },
    [params, go],
  );
  const clearFilters = useCallback(() => setFilters(Object.fromEntries(Object.keys(filters).map((k) => [k, undefined]))), [setFilters, filters]);
  const setSort = useCallback(
    (value: string) => {
      const next = new URLSearchParams(params);
      if (value === defaultSort) next.delete("sort");
      else next.set("sort", value);
      next.delete("cursor");
      go(next, {});
    },
    [params, go, defaultSort],
  );
  const nextCursor = resource.data?.nextCursor;
  const nextPage = useCallback(() => {
    if (!nextCursor) return;
    const next = new URLSearchParams(params);
    next.set("cursor", nextCursor);
    go(next, { cursors: [...stack, cursor ?? ""] });
  }, [nextCursor, params, go, stack, cursor]);
  const previousPage = useCallback(() => {
    const previous = stack.at(-1);
    if (previous === undefined) return;
    const next = new URLSearchParams(params);
    if (previous) next.set("cursor", previous);
    else next.delete("cursor");
    go(next, { cursors: stack.slice(0, -1) });
  }, [stack, params, go]);
  const firstPage = useCallback(() => {
    const next = new URLSearchParams(params);
    next.delete("cursor");
    go(next, {});
  }, [params, go]);

  return {
    resource,
    filters,
    sort,
    pageNumber: stack.length + 1,
    hasPrevious: stack.length > 0,
    isDetachedPage: !!cursor && stack.length === 0,
    setFilters,
    clearFilters,
    setSort,
    nextPage,
    previousPage,
    firstPage,
    query,
  };
}
