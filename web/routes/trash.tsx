import { useState } from "react";
import { Link, NavLink, Navigate, useParams } from "react-router";
import { EmptyState } from "../components/EmptyState";
import { ErrorState } from "../components/ErrorState";
import { PageHeader } from "../components/PageHeader";
import { Button } from "../components/ui/Button";
import { Skeleton } from "../components/ui/Skeleton";
import { useToast } from "../components/ui/Toast";
import { errorMessage } from "../lib/api";
import { hasRole, useCurrentUser } from "../lib/auth";
import { formatDateTime } from "../lib/format";
import { restoreRecord } from "../lib/records";
import { formatRelative } from "../lib/relative-time";
import { listTrash, TRASH_ENTITIES, type TrashEntity, type TrashItem } from "../lib/trash";
import { useResource } from "../lib/useResource";

/**
 * /trash/:entity — Recently deleted accounts, contacts, leads or deals: who deleted each, when, and how many days are
 * left before the nightly purge deletes it for good. Everyone may look; only ADMINs see Restore (the API agrees).
 */
export default function TrashRoute() {
  const { entity: param } = useParams();
  const info = TRASH_ENTITIES.find((e) => e.id === param);
  if (!info) return <Navigate to="/trash/accounts" replace />;
  return <TrashList key={info.id} entity={info.id} />;
}

function TrashList({ entity }: { entity: TrashEntity }) {
  const info = TRASH_ENTITIES.find((e) => e.id === entity)!;
  const user = useCurrentUser();
  const isAdmin = hasRole(user, "ADMIN");
  const toast = useToast();
  const [more, setMore] = useState<{ items: TrashItem[]; cursor: string | null; loading: boolean }>({ items: [], cursor: null, loading: false });
  const [restoring, setRestoring] = useState<string | null>(null);
  const [restored, setRestored] = useState<Set<string>>(() => new Set());
  const first = useResource(`trash:${entity}`, (signal) => listTrash(entity, null, { signal }));
  const cursor = more.items.length ? more.cursor : (first.data?.nextCursor ?? null);
  const rows = [...(first.data?.data ?? []), ...more.items].filter((r) => !restored.has(r.id));

  async function restore(item: TrashItem) {
    setRestoring(item.id);
    try {
      await restoreRecord(entity, item.id);
      setRestored((s) => new Set(s).add(item.id));
      toast.success(`Restored ${item.name ?? `the ${info.singular}`}`);
    } catch (err) {
      toast.error(`Couldn’t restore: ${errorMessage(err)}`);
    } finally {
      setRestoring(null);
    }
  }

  function loadMore() {
    if (!cursor) return;
    setMore((m) => ({ ...m, loading: true }));
    listTrash(entity, cursor).then(
      (page) => setMore((m) => ({ items: [...m.items, ...page.data], cursor: page.nextCursor, loading: false })),
      (err: unknown) => {
        setMore((m) => ({ ...m, loading: false }));
        toast.error(errorMessage(err));
      },
    );
  }

  return (
    <>
      <PageHeader
        title="Recently deleted"
        description={`Deleted records stay here for ${first.data?.retentionDays ?? 30} days, then they are deleted for good.${isAdmin ? "" : " Ask an admin to restore one."}`}
      >
        <nav aria-label="Record types" className="mt-3">
          <ul className="-mx-1 flex gap-1 overflow-x-auto px-1">
            {TRASH_ENTITIES.map((e) => (
              <li key={e.id}>
                <NavLink
                  to={`/trash/${e.id}`}
                  className={({ isActive }) =>
                    `block rounded-md px-3 py-1.5 text-sm font-medium whitespace-nowrap ${isActive ? "bg-slate-900 text-white" : "text-slate-600 hover:bg-slate-100 hover:text-slate-900"}`
                  }
                >
                  {e.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
      </PageHeader>
      <div className="mx-auto w-full max-w-5xl px-4 py-5 sm:px-6">
        {first.status === "loading" ? (
          <div className="space-y-2">
            <Skeleton className="h-10 w-full" />
            <Skeleton className="h-10 w-full" />
          </div>
        ) : first.status === "error" ? (
          <ErrorState title="Couldn’t load the trash" error={first.error} onRetry={first.reload} />
        ) : rows.length === 0 ? (
          <EmptyState title={`No deleted ${info.label.toLowerCase()}`} description={`${info.label} deleted in the last 30 days appear here.`} />
        ) : (
          <>
            <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white" aria-label={`Deleted ${info.label.toLowerCase()}`}>
              {rows.map((r) => (
                <li key={r.id} className="flex flex-wrap items-center gap-x-4 gap-y-1 px-4 py-3">
                  <div className="min-w-0 flex-1 basis-56">
                    <p className="truncate text-sm font-medium text-slate-900">{r.name ?? `Unnamed ${info.singular}`}</p>
                    <p className="mt-0.5 text-xs text-slate-500">
                      Deleted <time dateTime={r.deletedAt} title={formatDateTime(r.deletedAt)}>{formatRelative(r.deletedAt)}</time>
                      {r.deletedBy ? ` by ${r.deletedBy.name}` : ""}
                    </p>
                  </div>
                  <p className={`text-xs font-medium ${r.daysLeft <= 3 ? "text-red-700" : "text-slate-600"}`} title={`Deleted for good on ${formatDateTime(r.purgeAt)}`}>
                    {r.daysLeft === 0 ? "Deleted for good tonight" : `${r.daysLeft} ${r.daysLeft === 1 ? "day" : "days"} left`}
                  </p>
                  {isAdmin && (
                    <Button size="sm" loading={restoring === r.id} onClick={() => void restore(r)} aria-label={`Restore ${r.name ?? info.singular}`}>
                      Restore
                    </Button>
                  )}
                </li>
              ))}
            </ul>
            {cursor && (
              <Button className="mt-3" loading={more.loading} onClick={loadMore}>
                Show more
              </Button>
            )}
          </>
        )}
        <p className="mt-6 text-sm">
          <Link to={`/${entity}`} className="font-medium text-accent-hover underline-offset-2 hover:underline">
            Back to {info.label.toLowerCase()}
          </Link>
        </p>
      </div>
    </>
  );
}
