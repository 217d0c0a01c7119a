import type { domain } from "../../domain";
import type { AiFieldsOf } from "../../domain/ai";
import type { AiTargetType, DealSignal } from "../schemas/ai";

/**
 * Everything a provider may know about a record: the record, its related records and its recent activities, each
 * with its id so every claim can cite it. Fields marked private in configuration are removed here (and their values
 * scrubbed from free text), so neither provider ever sees them.
 */
export interface AiContext {
  /** The moment "N days ago" is measured from; part of the input, so the offline engine stays deterministic. */
  now: string;
  target: { type: AiTargetType; id: string; name: string };
  opportunity: CtxOpportunity | null;
  account: CtxAccount | null;
  /** The target contact (contact summaries and e-mails to a contact). */
  contact: CtxContact | null;
  lead: CtxLead | null;
  /** People involved: the deal's buying committee, the account's contacts. */
  contacts: CtxContact[];
  /** Deals of the target account or contact. */
  opportunities: CtxDeal[];
  /** Newest first; tasks and stage changes included, AI outputs excluded (AI never cites AI). */
  activities: CtxActivity[];
  /** Close-date edits from the audit trail, oldest first. */
  changes: CtxChange[];
  stages: CtxStage[];
  /** Median days deals in this workspace spent in each stage before moving on (from stage-change history). */
  stageNorms: CtxStageNorm[];
  signals: DealSignal[];
  /** Kinds of value scrubbed from all free text (phone numbers, e-mail addresses); not sent to the provider. */
  privateKinds?: PrivateKind[];
}

/** Custom field values by key (fields of the registry only; private ones removed). */
export type CtxCustom = Record<string, unknown>;
export interface CtxUser { id: string; name: string }
export interface CtxStage { id: string; name: string; kind: "open" | "won" | "lost"; probability: number; position: number }
export interface CtxStageNorm { stageId: string; stageName: string; medianDays: number; samples: number }
/** The deal itself: its declared fields (domain/opportunity.ts, minus `ai: false`) plus stage, owner and dates. */
export type CtxOpportunity = AiFieldsOf<typeof domain.opportunity> & {
  id: string;
  name: string;
  probability: number;
  stage: CtxStage;
  stageEnteredAt: string;
  createdAt: string;
  owner: CtxUser | null;
  accountId: string | null;
  primaryContactId: string | null;
  custom?: CtxCustom;
};
export interface CtxDeal {
  id: string;
  name: string;
  amount?: number | null;
  currency?: string;
  stage: string;
  stageKind: "open" | "won" | "lost";
  probability: number;
  closeDate?: string | null;
  closedAt?: string | null;
  nextStep?: string | null;
  primaryContactId: string | null;
  /** The target contact's role on this deal (contact context only). */
  role?: string | null;
}
/** An account: its declared fields (domain/account.ts, minus `ai: false`) and its owner. */
export type CtxAccount = AiFieldsOf<typeof domain.account> & { id: string; name: string; owner: CtxUser | null; custom?: CtxCustom };
/** A person: the declared fields (domain/contact.ts, minus `ai: false`), the account's name and the deal role. */
export type CtxContact = AiFieldsOf<typeof domain.contact> & {
  id: string;
  name: string;
  accountId: string | null;
  accountName?: string | null;
  /** Role on the deal (Champion, Economic buyer…), when in a deal context. */
  role: string | null;
  isPrimary: boolean;
  /** Latest call, e-mail, meeting or note linked to this contact, on any record. */
  lastActivityAt: string | null;
  custom?: CtxCustom;
};
/** A lead: its declared fields (domain/lead.ts, minus `ai: false`) and its owner. */
export type CtxLead = AiFieldsOf<typeof domain.lead> & { id: string; name: string; status: string; createdAt: string; owner: CtxUser | null; custom?: CtxCustom };
export interface CtxActivity {
  id: string;
  type: string;
  subject?: string | null;
  body?: string | null;
  /** inbound / outbound, from properties.direction. */
  direction: string | null;
  /** How a call or meeting went (connected, no_answer, held, no_show…), from properties.outcome. */
  outcome?: string | null;
  /** Everyone on a call or meeting (properties.contactIds), when more than the activity's contact. */
  contactIds?: string[];
  happenedAt: string;
  dueAt?: string | null;
  completedAt?: string | null;
  actor: string | null;
  contactId: string | null;
  opportunityId: string | null;
  /** Stage changes: from → to and the reason given. */
  stageChange?: { fromStageId: string | null; fromStage: string | null; toStageId: string | null; toStage: string | null; reason: string | null };
}
export interface CtxChange { id: string; field: "closeDate"; from: string | null; to: string | null; at: string; actor: string | null }

/** A field never sent to a provider; `type` (custom fields) says which kind of value it holds. */
export type PrivateField = { entity: string; field: string; type?: string };
export type PrivateKind = "email" | "phone";
