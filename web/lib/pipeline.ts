/*
 * Pipeline filters live in the URL (shareable, survive reload, back button works). These helpers are the one
 * place that maps search params <-> API filters, for the board now and a filter bar later.
 */
import type { PipelineFilters } from "./api-types";

export const PIPELINE_FILTER_KEYS = [
  "ownerId",
  "accountId",
  "closeFrom",
  "closeTo",
  "amountMin",
  "amountMax",
  "currency",
  "q",
] as const satisfies readonly (keyof PipelineFilters)[];

/** Reads the known filters from the URL, dropping empty values; anything else in the URL is ignored. */
export function readPipelineFilters(params: URLSearchParams): PipelineFilters {
  const filters: PipelineFilters = {};
  for (const key of PIPELINE_FILTER_KEYS) {
    const value = params.get(key)?.trim();
    if (value) filters[key] = value;
  }
  return filters;
}

/** Returns a copy of `params` with `changes` applied (empty / undefined removes the key). */
export function withPipelineFilters(params: URLSearchParams, changes: Partial<PipelineFilters>): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined || value.trim() === "") next.delete(key);
    else next.set(key, value.trim());
  }
  return next;
}

export function hasPipelineFilters(filters: PipelineFilters): boolean {
  return Object.keys(filters).length > 0;
}

/** Stable cache / request key for a filter set. */
export function pipelineFiltersKey(filters: PipelineFilters): string {
  return PIPELINE_FILTER_KEYS.map((k) => `${k}=${filters[k] ?? ""}`).join("&");
}
