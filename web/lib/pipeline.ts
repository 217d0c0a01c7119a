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
  "rotting",
] as const satisfies readonly (keyof PipelineFilters)[];

/** The board's pipeline travels in the URL as `?pipeline=<id>` (a choice of board, not a filter). */
export const PIPELINE_PARAM = "pipeline";

/** `custom.<key>` and `custom.<key>[op]`: a custom field filter, passed to the API as it is. */
export const isCustomFilterKey = (key: string): key is `custom.${string}` => key.startsWith("custom.");

/** Reads the known filters, the custom field filters and the pipeline from the URL, dropping empty values. */
export function readPipelineFilters(params: URLSearchParams): PipelineFilters {
  const filters: PipelineFilters = {};
  for (const key of PIPELINE_FILTER_KEYS) {
    const value = params.get(key)?.trim();
    if (value) filters[key] = value;
  }
  for (const [key, value] of params) if (isCustomFilterKey(key) && value.trim()) filters[key] = value.trim();
  const pipeline = params.get(PIPELINE_PARAM)?.trim();
  if (pipeline) filters.pipelineId = pipeline;
  return filters;
}

/** Returns a copy of `params` with `changes` applied (empty / undefined removes the key). */
export function withPipelineFilters(params: URLSearchParams, changes: Partial<PipelineFilters> | Record<string, string | undefined>): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const [key, value] of Object.entries(changes)) {
    const param = key === "pipelineId" ? PIPELINE_PARAM : key;
    if (value === undefined || value.trim() === "") next.delete(param);
    else next.set(param, value.trim());
  }
  return next;
}

/** Whether any filter narrows the board (the pipeline choice is not a filter). */
export function hasPipelineFilters(filters: PipelineFilters): boolean {
  return Object.entries(filters).some(([k, v]) => k !== "pipelineId" && v);
}

/** Stable cache / request key for a filter set. */
export function pipelineFiltersKey(filters: PipelineFilters): string {
  const custom = Object.keys(filters).filter(isCustomFilterKey).filter((k) => filters[k]).sort();
  return [`pipelineId=${filters.pipelineId ?? ""}`, ...PIPELINE_FILTER_KEYS.map((k) => `${k}=${filters[k] ?? ""}`), ...custom.map((k) => `${k}=${filters[k]}`)].join("&");
}
