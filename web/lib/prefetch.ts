/*
 * Intent-based prefetch: when the pointer rests on a link (or a link gets keyboard focus, or a finger touches it),
 * the target page's code chunk and its first reads start loading, into the same cache entries the page reads
 * (lib/queries.ts). By the time the click lands, the page usually renders complete on its first frame.
 * Also warms the main pages' code chunks once the app is idle (they are small), never their data.
 */
import { useEffect } from "react";
import type { QueryKey } from "@tanstack/react-query";
import { readPipelineFilters } from "./pipeline";
import { DEFAULT_LIST_SORT, queries, startOfLocalDay } from "./queries";
import { gridRowsQuery } from "./useGridData";
import { queryClient } from "./query";
import type { RecordEntity } from "./records";
import type { ResourceQuery } from "./useResource";
import { isUuid } from "../../worker/lib/uuid";

/** The main pages' chunks: the same `import()` specifiers as router.tsx, so the browser loads each file once. */
const CHUNKS = {
  dashboard: () => import("../routes/dashboard"),
  pipeline: () => import("../routes/pipeline"),
  accounts: () => import("../routes/accounts"),
  contacts: () => import("../routes/contacts"),
  leads: () => import("../routes/leads"),
  opportunities: () => import("../routes/opportunities"),
  detail: () => import("../routes/record-detail"),
  settings: () => import("../routes/settings"),
} as const;

const ENTITIES: readonly RecordEntity[] = ["accounts", "contacts", "leads", "opportunities"];
/** A pointer resting this long on a link counts as intent (passing over the menu does not). */
const HOVER_INTENT_MS = 50;

/** Starts a read unless it is fresh in the cache or a screen is showing it (that screen owns its refreshes). */
function warm(query: ResourceQuery<unknown> & { queryKey: QueryKey }): void {
  const cached = queryClient.getQueryCache().find({ queryKey: query.queryKey, exact: true });
  if (cached && cached.getObserversCount() > 0) return;
  void queryClient.prefetchQuery(query);
}

/** Loads what the page at `href` needs first. `userId` is the signed-in user's (the dashboard's reads are per user). */
export function prefetchPage(href: string, userId: string | undefined): void {
  let url: URL;
  try {
    url = new URL(href, window.location.href);
  } catch {
    return;
  }
  if (url.origin !== window.location.origin) return;
  const [first, second, ...rest] = url.pathname.split("/").filter(Boolean);
  if (rest.length > 0) return;

  if (first === "dashboard" && !second) {
    void CHUNKS.dashboard();
    warm(queries.dashboardPipeline());
    warm(queries.recentActivity());
    warm(queries.users());
    if (userId) {
      warm(queries.myOpenTasks(userId));
      warm(queries.taskCounts(userId, startOfLocalDay()));
    }
  } else if (first === "pipeline" && !second) {
    void CHUNKS.pipeline();
    warm(queries.board(readPipelineFilters(url.searchParams)));
    warm(queries.users());
  } else if (ENTITIES.includes(first as RecordEntity)) {
    const entity = first as RecordEntity;
    if (!second) {
      void CHUNKS[entity]();
      // A bare list link (the menu, "List view"): the first page in the list's default order.
      if (url.search === "") void queryClient.prefetchInfiniteQuery(gridRowsQuery(entity, { sort: DEFAULT_LIST_SORT[entity] }));
      warm(queries.users());
      if (entity === "opportunities") warm(queries.stages());
    } else if (isUuid(second)) {
      void CHUNKS.detail();
      warm(queries.record(entity, second));
      warm(queries.attachments(entity, second));
      const timeline = queries.timeline(entity, second);
      const cached = queryClient.getQueryCache().find({ queryKey: timeline.queryKey, exact: true });
      if (!cached || cached.getObserversCount() === 0) void queryClient.prefetchInfiniteQuery(timeline);
      warm(queries.users());
      warm(queries.stages());
    }
  } else if (first === "settings") {
    void CHUNKS.settings();
  }
}

function linkOf(target: EventTarget | null): HTMLAnchorElement | null {
  const a = target instanceof Element ? target.closest("a[href]") : null;
  return a instanceof HTMLAnchorElement && !a.target && !a.hasAttribute("download") ? a : null;
}

/**
 * Mounted once in the signed-in layout: prefetches on hover (after a short rest), focus and touch of any link in
 * the app, and warms the main pages' chunks when the browser is idle.
 */
export function usePrefetchOnIntent(userId: string | undefined): void {
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let hovered: HTMLAnchorElement | null = null;
    const now = (event: Event) => {
      const a = linkOf(event.target);
      if (a) prefetchPage(a.href, userId);
    };
    const over = (event: PointerEvent) => {
      const a = linkOf(event.target);
      if (a === hovered) return;
      hovered = a;
      clearTimeout(timer);
      if (a) timer = setTimeout(() => prefetchPage(a.href, userId), HOVER_INTENT_MS);
    };
    document.addEventListener("pointerover", over, { passive: true });
    document.addEventListener("focusin", now);
    document.addEventListener("touchstart", now, { passive: true });
    document.addEventListener("pointerdown", now, { passive: true });

    const idle = window.requestIdleCallback ?? ((cb: () => void) => window.setTimeout(cb, 1500));
    const cancelIdle = window.cancelIdleCallback ?? window.clearTimeout;
    const handle = idle(() => {
      for (const load of Object.values(CHUNKS)) void load();
    });
    return () => {
      clearTimeout(timer);
      cancelIdle(handle);
      document.removeEventListener("pointerover", over);
      document.removeEventListener("focusin", now);
      document.removeEventListener("touchstart", now);
      document.removeEventListener("pointerdown", now);
    };
  }, [userId]);
}
