import { keepPreviousData, useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { qk } from "./query";
import { listRecords, type Page, type RecordByEntity, type RecordEntity } from "./records";
import { getSummary } from "./views";

/** Rows per request: big pages, so 10,000 rows are 50 requests of scrolling. */
export const GRID_PAGE = 200;

/**
 * The grid's rows (keyset pages loaded as the user scrolls: an infinite query) and the server's count, money totals
 * and group counts for the same filters (so totals are the filter's, not the loaded rows').
 */
export function useGridData<E extends RecordEntity>(entity: E, query: Record<string, string>, groupBy: string | null) {
  const rows = useInfiniteQuery({ ...gridRowsQuery(entity, query), placeholderData: keepPreviousData });
  const summary = useQuery({
    queryKey: [...qk.records(entity), "summary", query, groupBy],
    queryFn: ({ signal }) => getSummary(entity, query, groupBy, signal),
    placeholderData: keepPreviousData,
  });
  const data = useMemo(() => (rows.data?.pages ?? []).flatMap((p) => p.data) as RecordByEntity[E][], [rows.data]);
  return { rows, summary, data };
}

/** The grid's rows as an infinite query (also warmed by lib/prefetch.ts for a bare list link). */
export function gridRowsQuery<E extends RecordEntity>(entity: E, query: Record<string, string>) {
  return {
    queryKey: [...qk.records(entity), "grid", query],
    queryFn: ({ signal, pageParam }: { signal: AbortSignal; pageParam: string | null }) => listRecords(entity, { ...query, limit: GRID_PAGE, cursor: pageParam ?? undefined }, { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last: Page<RecordByEntity[E]>) => last.nextCursor ?? undefined,
  };
}
