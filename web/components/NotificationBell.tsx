import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "react-router";
import type { Notification } from "../../worker/schemas/notifications";
import { apiRequest, errorMessage } from "../lib/api";
import { usePopover } from "../lib/popover";
import { qk } from "../lib/query";
import { formatRelative } from "../lib/relative-time";
import { BellIcon } from "./icons";

interface NotificationPage {
  data: Notification[];
  nextCursor: string | null;
  unreadCount: number;
}

/** New notifications show within this long while the app is open (and at once when the window regains focus). */
const POLL_MS = 30_000;

/**
 * The header's bell: the unread count, and a panel with the latest notifications. Opening one marks it read and
 * goes to its record; "Mark all read" clears the count. On a phone the panel spans the screen under the header.
 */
export function NotificationBell() {
  const navigate = useNavigate();
  const client = useQueryClient();
  const { open, setOpen, panelId, rootRef, buttonRef } = usePopover(() => void client.invalidateQueries({ queryKey: qk.notifications }));
  const list = useQuery({
    queryKey: qk.notifications,
    queryFn: ({ signal }) => apiRequest<NotificationPage>("/api/notifications", { query: { limit: 20 }, signal }),
    refetchInterval: POLL_MS,
    refetchOnWindowFocus: true,
    staleTime: 5_000,
  });
  const markRead = useMutation({
    mutationFn: (body: { ids: string[] } | { all: true }) => apiRequest<{ updated: number; unreadCount: number }>("/api/notifications/read", { method: "POST", body }),
    onSettled: () => client.invalidateQueries({ queryKey: qk.notifications }),
  });

  const unread = list.data?.unreadCount ?? 0;
  const items = list.data?.data ?? [];
  const openItem = (n: Notification) => {
    if (!n.readAt) markRead.mutate({ ids: [n.id] });
    setOpen(false);
    if (n.link) void navigate(n.link);
  };

  return (
    <div ref={rootRef} className="sm:relative">
      <button
        ref={buttonRef}
        type="button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((o) => !o)}
        className="relative inline-flex size-9 items-center justify-center rounded-md text-slate-300 transition-colors hover:bg-white/5 hover:text-white"
      >
        <BellIcon className="size-5" />
        <span className="sr-only">{unread ? `Notifications, ${unread} unread` : "Notifications"}</span>
        {unread > 0 && (
          <span
            aria-hidden="true"
            data-testid="notification-count"
            className="absolute -top-0.5 -right-0.5 min-w-4.5 rounded-full bg-red-600 px-1 text-center text-[0.6875rem] leading-4.5 font-semibold text-white"
          >
            {unread > 99 ? "99+" : unread}
          </span>
        )}
      </button>
      <div
        id={panelId}
        hidden={!open}
        role="region"
        aria-label="Notifications"
        className="absolute inset-x-2 top-full z-50 mt-2 max-h-[min(32rem,calc(100dvh-var(--header-h)-1rem))] overflow-y-auto rounded-lg border border-slate-200 bg-white text-slate-900 shadow-xl sm:inset-x-auto sm:right-0 sm:w-96"
      >
        <div className="sticky top-0 flex items-center justify-between border-b border-slate-100 bg-white px-4 py-2.5">
          <h2 className="text-sm font-semibold">Notifications</h2>
          <button
            type="button"
            disabled={!unread || markRead.isPending}
            onClick={() => markRead.mutate({ all: true })}
            className="rounded px-2 py-1 text-xs font-medium text-accent hover:bg-slate-50 disabled:text-slate-400"
          >
            Mark all read
          </button>
        </div>
        {list.isError && <p className="px-4 py-3 text-sm text-red-700">Could not load notifications: {errorMessage(list.error)}</p>}
        {markRead.isError && <p className="px-4 py-2 text-sm text-red-700">{errorMessage(markRead.error)}</p>}
        {!list.isError && items.length === 0 && <p className="px-4 py-6 text-center text-sm text-slate-500">{list.isPending ? "Loading…" : "Nothing new. You're all caught up."}</p>}
        <ul className="divide-y divide-slate-100">
          {items.map((n) => (
            <li key={n.id}>
              <button
                type="button"
                onClick={() => openItem(n)}
                className={`flex w-full gap-3 px-4 py-3 text-left hover:bg-slate-50 ${n.readAt ? "" : "bg-accent/5"}`}
              >
                <span aria-hidden="true" className={`mt-1.5 size-2 shrink-0 rounded-full ${n.readAt ? "bg-transparent" : "bg-accent"}`} />
                <span className="min-w-0 flex-1">
                  <span className={`block text-sm ${n.readAt ? "text-slate-700" : "font-medium text-slate-900"}`}>{n.title}</span>
                  {n.body && <span className="mt-0.5 block truncate text-xs text-slate-500">{n.body}</span>}
                  <time dateTime={n.createdAt} title={new Date(n.createdAt).toLocaleString()} className="mt-0.5 block text-xs text-slate-500">
                    {formatRelative(n.createdAt)}
                    {n.readAt ? "" : <span className="sr-only"> (unread)</span>}
                  </time>
                </span>
              </button>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
