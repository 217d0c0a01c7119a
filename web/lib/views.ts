/*
 * Saved views (GET/POST/PATCH/DELETE /api/views) and bulk jobs (POST /api/bulk/{entity}, GET /api/bulk/jobs/{id}):
 * wire types from the OpenAPI document, calls through the typed client, reads through the query cache.
 */
import { useQuery } from "@tanstack/react-query";
import type { components } from "./api-schema";
import { apiRequest } from "./api";
import type { FilterCondition } from "./grid-filters";
import type { RecordEntity } from "./records";

export type SavedView = components["schemas"]["SavedView"];
export type BulkJob = components["schemas"]["BulkJob"];
export type ListSummary = components["schemas"]["ListSummary"];

/** What a view holds: the grid's state. */
export interface GridState {
  columns: { id: string; width?: number }[];
  filters: FilterCondition[];
  sort: string;
  groupBy: string | null;
}

export const viewsKey = ["views"] as const;

export function useViews() {
  return useQuery({ queryKey: viewsKey, queryFn: ({ signal }) => apiRequest<{ data: SavedView[] }>("/api/views", { signal }).then((r) => r.data), staleTime: 60_000 });
}

export function createView(body: GridState & { entity: RecordEntity; name: string; shared: boolean; isDefault?: boolean }) {
  return apiRequest<SavedView>("/api/views", { method: "POST", body });
}

export function updateView(id: string, patch: Partial<GridState & { name: string; shared: boolean; isDefault: boolean }>) {
  return apiRequest<SavedView>(`/api/views/${encodeURIComponent(id)}`, { method: "PATCH", body: patch });
}

export function deleteView(id: string) {
  return apiRequest<null>(`/api/views/${encodeURIComponent(id)}`, { method: "DELETE" });
}

export function startBulkJob(entity: RecordEntity, body: { action: "update" | "delete"; changes?: Record<string, unknown>; ids?: string[]; filter?: Record<string, string> }) {
  return apiRequest<BulkJob>(`/api/bulk/${entity}`, { method: "POST", body });
}

export function getBulkJob(id: string, signal?: AbortSignal) {
  return apiRequest<BulkJob>(`/api/bulk/jobs/${encodeURIComponent(id)}`, { signal });
}

export function getSummary(entity: RecordEntity, query: Record<string, string>, groupBy: string | null, signal?: AbortSignal) {
  return apiRequest<ListSummary>(`/api/${entity}/summary`, { signal, query: { ...query, groupBy: groupBy ?? undefined } });
}
