/*
 * Typed calls for the CRM records (accounts, contacts, leads, opportunities, activities), their timelines and
 * attachments. Wire types are inferred from the Worker's zod contracts (worker/schemas/records.ts) with
 * `import type`, so no zod code reaches the browser bundle.
 */
import type { z } from "zod";
import type * as attachmentSchemas from "../../worker/schemas/attachments";
import type * as s from "../../worker/schemas/records";
import { leadStatuses, type domain } from "../../domain";
import type { InputOf, RecordOf } from "../../domain/contracts";
import { apiRequest, buildUrl, readProblem, ApiError, type QueryValue } from "./api";
import { freshToken, sendAuthorized } from "./session";
import type { User } from "./api-types";

export type Account = RecordOf<typeof domain.account>;
export type Contact = RecordOf<typeof domain.contact>;
export type Lead = RecordOf<typeof domain.lead>;
export type Opportunity = RecordOf<typeof domain.opportunity>;
export type Activity = z.infer<typeof s.activitySchema>;
export type TimelineItem = z.infer<typeof s.timelineItemSchema>;
export type OpportunityPatch = InputOf<typeof domain.opportunity> & { stageChangeReason?: string | { text: string; code?: string }; contactIds?: string[] };
export type ActivityCreate = z.input<typeof s.activityCreateSchema>;
export type LeadStatus = Lead["status"];

/** The lead statuses in order, as declared in domain/lead.ts. */
export const LEAD_STATUSES: readonly LeadStatus[] = leadStatuses;

/** The four record types with pages of their own. */
export type RecordEntity = "accounts" | "contacts" | "leads" | "opportunities";
export type TargetType = "account" | "contact" | "lead" | "opportunity";

export const ENTITY_TARGET: Record<RecordEntity, TargetType> = {
  accounts: "account",
  contacts: "contact",
  leads: "lead",
  opportunities: "opportunity",
};
export const TARGET_ENTITY: Record<TargetType, RecordEntity> = {
  account: "accounts",
  contact: "contacts",
  lead: "leads",
  opportunity: "opportunities",
};

export interface RecordByEntity {
  accounts: Account;
  contacts: Contact;
  leads: Lead;
  opportunities: Opportunity;
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

// ---------------------------------------------------------------------------------------------------------
// Detail shapes: `related` as worker/services/records/detail.ts builds it.

export interface UserRef {
  id: string;
  name: string;
  email?: string;
}
export interface AccountRef {
  id: string;
  name: string;
  domain?: string | null;
  industry?: string | null;
}
export interface RelatedContact {
  id: string;
  name: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  title: string | null;
  accountId: string | null;
  isPrimary?: boolean;
  role?: string | null;
}
export interface RelatedOpportunity {
  id: string;
  name: string;
  amount: number | null;
  currency: string;
  closeDate: string | null;
  stageId: string;
  stageName: string;
  stageKind: "open" | "won" | "lost";
  probability: number;
  ownerId: string | null;
  version: number;
}
export interface OpenTask {
  id: string;
  subject: string | null;
  dueAt: string | null;
  ownerId: string | null;
}
export interface StageRef {
  id: string;
  name: string;
  probability: number;
  kind: "open" | "won" | "lost";
  position: number;
}

export interface AccountDetail extends Account {
  related: {
    contacts: RelatedContact[];
    openOpportunities: RelatedOpportunity[];
    owner: UserRef | null;
    counts: { contacts: number; opportunities: number };
  };
}
export interface ContactDetail extends Contact {
  related: { account: AccountRef | null; opportunities: RelatedOpportunity[]; owner: UserRef | null; nextTask: OpenTask | null };
}
export interface LeadDetail extends Lead {
  related: {
    owner: UserRef | null;
    converted: { account: { id: string; name: string } | null; contact: { id: string; name: string } | null; opportunity: { id: string; name: string } | null } | null;
    nextTask: OpenTask | null;
  };
}
export interface OpportunityDetail extends Opportunity {
  related: { account: AccountRef | null; contacts: RelatedContact[]; stage: StageRef | null; owner: UserRef | null; nextTask: OpenTask | null };
}
export interface DetailByEntity {
  accounts: AccountDetail;
  contacts: ContactDetail;
  leads: LeadDetail;
  opportunities: OpportunityDetail;
}

// ---------------------------------------------------------------------------------------------------------
// Endpoints

interface CallOptions {
  signal?: AbortSignal;
}

export type ListQuery = Record<string, QueryValue>;

export function listRecords<E extends RecordEntity>(entity: E, query: ListQuery = {}, options: CallOptions = {}) {
  return apiRequest<Page<RecordByEntity[E]>>(`/api/${entity}`, { ...options, query });
}

export function getRecord<E extends RecordEntity>(entity: E, id: string, options: CallOptions = {}) {
  return apiRequest<DetailByEntity[E]>(`/api/${entity}/${encodeURIComponent(id)}`, options);
}

export function updateRecord<E extends RecordEntity>(entity: E, id: string, patch: Record<string, unknown>) {
  return apiRequest<RecordByEntity[E]>(`/api/${entity}/${encodeURIComponent(id)}`, { method: "PATCH", body: patch });
}

export function deleteRecord(entity: RecordEntity, id: string) {
  return apiRequest<unknown>(`/api/${entity}/${encodeURIComponent(id)}`, { method: "DELETE" });
}

export function restoreRecord(entity: RecordEntity, id: string) {
  return apiRequest<unknown>(`/api/${entity}/${encodeURIComponent(id)}/restore`, { method: "POST" });
}

/** Inline edit of a deal; send the `version` you edited — a stale one answers 409 with `current`. */
export function updateOpportunity(id: string, patch: OpportunityPatch) {
  return apiRequest<Opportunity>(`/api/opportunities/${encodeURIComponent(id)}`, { method: "PATCH", body: patch });
}

export function getTimeline(entity: RecordEntity, id: string, query: { cursor?: string | null; limit?: number; ai?: "show" | "latest" | "hide" } = {}, options: CallOptions = {}) {
  return apiRequest<Page<TimelineItem>>(`/api/${entity}/${encodeURIComponent(id)}/timeline`, { ...options, query });
}

export function createActivity(body: ActivityCreate) {
  return apiRequest<Activity>("/api/activities", { method: "POST", body });
}

export function updateActivity(id: string, patch: Record<string, unknown>) {
  return apiRequest<Activity>(`/api/activities/${encodeURIComponent(id)}`, { method: "PATCH", body: patch });
}

/** Colleagues for owner pickers and names (every role may list them). */
export async function listUsers(options: CallOptions = {}): Promise<User[]> {
  const page = await apiRequest<Page<User>>("/api/users", { ...options, query: { limit: 200 } });
  return page.data;
}

/** Accounts whose name (or domain) contains `q`, for typeaheads. */
export async function searchAccounts(q: string, options: CallOptions = {}): Promise<Account[]> {
  const page = await listRecords("accounts", { q: q.trim() || undefined, limit: 8, sort: "name" }, options);
  return page.data;
}

// ---------------------------------------------------------------------------------------------------------
// Files: downloads need the bearer header, so they go through fetch → Blob → a temporary object URL.

/** Saves a Blob under `filename` through a temporary link (the browser's normal download flow). */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  a.rel = "noopener";
  document.body.append(a);
  a.click();
  a.remove();
  // Revoked on the next tick: revoking synchronously can cancel the download in some browsers.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** `attachment; filename*=UTF-8''n%C3%A4me.pdf` or `filename="name.pdf"` → the file name. */
export function filenameFromDisposition(header: string | null, fallback: string): string {
  if (!header) return fallback;
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1].trim());
    } catch {
      /* fall through */
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/.exec(header);
  return plain?.[1]?.trim() || fallback;
}

/** GETs a file with the session's token and hands it to the browser as a download. */
export async function downloadFile(path: string, fallbackName: string, query?: Record<string, QueryValue>): Promise<string> {
  const headers: Record<string, string> = {};
  const token = await freshToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  let res: Response;
  try {
    res = await fetch(buildUrl(path, query), { headers });
  } catch {
    throw new ApiError({ type: "about:blank#network", title: "Network error", status: 0, detail: "Could not reach the server. Check your connection and try again." });
  }
  if (!res.ok) throw await readProblem(res);
  const name = filenameFromDisposition(res.headers.get("content-disposition"), fallbackName);
  saveBlob(await res.blob(), name);
  return name;
}

/**
 * Downloads the CSV export of a list, narrowed by the list's filters and in its sort order. The browser follows a
 * one-minute signed link (a navigation cannot send the Bearer header) and streams the file to disk with its own
 * download progress: nothing is held in this page's memory, however large the export.
 */
export async function exportCsv(entity: RecordEntity, query: Record<string, QueryValue> = {}): Promise<string> {
  const link = await apiRequest<{ url: string; expiresAt: string }>(`/api/export/${entity}/link`, { query });
  const a = document.createElement("a");
  a.href = buildUrl(link.url);
  a.download = "";
  a.rel = "noopener";
  document.body.append(a);
  a.click();
  a.remove();
  return `${entity}-${new Date().toISOString().slice(0, 10)}.csv`;
}

// ---------------------------------------------------------------------------------------------------------
// Attachments (worker/routes/attachments.ts): POST /api/{entity}/:id/attachments (multipart `file`) → 201 Attachment;
// GET the same path → {data}; GET /api/attachments/:id/download; DELETE /api/attachments/:id.

export type Attachment = z.infer<typeof attachmentSchemas.attachmentSchema>;

export async function listAttachments(entity: RecordEntity, id: string, options: CallOptions = {}): Promise<Attachment[]> {
  const page = await apiRequest<z.infer<typeof attachmentSchemas.attachmentListSchema>>(`/api/${entity}/${encodeURIComponent(id)}/attachments`, options);
  return page.data;
}

export function deleteAttachment(id: string) {
  return apiRequest<unknown>(`/api/attachments/${encodeURIComponent(id)}`, { method: "DELETE" });
}

export function downloadAttachment(attachment: Pick<Attachment, "id" | "filename">) {
  return downloadFile(`/api/attachments/${encodeURIComponent(attachment.id)}/download`, attachment.filename);
}

export interface UploadHandle {
  promise: Promise<Attachment>;
  abort(): void;
}

/**
 * Uploads one file as multipart `file`. XMLHttpRequest rather than fetch because only XHR reports upload
 * progress; `onProgress` gets 0–1.
 */
export function uploadAttachment(entity: RecordEntity, id: string, file: File, onProgress: (fraction: number) => void): UploadHandle {
  const xhr = new XMLHttpRequest();
  let abort = () => xhr.abort();
  const promise = new Promise<Attachment>((resolve, reject) => {
    xhr.open("POST", buildUrl(`/api/${entity}/${encodeURIComponent(id)}/attachments`));
    xhr.setRequestHeader("Accept", "application/json, application/problem+json");
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = async () => {
      const headers = new Headers();
      for (const line of xhr.getAllResponseHeaders().trim().split(/[\r\n]+/)) {
        const at = line.indexOf(":");
        if (at > 0) headers.append(line.slice(0, at).trim(), line.slice(at + 1).trim());
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        try {
          resolve(JSON.parse(xhr.responseText) as Attachment);
        } catch {
          reject(new ApiError({ type: "about:blank", title: "Bad response", status: xhr.status, detail: "The server's answer could not be read." }));
        }
        return;
      }
      reject(await readProblem(new Response(xhr.responseText, { status: xhr.status, headers })));
    };
    xhr.onerror = () =>
      reject(new ApiError({ type: "about:blank#network", title: "Network error", status: 0, detail: "The upload did not reach the server. Check your connection and try again." }));
    const cancelled = () => reject(new DOMException("Upload cancelled", "AbortError"));
    xhr.onabort = cancelled;
    const form = new FormData();
    form.append("file", file, file.name);
    abort = sendAuthorized(xhr, form, cancelled);
  });
  return { promise, abort: () => abort() };
}
