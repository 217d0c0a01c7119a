/*
 * Pipelines and reason codes: the calls behind the board's pipeline switcher, Settings → Pipelines, the
 * "move to another pipeline" dialog and the stage-change dialog's reason codes. Wire types come from the Worker's
 * zod contracts (type-only imports: no zod in the bundle). Lists are cached for the session; settings invalidate.
 */
import { useQuery } from "@tanstack/react-query";
import type { z } from "zod";
import type { PipelineCreate, PipelineInfo, PipelinePatch } from "../../worker/schemas/pipelines";
import type { ReasonCodes, ReasonCodesPut } from "../../worker/schemas/reason-codes";
import type { ConfiguredStage, StagesPut } from "../../worker/schemas/stages";
import type { stageInputSchema } from "../../worker/schemas/stages";
import { apiRequest } from "./api";
import { queries } from "./queries";
import { qk, queryClient } from "./query";

type CallOptions = { signal?: AbortSignal };

export type { ConfiguredStage, PipelineCreate, PipelineInfo, PipelinePatch, ReasonCodes, ReasonCodesPut, StagesPut };
export type StageInput = z.input<typeof stageInputSchema>;

const id = (value: string) => encodeURIComponent(value);

/** The workspace's pipelines in order, each with its stages (GET /api/pipelines), through the query cache. */
export function loadPipelines(_options: CallOptions = {}): Promise<PipelineInfo[]> {
  return queryClient.fetchQuery(queries.pipelines());
}

/** Refetch pipelines and stages (writes through the API client already do; for callers that changed them otherwise). */
export function invalidatePipelines(): void {
  void queryClient.invalidateQueries({ queryKey: qk.stages, refetchType: "all" });
}

export function usePipelines(): PipelineInfo[] | undefined {
  const { data, isError } = useQuery(queries.pipelines());
  return data ?? (isError ? NO_PIPELINES : undefined);
}
const NO_PIPELINES: PipelineInfo[] = [];

export function createPipeline(body: PipelineCreate) {
  return apiRequest<PipelineInfo>("/api/pipelines", { method: "POST", body });
}

export function updatePipeline(pipelineId: string, patch: PipelinePatch) {
  return apiRequest<PipelineInfo>(`/api/pipelines/${id(pipelineId)}`, { method: "PATCH", body: patch });
}

/** Deletes a pipeline; one holding deals needs `moveTo` (a stage of another pipeline), else 409. */
export function deletePipeline(pipelineId: string, moveTo?: string) {
  return apiRequest<{ id: string; movedOpportunities: number }>(`/api/pipelines/${id(pipelineId)}`, { method: "DELETE", query: { moveTo } });
}

/** Replaces one pipeline's ordered stage list (stages left out are removed; deals in them need `moveTo`). */
export async function putPipelineStages(pipelineId: string, body: StagesPut): Promise<ConfiguredStage[]> {
  const { stages } = await apiRequest<{ stages: ConfiguredStage[] }>(`/api/pipelines/${id(pipelineId)}/stages`, { method: "PUT", body });
  return stages;
}

/** Reason codes per kind of target stage (GET /api/reason-codes), through the query cache. */
export function loadReasonCodes(): Promise<ReasonCodes> {
  return queryClient.fetchQuery(queries.reasonCodes());
}

export function useReasonCodes(): ReasonCodes | undefined {
  const { data, isError } = useQuery(queries.reasonCodes());
  return data ?? (isError ? NO_CODES : undefined);
}
const NO_CODES: ReasonCodes = { open: [], won: [], lost: [] };

export function putReasonCodes(body: ReasonCodesPut): Promise<ReasonCodes> {
  return apiRequest<ReasonCodes>("/api/reason-codes", { method: "PUT", body });
}

const REMEMBER_KEY = "bespoke.board.pipeline";

/** The board's last pipeline on this device, so /pipeline without `?pipeline=` opens where the user left it. */
export function rememberedPipeline(): string | undefined {
  try {
    return localStorage.getItem(REMEMBER_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

export function rememberPipeline(pipelineId: string | undefined): void {
  try {
    if (pipelineId) localStorage.setItem(REMEMBER_KEY, pipelineId);
    else localStorage.removeItem(REMEMBER_KEY);
  } catch {
    // Private mode or storage full: the URL still carries the choice.
  }
}
