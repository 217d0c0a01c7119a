/*
 * Global search (`GET /api/search`) and the "recent records" list the search palette shows before anything is
 * typed. Recent records live in localStorage per user, so they survive reloads and never leak between users.
 */
import { apiRequest } from "./api";

export type SearchType = "account" | "contact" | "lead" | "opportunity";

export interface SearchItem {
  id: string;
  type: SearchType;
  title: string;
  subtitle: string | null;
  score?: number;
}

export interface SearchGroup {
  type: SearchType;
  items: SearchItem[];
}

export interface SearchResponse {
  query: string;
  groups: SearchGroup[];
  total: number;
}

export const SEARCH_TYPES: readonly SearchType[] = ["account", "contact", "lead", "opportunity"];

export const TYPE_LABEL: Record<SearchType, { one: string; many: string }> = {
  account: { one: "Account", many: "Accounts" },
  contact: { one: "Contact", many: "Contacts" },
  lead: { one: "Lead", many: "Leads" },
  opportunity: { one: "Opportunity", many: "Opportunities" },
};

const ROUTE: Record<SearchType, string> = {
  account: "accounts",
  contact: "contacts",
  lead: "leads",
  opportunity: "opportunities",
};

/** The record's page in the SPA, e.g. `/accounts/<id>`. */
export function recordPath(type: SearchType, id: string): string {
  return `/${ROUTE[type]}/${encodeURIComponent(id)}`;
}

/** Records matching `q` (name, e-mail, company…), grouped by type, best first. */
export function searchRecords(q: string, options: { signal?: AbortSignal; limit?: number; types?: SearchType[] } = {}) {
  return apiRequest<SearchResponse>("/api/search", {
    signal: options.signal,
    query: { q, limit: options.limit, types: options.types?.join(",") },
  });
}

// ---------------------------------------------------------------------------------------------------------
// Recent records

const RECENT_MAX = 8;
const recentKey = (userId: string) => `bespoke.recent.${userId}`;

export type RecentRecord = Omit<SearchItem, "score">;

export function readRecent(userId: string): RecentRecord[] {
  try {
    const raw = JSON.parse(window.localStorage.getItem(recentKey(userId)) ?? "[]") as unknown;
    if (!Array.isArray(raw)) return [];
    return raw.filter(
      (r): r is RecentRecord =>
        !!r && typeof r.id === "string" && typeof r.title === "string" && SEARCH_TYPES.includes(r.type),
    );
  } catch {
    return [];
  }
}

/**
 * Puts a record at the top of the user's recent list (deduplicated, at most 8). Detail pages call it when a
 * record is shown, the palette when one is opened from it.
 */
export function rememberRecent(userId: string, record: RecentRecord): void {
  const next = [
    { id: record.id, type: record.type, title: record.title, subtitle: record.subtitle ?? null },
    ...readRecent(userId).filter((r) => !(r.id === record.id && r.type === record.type)),
  ].slice(0, RECENT_MAX);
  try {
    window.localStorage.setItem(recentKey(userId), JSON.stringify(next));
  } catch {
    /* storage full or disabled: recent records are a convenience */
  }
}

/** Drops a record from the recent list (it was deleted, or the server no longer finds it). */
export function forgetRecent(userId: string, id: string): void {
  try {
    window.localStorage.setItem(recentKey(userId), JSON.stringify(readRecent(userId).filter((r) => r.id !== id)));
  } catch {
    /* ignore */
  }
}
