/*
 * The SPA's query cache (TanStack Query). One client for the tab: pages read through `useQuery` with the keys below,
 * so going back to a page shows what was loaded at once and revalidates behind it, and a change made on one screen
 * (a stage renamed in Settings, a user added) reaches every other screen without a reload.
 *
 * Invalidation is driven by the API client itself: every successful write (`apiRequest` with POST/PUT/PATCH/DELETE)
 * marks the whole cache stale — the next screen to show a query refetches it behind the cached data — and writes to
 * workspace configuration (stages, pipelines, users, fields) refetch the configuration queries at once, so pickers
 * never show an old name. A page that changed something itself still updates its own data (optimistically or by
 * `reload()`), as before.
 */
import { QueryClient, type QueryKey } from "@tanstack/react-query";
import { onApiWrite } from "./api";

/** Query keys. The first element groups what one write invalidates; see `invalidateAfterWrite`. */
export const qk = {
  users: ["users"] as const,
  stages: ["stages"] as const,
  meta: ["meta"] as const,
  /** The board, its totals and the dashboard's pipeline numbers. */
  pipeline: ["pipeline"] as const,
  dashboard: ["dashboard"] as const,
  records: (entity: string) => ["records", entity] as const,
  search: ["search"] as const,
  settings: ["settings"] as const,
  /** The bell: the signed-in user's notifications and unread count. */
  notifications: ["notifications"] as const,
} satisfies Record<string, QueryKey | ((...args: never[]) => QueryKey)>;

/** Reads that describe the workspace's configuration: small, shown in pickers everywhere, refetched on change. */
const CONFIG_WRITES: { path: RegExp; keys: QueryKey[] }[] = [
  { path: /^\/api\/(pipeline\/stages|stages|pipelines|reason-codes)\b/, keys: [qk.stages, qk.meta, qk.pipeline] },
  { path: /^\/api\/(custom-fields|fields|meta)\b/, keys: [qk.meta] },
  { path: /^\/api\/users\b/, keys: [qk.users] },
  // Saved views show in the navigation: a saved or shared view appears there at once.
  { path: /^\/api\/views\b/, keys: [["views"]] },
];

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // Back and forth between pages within this window costs no request; after it, cached data shows at once and
      // is refetched behind it.
      staleTime: 10_000,
      gcTime: 10 * 60_000,
      // Errors show at once with a Retry button (as before the cache): no silent retries that delay the message.
      retry: false,
      refetchOnWindowFocus: false,
    },
  },
});

/** What a successful write changes in the cache. Exported for tests of the rules. */
export function invalidateAfterWrite(client: QueryClient, method: string, path: string): void {
  if (/^\/api\/auth\/(login|logout)/.test(path)) {
    // Another user (or none): nothing cached may leak into the next session.
    client.clear();
    return;
  }
  if (path.startsWith("/api/auth/")) return;
  for (const rule of CONFIG_WRITES) {
    if (rule.path.test(path)) for (const queryKey of rule.keys) void client.invalidateQueries({ queryKey, refetchType: "all" });
  }
  // Everything else: stale, refetched when next shown (never under the page that made the change).
  void client.invalidateQueries({ refetchType: "none" });
  void method;
}

onApiWrite((method, path) => invalidateAfterWrite(queryClient, method, path));
