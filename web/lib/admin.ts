/*
 * ADMIN-only calls behind /settings: users, pipeline stages, API keys and webhooks. Wire types come from the
 * Worker's zod contracts where they exist (type-only imports: no zod in the bundle).
 */
import type { z } from "zod";
import type { StagesPut } from "../../worker/schemas/stages";
import type * as keys from "../../worker/schemas/api-keys";
import type * as users from "../../worker/schemas/users";
import type * as wh from "../../worker/schemas/webhooks";
import { apiRequest } from "./api";
import type { ConfiguredStage } from "./quick-create";
import type { Page } from "./records";
import type { Role, User } from "./api-types";

export type { ConfiguredStage, StagesPut };

interface CallOptions {
  signal?: AbortSignal;
}
const id = (value: string) => encodeURIComponent(value);

// ---------------------------------------------------------------------------------------------------------
// Users

export type UserCreate = z.input<typeof users.userCreateSchema>;
export type UserUpdate = z.input<typeof users.userUpdateSchema>;
export interface UserWithPassword {
  user: User;
  /** Shown once; null when the admin chose the password. */
  temporaryPassword: string | null;
}

export function listWorkspaceUsers(query: { q?: string; role?: Role; active?: "true" | "false"; cursor?: string; limit?: number } = {}, options: CallOptions = {}) {
  return apiRequest<Page<User>>("/api/users", { ...options, query: { limit: 200, ...query } });
}

export function createUser(body: UserCreate) {
  return apiRequest<UserWithPassword>("/api/users", { method: "POST", body });
}

export function updateUser(userId: string, patch: UserUpdate) {
  return apiRequest<User>(`/api/users/${id(userId)}`, { method: "PATCH", body: patch });
}

export function setUserActive(userId: string, active: boolean) {
  return apiRequest<User>(`/api/users/${id(userId)}/${active ? "reactivate" : "deactivate"}`, { method: "POST" });
}

export function resetUserPassword(userId: string) {
  return apiRequest<UserWithPassword & { temporaryPassword: string }>(`/api/users/${id(userId)}/reset-password`, { method: "POST" });
}

// ---------------------------------------------------------------------------------------------------------
// Pipeline stages

/**
 * Replaces the ordered stage list. Stages left out are removed; one that still holds deals needs a `moveTo`
 * target, else the answer is 409 naming them.
 */
export async function putStages(body: StagesPut): Promise<ConfiguredStage[]> {
  const { stages } = await apiRequest<{ stages: ConfiguredStage[] }>("/api/pipeline/stages", { method: "PUT", body });
  return stages;
}

// ---------------------------------------------------------------------------------------------------------
// API keys (integrations: `Authorization: Bearer <key>`)

export type ApiKey = z.infer<typeof keys.apiKeySchema>;
/** The creation answer: the key plus its `secret`, which is never shown again. */
export type CreatedApiKey = z.infer<typeof keys.apiKeyCreatedSchema>;

export async function listApiKeys(options: CallOptions = {}): Promise<ApiKey[]> {
  const { data } = await apiRequest<{ data: ApiKey[] }>("/api/api-keys", options);
  return data;
}

export function createApiKey(body: z.input<typeof keys.apiKeyCreateSchema>) {
  return apiRequest<CreatedApiKey>("/api/api-keys", { method: "POST", body });
}

/** Revokes a key: requests with it fail from now on. Answers the revoked key. */
export function revokeApiKey(keyId: string) {
  return apiRequest<ApiKey>(`/api/api-keys/${id(keyId)}`, { method: "DELETE" });
}

// ---------------------------------------------------------------------------------------------------------
// Webhooks

export { WEBHOOK_EVENTS } from "./webhook-events";

export type Webhook = z.infer<typeof wh.webhookSchema>;
export type CreatedWebhook = z.infer<typeof wh.webhookCreatedSchema>;
export type WebhookDelivery = z.infer<typeof wh.webhookDeliverySchema>;
export type WebhookCreate = z.input<typeof wh.webhookCreateSchema>;
export type WebhookUpdate = z.input<typeof wh.webhookUpdateSchema>;
export type DeliveryStatus = WebhookDelivery["status"];

export async function listWebhooks(options: CallOptions = {}): Promise<Webhook[]> {
  const res = await apiRequest<{ data: Webhook[] } | Webhook[]>("/api/webhooks", options);
  return Array.isArray(res) ? res : res.data;
}

export function createWebhook(body: WebhookCreate) {
  return apiRequest<CreatedWebhook>("/api/webhooks", { method: "POST", body });
}

export function updateWebhook(hookId: string, patch: WebhookUpdate) {
  return apiRequest<Webhook>(`/api/webhooks/${id(hookId)}`, { method: "PATCH", body: patch });
}

export function deleteWebhook(hookId: string) {
  return apiRequest<unknown>(`/api/webhooks/${id(hookId)}`, { method: "DELETE" });
}

export function listDeliveries(hookId: string, query: { status?: DeliveryStatus; cursor?: string; limit?: number } = {}, options: CallOptions = {}) {
  return apiRequest<Page<WebhookDelivery>>(`/api/webhooks/${id(hookId)}/deliveries`, { ...options, query: { limit: 25, ...query } });
}

export function redeliver(deliveryId: string) {
  return apiRequest<WebhookDelivery>(`/api/webhooks/deliveries/${id(deliveryId)}/redeliver`, { method: "POST" });
}
