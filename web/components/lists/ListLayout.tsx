import type { ReactNode } from "react";
import { EmptyState } from "../EmptyState";
import { ErrorState } from "../ErrorState";
import { ChevronLeftIcon, ChevronRightIcon } from "../icons";
import { PageHeader } from "../PageHeader";
import { Button } from "../ui/Button";
import { Skeleton } from "../ui/Skeleton";
import { Spinner } from "../ui/Spinner";

export interface ListPagination {
  pageNumber: number;
  rowsOnPage: number;
  hasPrevious: boolean;
  hasNext: boolean;
  /** Opened from a link to a later page: "First page" instead of "Previous". */
  isDetached: boolean;
  onPrevious: () => void;
  onNext: () => void;
  onFirst: () => void;
}

export interface ListLayoutProps {
  title: string;
  description?: string;
  actions?: ReactNode;
  /** The filter toolbar. */
  filters?: ReactNode;
  status: "loading" | "error" | "success";
  error?: unknown;
  onRetry: () => void;
  isRefreshing: boolean;
  isEmpty: boolean;
  filtered: boolean;
  empty: { title: string; description: string; action?: ReactNode };
  onClearFilters: () => void;
  children: ReactNode;
  pagination: ListPagination;
}

/** The frame every record list shares: header with actions, filters, loading / error / empty states, pager. */
export function ListLayout({ title, description, actions, filters, status, error, onRetry, isRefreshing, isEmpty, filtered, empty, onClearFilters, children, pagination }: ListLayoutProps) {
  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <PageHeader
        title={title}
        description={description}
        actions={
          <>
            <span className={`${isRefreshing ? "inline-flex" : "hidden sm:inline-flex"} size-5 shrink-0 items-center justify-center text-slate-400`}>
              {isRefreshing && <Spinner label="Updating list" />}
            </span>
            {actions}
          </>
        }
      >
        {filters}
      </PageHeader>
      <div className="flex-1" aria-busy={status === "loading" || isRefreshing}>
        {status === "loading" ? (
          <TableSkeleton />
        ) : status === "error" ? (
          <ErrorState title={`Couldn’t load ${title.toLowerCase()}`} error={error} onRetry={onRetry} retrying={isRefreshing} />
        ) : isEmpty ? (
          filtered ? (
            <EmptyState
              title={`No ${title.toLowerCase()} match these filters`}
              description="Try another search, or clear the filters."
              action={<Button onClick={onClearFilters}>Clear filters</Button>}
            />
          ) : (
            <EmptyState title={empty.title} description={empty.description} action={empty.action} />
          )
        ) : (
          <>
            {children}
            <Pager {...pagination} />
          </>
        )}
      </div>
    </div>
  );
}

function Pager({ pageNumber, rowsOnPage, hasPrevious, hasNext, isDetached, onPrevious, onNext, onFirst }: ListPagination) {
  if (!hasPrevious && !hasNext && !isDetached) {
    return <p className="px-4 py-3 text-xs text-slate-500 sm:px-6">{rowsOnPage === 1 ? "1 record" : `${rowsOnPage} records`}</p>;
  }
  return (
    <nav aria-label="Pages" className="flex items-center justify-between gap-3 px-4 py-3 sm:px-6">
      <p className="text-xs text-slate-500">
        {isDetached ? "A later page" : `Page ${pageNumber}`} · {rowsOnPage} {rowsOnPage === 1 ? "record" : "records"}
      </p>
      <div className="flex gap-2">
        {isDetached ? (
          <Button size="sm" onClick={onFirst}>
            First page
          </Button>
        ) : (
          <Button size="sm" onClick={onPrevious} disabled={!hasPrevious}>
            <ChevronLeftIcon className="size-4" />
            Previous
          </Button>
        )}
        <Button size="sm" onClick={onNext} disabled={!hasNext}>
          Next
          <ChevronRightIcon className="size-4" />
        </Button>
      </div>
    </nav>
  );
}

function TableSkeleton() {
  return (
    <div className="px-4 py-2 sm:px-6">
      <span className="sr-only" role="status">
        Loading…
      </span>
      {Array.from({ length: 8 }, (_, i) => (
        <div key={i} aria-hidden="true" className="flex h-12 items-center gap-6 border-b border-slate-100">
          <Skeleton className="h-3.5 w-48" />
          <Skeleton className="h-3 w-32" />
          <Skeleton className="hidden h-3 w-24 sm:block" />
          <Skeleton className="hidden h-3 w-20 md:block" />
        </div>
      ))}
    </div>
  );
}
