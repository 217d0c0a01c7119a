import { useEffect, useMemo, useState, type FormEvent } from "react";
import { useSearchParams } from "react-router";
import { EmptyState } from "../components/EmptyState";
import { ErrorState } from "../components/ErrorState";
import { PageHeader } from "../components/PageHeader";
import { Board } from "../components/pipeline/Board";
import { BoardSkeleton } from "../components/pipeline/BoardSkeleton";
import { Card } from "../components/pipeline/Card";
import { Column } from "../components/pipeline/Column";
import { PipelineSummary, PipelineSummarySkeleton } from "../components/pipeline/PipelineSummary";
import { SearchInput } from "../components/SearchInput";
import { Button } from "../components/ui/Button";
import { Spinner } from "../components/ui/Spinner";
import { getPipeline } from "../lib/api";
import { hasPipelineFilters, pipelineFiltersKey, readPipelineFilters, withPipelineFilters } from "../lib/pipeline";
import { useResource } from "../lib/useResource";

const SEARCH_DEBOUNCE_MS = 250;

/** /pipeline — the opportunity board. Filters come from the URL (?q=&ownerId=&accountId=&closeFrom=…). */
export default function PipelineRoute() {
  const [searchParams, setSearchParams] = useSearchParams();
  const filters = useMemo(() => readPipelineFilters(searchParams), [searchParams]);
  const filtered = hasPipelineFilters(filters);
  const pipeline = useResource(pipelineFiltersKey(filters), (signal) => getPipeline(filters, { signal }), {
    keepPreviousData: true,
  });

  // The search box edits local state; the URL (and so the request) follows after a short pause. History
  // entries are replaced, not pushed, so Back leaves the board instead of replaying keystrokes.
  const urlQuery = filters.q ?? "";
  const [query, setQuery] = useState(urlQuery);
  const [syncedUrlQuery, setSyncedUrlQuery] = useState(urlQuery);
  if (urlQuery !== syncedUrlQuery) {
    // The URL changed underneath us (Back/Forward, a link, "clear filters"): show what it says.
    setSyncedUrlQuery(urlQuery);
    if (urlQuery !== query.trim()) setQuery(urlQuery);
  }
  useEffect(() => {
    if (query.trim() === urlQuery) return;
    const timer = setTimeout(
      () => setSearchParams((prev) => withPipelineFilters(prev, { q: query }), { replace: true }),
      SEARCH_DEBOUNCE_MS,
    );
    return () => clearTimeout(timer);
  }, [query, urlQuery, setSearchParams]);

  function submitSearch(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSearchParams((prev) => withPipelineFilters(prev, { q: query }), { replace: true });
  }

  function clearFilters() {
    setQuery("");
    setSearchParams(new URLSearchParams(), { replace: true });
  }

  const data = pipeline.data;
  const totalCards = data?.stages.reduce((n, s) => n + s.cards.length, 0) ?? 0;

  return (
    <div className="flex h-[calc(100dvh-var(--header-h))] min-h-[28rem] flex-col">
      <PageHeader
        title="Pipeline"
        actions={
          <>
            <span className="inline-flex size-5 items-center justify-center text-slate-400">
              {pipeline.isRefreshing && <Spinner label="Updating board" />}
            </span>
            <form role="search" onSubmit={submitSearch} className="w-full sm:w-72">
              <SearchInput label="Search deals" placeholder="Search deals…" value={query} onValueChange={setQuery} />
            </form>
          </>
        }
      >
        {data ? <PipelineSummary totals={data.totals} /> : <PipelineSummarySkeleton />}
      </PageHeader>

      <div className="min-h-0 flex-1" aria-busy={pipeline.status === "loading" || pipeline.isRefreshing}>
        {pipeline.status === "loading" ? (
          <>
            <span className="sr-only" role="status">
              Loading pipeline…
            </span>
            <BoardSkeleton />
          </>
        ) : pipeline.status === "error" ? (
          <ErrorState
            title="Couldn’t load the pipeline"
            error={pipeline.error}
            onRetry={pipeline.reload}
            retrying={pipeline.isRefreshing}
          />
        ) : data && data.stages.length === 0 ? (
          <EmptyState
            title="No pipeline stages yet"
            description="An administrator defines the stages deals move through in the workspace configuration."
          />
        ) : data && totalCards === 0 ? (
          <EmptyState
            title={filtered ? "No deals match these filters" : "No opportunities yet"}
            description={
              filtered
                ? "Try a different search, or clear the filters to see the whole pipeline."
                : "Deals appear here when a lead is converted or an opportunity is created."
            }
            action={filtered && <Button onClick={clearFilters}>Clear filters</Button>}
          />
        ) : data ? (
          <Board>
            {data.stages.map(({ cards, ...stage }) => (
              <Column key={stage.id} stage={stage} loadedCount={cards.length}>
                {cards.map((card) => (
                  <li key={card.id}>
                    <Card card={card} stageKind={stage.kind} />
                  </li>
                ))}
              </Column>
            ))}
          </Board>
        ) : null}
      </div>
    </div>
  );
}
