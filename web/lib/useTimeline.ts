import { useInfiniteQuery, useQueryClient, type InfiniteData } from "@tanstack/react-query";
import type { AiFeedMode } from "./ai-feed";
import { useCallback, useMemo } from "react";
import { queries } from "./queries";
import type { Page, RecordEntity, TimelineItem } from "./records";

export { TIMELINE_PAGE } from "./queries";

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

type Pages = InfiniteData<Page<TimelineItem>, string | null>;

/** A record's activity timeline, newest first, with "Load older" paging through cursors (cached per record). */
export function useTimeline(entity: RecordEntity, id: string, ai: AiFeedMode = "latest"): TimelineState {
  const client = useQueryClient();
  const query = queries.timeline(entity, id, ai);
  const result = useInfiniteQuery(query);
  const { data, error, isError, isFetchingNextPage, hasNextPage, fetchNextPage, refetch } = result;
  const key = query.queryKey;
  const keyString = JSON.stringify(key);

  const items = useMemo(() => {
    const seen = new Set<string>();
    const out: TimelineItem[] = [];
    for (const page of data?.pages ?? []) for (const item of page.data) if (!seen.has(item.id)) (seen.add(item.id), out.push(item));
    return out;
  }, [data]);

  const loadMore = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);
  // Only the newest page is fetched again; older pages are dropped (they are one "Load older" away).
  const refresh = useCallback(() => {
    client.setQueryData<Pages>(JSON.parse(keyString), (d) => (d ? { pages: d.pages.slice(0, 1), pageParams: d.pageParams.slice(0, 1) } : d));
    void refetch();
  }, [client, keyString, refetch]);
  const replace = useCallback(
    (itemId: string, changes: Partial<TimelineItem>) =>
      client.setQueryData<Pages>(JSON.parse(keyString), (d) =>
        d ? { ...d, pages: d.pages.map((p) => ({ ...p, data: p.data.map((i) => (i.id === itemId ? { ...i, ...changes } : i)) })) } : d,
      ),
    [client, keyString],
  );

  // A failed refresh keeps the items on screen (with the error); a failed first load is an error state.
  const status: TimelineState["status"] = data ? "success" : isError ? "error" : "loading";
  return { items, status, error: isError ? error : null, hasMore: !!hasNextPage, loadingMore: isFetchingNextPage, loadMore, refresh, replace };
}
