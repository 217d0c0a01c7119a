import type { PipelineInfo } from "../../worker/schemas/pipelines";
import type { AiFeedMode } from "./ai-feed";
import type { ReasonCodes } from "../../worker/schemas/reason-codes";
import type { DealWatch } from "../../worker/schemas/reports";
/*
 * Every read a main page makes, described once (key + loader + freshness). The page reads it with
 * `useQueryResource(...)` (lib/useResource.ts) and lib/prefetch.ts warms the same entry when a link to the page is
 * hovered or focused, so the page usually renders from the cache on its first frame.
 */
import type { Activity, Page, RecordEntity, TimelineItem } from "./records";
import { apiRequest } from "./api";
import { getPipeline, getPipelineTotals } from "./api";
import { pipelineFiltersKey } from "./pipeline";
import { qk } from "./query";
import { getRecord, getTimeline, listAttachments, listRecords, listUsers, type ListQuery } from "./records";
import type { ResourceQuery } from "./useResource";
import type { Pipeline, PipelineFilters, User } from "./api-types";
import type { TaskCounts } from "../../worker/schemas/dashboard";
import type { Meta } from "../../worker/schemas/meta";
import { listFields, type CustomField, type CustomFieldEntity } from "./custom-fields";

/** Configuration (stages, users) changes rarely and every change refetches it (lib/query.ts): fresh for 5 minutes. */
const CONFIG_STALE_MS = 5 * 60_000;

export const PAGE_SIZE = 50;
export const TIMELINE_PAGE = 20;

/** The default sort of each list page (the `defaultSort` its route module passes): what a bare link prefetches. */
export const DEFAULT_LIST_SORT: Record<RecordEntity, string> = {
  accounts: "name",
  contacts: "lastName",
  leads: "-createdAt",
  opportunities: "-updatedAt",
};

export interface StageInfo {
  id: string;
  name: string;
  position: number;
  probability: number;
  kind: "open" | "won" | "lost";
  pipelineId: string;
  pipelineName: string;
}

export const queries = {
  /** GET /api/meta: fields (core and custom), pipelines, reason codes. Refetched at once after a settings write. */
  meta: (): ResourceQuery<Meta> => ({ queryKey: qk.meta, queryFn: ({ signal }) => apiRequest<Meta>("/api/meta", { signal }), staleTime: CONFIG_STALE_MS }),

  /** One entity's live custom fields with their options and settings (under the meta key: a field write refetches it). */
  customFields: (entity: CustomFieldEntity): ResourceQuery<CustomField[]> => ({
    queryKey: [...qk.meta, "custom-fields", entity],
    queryFn: ({ signal }) => listFields({ entity }, { signal }),
    staleTime: CONFIG_STALE_MS,
  }),

  /** Colleagues for owner pickers and names (every role may list them). */
  users: (): ResourceQuery<User[]> => ({ queryKey: qk.users, queryFn: ({ signal }) => listUsers({ signal }), staleTime: CONFIG_STALE_MS }),

  /** The workspace's pipelines in order, each with its ordered stages. */
  pipelines: (): ResourceQuery<PipelineInfo[]> => ({
    queryKey: [...qk.stages, "pipelines"],
    queryFn: async ({ signal }) => (await apiRequest<{ pipelines: PipelineInfo[] }>("/api/pipelines", { signal })).pipelines,
    staleTime: CONFIG_STALE_MS,
  }),

  /** Every pipeline's stages, pipeline by pipeline in board order; filter by `pipelineId` for one deal's path. */
  stages: (): ResourceQuery<StageInfo[]> => ({
    queryKey: [...qk.stages, "flat"],
    queryFn: async ({ signal }) => {
      const { pipelines } = await apiRequest<{ pipelines: PipelineInfo[] }>("/api/pipelines", { signal });
      return pipelines.flatMap((p) =>
        [...p.stages].sort((a, b) => a.position - b.position).map((s) => ({ id: s.id, name: s.name, position: s.position, probability: s.probability, kind: s.kind, pipelineId: p.id, pipelineName: p.name })),
      );
    },
    staleTime: CONFIG_STALE_MS,
  }),

  /** Reason codes offered per kind of target stage. */
  reasonCodes: (): ResourceQuery<ReasonCodes> => ({
    queryKey: [...qk.stages, "reason-codes"],
    queryFn: ({ signal }) => apiRequest<ReasonCodes>("/api/reason-codes", { signal }),
    staleTime: CONFIG_STALE_MS,
  }),

  /** The board (columns with their first cards and totals) for a filter set. */
  board: (filters: PipelineFilters): ResourceQuery<Pipeline> => ({
    queryKey: [...qk.pipeline, "board", pipelineFiltersKey(filters)],
    queryFn: ({ signal }) => getPipeline(filters, { signal }),
  }),

  boardTotals: (filters: PipelineFilters) => ({
    queryKey: [...qk.pipeline, "totals", pipelineFiltersKey(filters)],
    queryFn: ({ signal }: { signal: AbortSignal }) => getPipelineTotals(filters, { signal }),
  }),

  /** The dashboard's pipeline numbers: totals by stage, no cards. */
  /** One pipeline's totals by stage (the default pipeline without `pipelineId`); no cards. */
  dashboardPipeline: (pipelineId?: string): ResourceQuery<Pipeline> => ({
    queryKey: [...qk.pipeline, "dashboard", pipelineId ?? ""],
    queryFn: ({ signal }) => apiRequest<Pipeline>("/api/opportunities/pipeline", { signal, query: { cardsPerStage: 0, pipelineId } }),
  }),

  myOpenTasks: (userId: string): ResourceQuery<Page<Activity>> => ({
    queryKey: [...qk.dashboard, "tasks", userId],
    queryFn: ({ signal }) => apiRequest<Page<Activity>>("/api/activities", { signal, query: { type: "task", open: "true", ownerId: userId, sort: "dueAt", limit: 50 } }),
  }),

  taskCounts: (userId: string, overdueBefore: string): ResourceQuery<TaskCounts> => ({
    queryKey: [...qk.dashboard, "task-counts", userId, overdueBefore],
    queryFn: ({ signal }) => apiRequest<TaskCounts>("/api/dashboard/tasks", { signal, query: { ownerId: userId, overdueBefore } }),
  }),

  dealWatch: (): ResourceQuery<DealWatch> => ({
    queryKey: [...qk.dashboard, "deal-watch"],
    queryFn: ({ signal }) => apiRequest<DealWatch>("/api/dashboard/deal-watch", { signal }),
  }),

  recentActivity: (ai: AiFeedMode = "latest"): ResourceQuery<Page<Activity>> => ({
    queryKey: [...qk.dashboard, "recent", ai],
    queryFn: ({ signal }) => apiRequest<Page<Activity>>("/api/activities", { signal, query: { sort: "-happenedAt", limit: 15, ai } }),
  }),

  /** One page of a list: `query` holds the filters and sort, `cursor` the page. */
  list: <E extends RecordEntity>(entity: E, query: ListQuery, cursor: string | undefined) => ({
    queryKey: [...qk.records(entity), "list", query, cursor ?? null],
    queryFn: ({ signal }: { signal: AbortSignal }) => listRecords(entity, { ...query, limit: PAGE_SIZE, cursor }, { signal }),
  }),

  /** A record with its `related` block (detail page). */
  record: <E extends RecordEntity>(entity: E, id: string) => ({
    queryKey: [...qk.records(entity), "detail", id],
    queryFn: ({ signal }: { signal: AbortSignal }) => getRecord(entity, id, { signal }),
  }),

  attachments: (entity: RecordEntity, id: string) => ({
    queryKey: [...qk.records(entity), "detail", id, "attachments"],
    queryFn: ({ signal }: { signal: AbortSignal }) => listAttachments(entity, id, { signal }),
  }),

  /** A record's timeline, newest first, paged by cursor (an infinite query). */
  timeline: (entity: RecordEntity, id: string, ai: AiFeedMode = "latest") => ({
    queryKey: [...qk.records(entity), "detail", id, "timeline", ai],
    queryFn: ({ signal, pageParam }: { signal: AbortSignal; pageParam: string | null }): Promise<Page<TimelineItem>> =>
      getTimeline(entity, id, { limit: TIMELINE_PAGE, cursor: pageParam, ai }, { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last: Page<TimelineItem>) => last.nextCursor ?? undefined,
  }),
};

/** Midnight today in the browser's time zone (the dashboard's "overdue" line), as ISO 8601. */
export function startOfLocalDay(): string {
  const d = new Date();
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).toISOString();
}
