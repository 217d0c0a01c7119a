import type { DealScore, ForecastAccuracy, InsightsSettings, ScoreQuality } from "../../worker/schemas/insights";
import { apiRequest } from "./api";
import type { ResourceQuery } from "./useResource";

/** The win score and its evaluation (Settings → Insights, the deal page's score panel). */
export const insightsQueries = {
  dealScore: (id: string): ResourceQuery<DealScore> => ({
    queryKey: ["records", "opportunity", id, "score"],
    queryFn: ({ signal }) => apiRequest<DealScore>(`/api/opportunities/${encodeURIComponent(id)}/score`, { signal }),
  }),
  scoreQuality: (): ResourceQuery<ScoreQuality> => ({
    queryKey: ["settings", "insights", "score-quality"],
    queryFn: ({ signal }) => apiRequest<ScoreQuality>("/api/insights/score-quality", { signal }),
  }),
  forecastAccuracy: (): ResourceQuery<ForecastAccuracy> => ({
    queryKey: ["settings", "insights", "forecast-accuracy"],
    queryFn: ({ signal }) => apiRequest<ForecastAccuracy>("/api/insights/forecast-accuracy", { signal }),
  }),
  settings: (): ResourceQuery<InsightsSettings> => ({
    queryKey: ["settings", "insights", "settings"],
    queryFn: ({ signal }) => apiRequest<InsightsSettings>("/api/insights/settings", { signal }),
  }),
};

export const refitInsights = () => apiRequest<{ version: number; kind: string; scored: number; snapshots: number }>("/api/insights/refit", { method: "POST" });
export const saveInsightsSettings = (body: InsightsSettings) => apiRequest<InsightsSettings>("/api/insights/settings", { method: "PUT", body });
