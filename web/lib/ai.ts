/*
 * Calls of the AI layer (worker/routes/ai.ts). Types come from its zod contracts, type-only.
 * Every generating call may answer 429 with Retry-After (per-user rate limit, per-workspace token budget).
 */
import type { z } from "zod";
import type * as s from "../../worker/schemas/ai";
import { apiRequest, ApiError } from "./api";
import type { Activity, TargetType } from "./records";

export type SummaryResult = z.infer<typeof s.summaryResultSchema>;
export type SummaryLatest = z.infer<typeof s.summaryLatestSchema>;
export type AiJob = z.infer<typeof s.aiJobSchema>;
export type NextActionsResult = z.infer<typeof s.nextActionsResultSchema>;
export type EmailDraftResult = z.infer<typeof s.emailDraftResultSchema>;
export type DealBriefResult = z.infer<typeof s.dealBriefResultSchema>;
export type AiSource = z.infer<typeof s.aiSourceSchema>;
export type EmailTone = (typeof s.emailTones)[number];
export const EMAIL_TONES: readonly EmailTone[] = ["friendly", "formal", "concise", "direct"];

interface CallOptions {
  signal?: AbortSignal;
}

export function latestSummary(targetType: TargetType, targetId: string, options: CallOptions = {}) {
  return apiRequest<SummaryLatest>("/api/ai/summaries", { ...options, query: { targetType, targetId } });
}

/** 200 with the finished job (the offline engine wrote it in the request) or 202 with a queued one to poll. */
export function requestSummary(targetType: TargetType, targetId: string) {
  return apiRequest<{ jobId: string; status: AiJob["status"]; created: boolean; job: Partial<AiJob> }>("/api/ai/summaries", { method: "POST", body: { targetType, targetId } });
}

export function getJob(id: string, options: CallOptions = {}) {
  return apiRequest<AiJob>(`/api/ai/jobs/${encodeURIComponent(id)}`, options);
}

/** Polls a queued job until it succeeds (its summary) or fails for good. */
export async function waitForJob(id: string, signal: AbortSignal, intervalMs = 1500): Promise<AiJob> {
  for (;;) {
    const job = await getJob(id, { signal });
    if (job.status === "succeeded" || job.status === "dead") return job;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, intervalMs);
      signal.addEventListener("abort", () => {
        clearTimeout(timer);
        reject(new DOMException("Aborted", "AbortError"));
      }, { once: true });
    });
  }
}

export function nextBestActions(opportunityId: string) {
  return apiRequest<NextActionsResult>("/api/ai/next-best-actions", { method: "POST", body: { opportunityId } });
}

export function createSuggestedTask(suggestionActivityId: string, index: number) {
  return apiRequest<Activity>(`/api/ai/next-best-actions/${encodeURIComponent(suggestionActivityId)}/create-task`, { method: "POST", body: { index } });
}

export function draftEmail(body: { opportunityId?: string; contactId?: string; intent: string; tone?: EmailTone }) {
  return apiRequest<EmailDraftResult>("/api/ai/draft-email", { method: "POST", body });
}

export function saveDraft(draftActivityId: string, patch: { subject?: string; body?: string }) {
  return apiRequest<EmailDraftResult>(`/api/ai/drafts/${encodeURIComponent(draftActivityId)}/save`, { method: "POST", body: patch });
}

export function dealBrief(opportunityId: string, refresh = false, options: CallOptions = {}) {
  return apiRequest<DealBriefResult>(`/api/ai/deal-brief/${encodeURIComponent(opportunityId)}`, { ...options, query: { refresh: refresh ? "true" : undefined } });
}

/** "Try again in 12 s" for a 429, else the error's own message. */
export function aiErrorMessage(error: unknown): string {
  if (error instanceof ApiError && error.status === 429) {
    const wait = error.retryAfterSeconds;
    return wait !== undefined ? `The AI limit was reached. Try again in ${wait} s.` : "The AI limit was reached. Try again shortly.";
  }
  if (error instanceof ApiError) return error.detail || error.title;
  return error instanceof Error ? error.message : "Something went wrong.";
}
