import { Skeleton } from "../ui/Skeleton";

const CARDS_PER_COLUMN = [3, 2, 4, 1, 2];

/** Placeholder board with the real column width and card height, so loading → loaded does not shift layout. */
export function BoardSkeleton() {
  return (
    <div className="flex h-full items-start gap-3 overflow-hidden px-4 py-4 sm:px-6" aria-hidden="true">
      {CARDS_PER_COLUMN.map((cards, i) => (
        <div key={i} className="w-[18rem] shrink-0 rounded-xl bg-slate-100">
          <div className="px-3 pt-3 pb-2">
            <div className="flex h-5 items-center gap-2">
              <Skeleton className="size-2 rounded-full" />
              <Skeleton className="h-3.5 w-24" />
              <Skeleton className="h-4 w-6 rounded-full" />
            </div>
            <div className="mt-1 flex h-4 items-center pl-4">
              <Skeleton className="h-3 w-32" />
            </div>
          </div>
          <div className="flex flex-col gap-2 px-2 pb-2">
            {Array.from({ length: cards }, (_, j) => (
              // Line boxes mirror <Card>: title 20px, account 16px, amount row 20px, meta row 16px.
              <div key={j} className="rounded-lg border border-slate-200 bg-white p-3">
                <div className="flex h-5 items-center">
                  <Skeleton className="h-3.5 w-3/4" />
                </div>
                <div className="mt-0.5 flex h-4 items-center">
                  <Skeleton className="h-3 w-1/2" />
                </div>
                <div className="mt-2.5 flex h-5 items-center justify-between">
                  <Skeleton className="h-3.5 w-20" />
                  <Skeleton className="h-3 w-8" />
                </div>
                <div className="mt-2 flex h-4 items-center">
                  <Skeleton className="h-3 w-11/12" />
                </div>
              </div>
            ))}
          </div>
        </div>
      ))}
    </div>
  );
}
