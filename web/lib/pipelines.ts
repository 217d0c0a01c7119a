/*
 * Pipelines and reason codes: the calls behind the board's pipeline switcher, Settings → Pipelines, the
 * "move to another pipeline" dialog and the stage-change dialog's reason codes. Wire types come from the Worker's
 * zod contracts (type-only imports: no zod in the bundle). Lists are cached for the session; settings invalidate.
 */
import { useEffect, useState } from "react";
import type { z } from "zod";
import type { PipelineCreate, PipelineInfo, PipelinePatch } from "../../worker/schemas/pipelines";
import type { ReasonCodes, ReasonCodesPut } from "../../worker/schemas/reason-codes";
import type { ConfiguredStage, StagesPut } from "../../worker/schemas/stages";
import type { stageInputSchema } from "../../worker/schemas/stages";
import { apiRequest } from "./api";

type CallOptions = { signal?: AbortSignal };

export type { ConfiguredStage, PipelineCreate, PipelineInfo, PipelinePatch, ReasonCodes, ReasonCodesPut, StagesPut };
export type StageInput = z.input<typeof stageInputSchema>;

const id = (value: string) => encodeURIComponent(value);

let pipelinesPromise: Promise<PipelineInfo[]> | null = null;
const listeners = new Set<() => void>();

/** The workspace's pipelines in order, each with its stages (GET /api/pipelines), cached for the session. */
export function loadPipelines(options: CallOptions = {}): Promise<PipelineInfo[]> {
  if (options.signal) return apiRequest<{ pipelines: PipelineInfo[] }>("/api/pipelines", options).then((r) => r.pipelines);
  pipelinesPromise ??= apiRequest<{ pipelines: PipelineInfo[] }>("/api/pipelines")
    .then((r) => r.pipelines)
    .catch((error: unknown) => {
      pipelinesPromise = null;
      throw error;
    });
  return pipelinesPromise;
}

/** Forget the cached pipelines (after an admin edits them); mounted `usePipelines` hooks fetch again. */
export function invalidatePipelines(): void {
  pipelinesPromise = null;
  for (const l of listeners) l();
}

export function usePipelines(): PipelineInfo[] | undefined {
  const [pipelines, setPipelines] = useState<PipelineInfo[]>();
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const bump = () => setVersion((n) => n + 1);
    listeners.add(bump);
    return () => void listeners.delete(bump);
  }, []);
  useEffect(() => {
    let live = true;
    loadPipelines().then(
      (p) => live && setPipelines(p),
      () => live && setPipelines([]),
    );
    return () => {
      live = false;
    };
  }, [version]);
  return pipelines;
}

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

let reasonCodesPromise: Promise<ReasonCodes> | null = null;

/** Reason codes per kind of target stage (GET /api/reason-codes), cached for the session. */
export function loadReasonCodes(): Promise<ReasonCodes> {
  reasonCodesPromise ??= apiRequest<ReasonCodes>("/api/reason-codes").catch((error: unknown) => {
    reasonCodesPromise = null;
    throw error;
  });
  return reasonCodesPromise;
}

export function useReasonCodes(): ReasonCodes | undefined {
  const [codes, setCodes] = useState<ReasonCodes>();
  useEffect(() => {
    let live = true;
    loadReasonCodes().then(
      (c) => live && setCodes(c),
      () => live && setCodes({ open: [], won: [], lost: [] }),
    );
    return () => {
      live = false;
    };
  }, []);
  return codes;
}

export async function putReasonCodes(body: ReasonCodesPut): Promise<ReasonCodes> {
  const codes = await apiRequest<ReasonCodes>("/api/reason-codes", { method: "PUT", body });
  reasonCodesPromise = Promise.resolve(codes);
  return codes;
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
