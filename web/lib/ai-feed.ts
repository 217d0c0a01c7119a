/*
 * AI outputs in activity feeds (timelines, the dashboard): labelled as the assistant's work with who asked for it,
 * and a per-user choice to leave them out, remembered in this browser (like recent records).
 */
import { useCallback, useSyncExternalStore } from "react";
import { apiRequest } from "./api";
import type { SummaryResult } from "./ai";
import type { TargetType } from "./records";

const LABELS: Record<string, string> = {
  ai_summary: "AI summary",
  ai_next_actions: "AI next actions",
  ai_email_draft: "AI e-mail draft",
  ai_deal_brief: "AI deal brief",
};

export const isAiActivity = (type: string) => type.startsWith("ai_");

/** "AI summary", "AI next actions", … (never the raw `ai_next_actions`). */
export function aiLabel(type: string): string {
  return LABELS[type] ?? `AI ${type.slice(3).replace(/_/g, " ")}`;
}

/** "requested by Sam Seller", or "automatic" for one a change to the record triggered. */
export function aiByline(actorName: string | null | undefined): string {
  return actorName ? `requested by ${actorName}` : "written automatically";
}

/** The feed mode the API takes: the latest summary of each record, or no AI output at all. */
export type AiFeedMode = "latest" | "hide";

const key = (userId: string) => `bespoke.ai-entries.${userId}`;
const listeners = new Set<() => void>();

function read(userId: string): boolean {
  try {
    return window.localStorage.getItem(key(userId)) !== "hidden";
  } catch {
    return true;
  }
}

/** Whether this user shows AI entries in timelines and the dashboard feed (default: shown), and a setter. */
export function useShowAiEntries(userId: string): [boolean, (show: boolean) => void] {
  const subscribe = useCallback((fn: () => void) => {
    listeners.add(fn);
    const onStorage = (e: StorageEvent) => e.key === key(userId) && fn();
    window.addEventListener("storage", onStorage);
    return () => {
      listeners.delete(fn);
      window.removeEventListener("storage", onStorage);
    };
  }, [userId]);
  const show = useSyncExternalStore(subscribe, () => read(userId), () => true);
  const set = useCallback(
    (next: boolean) => {
      try {
        if (next) window.localStorage.removeItem(key(userId));
        else window.localStorage.setItem(key(userId), "hidden");
      } catch {
        /* storage disabled: the choice lasts until reload */
      }
      for (const fn of listeners) fn();
    },
    [userId],
  );
  return [show, set];
}

export type SummaryVersion = SummaryResult & { requestedBy: { id: string; name: string } | null };

/** Every summary of a record, newest first (the timeline shows the latest; the rest are its earlier versions). */
export function summaryVersions(targetType: TargetType, targetId: string, options: { signal?: AbortSignal } = {}) {
  return apiRequest<{ data: SummaryVersion[] }>("/api/ai/summaries/versions", { ...options, query: { targetType, targetId } });
}
