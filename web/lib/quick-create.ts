/*
 * Calls behind quick create and lead conversion: create a record, read the pipeline stages.
 * Wire types come from the Worker's zod contracts (type-only imports: no zod in the bundle).
 */
import type { z } from "zod";
import type { LeadConversion, LeadConvertInput } from "../../worker/schemas/leads";
import type { ConfiguredStage } from "../../worker/schemas/stages";
import type * as s from "../../worker/schemas/records";
import type { domain } from "../../domain";
import type { InputOf } from "../../domain/contracts";
import { apiRequest } from "./api";
import type { Account, Activity, Contact, Lead, Opportunity } from "./records";

export type { ConfiguredStage, LeadConversion, LeadConvertInput };

export interface CreateBodies {
  accounts: InputOf<typeof domain.account> & { name?: string };
  contacts: InputOf<typeof domain.contact> & { name?: string };
  leads: InputOf<typeof domain.lead> & { name?: string };
  opportunities: InputOf<typeof domain.opportunity> & { contactIds?: string[]; pipelineId?: string };
  activities: z.input<typeof s.activityCreateSchema>;
}
export interface Created {
  accounts: Account;
  contacts: Contact;
  leads: Lead;
  opportunities: Opportunity;
  activities: Activity;
}

/** `POST /api/{entity}` → 201 with the new record. A 422 carries one error per invalid field. */
export function createRecord<E extends keyof CreateBodies>(entity: E, body: CreateBodies[E], options: { signal?: AbortSignal } = {}) {
  return apiRequest<Created[E]>(`/api/${entity}`, { method: "POST", body, signal: options.signal });
}

/** The stages in board order, with how many deals each holds. */
export async function getStages(options: { signal?: AbortSignal } = {}): Promise<ConfiguredStage[]> {
  const { stages } = await apiRequest<{ stages: ConfiguredStage[] }>("/api/pipeline/stages", options);
  return stages;
}

/** `POST /api/leads/:id/convert` → 201 {lead, account, contact, opportunity, task}; 409 when already converted. */
export function convertLead(leadId: string, body: LeadConvertInput) {
  return apiRequest<LeadConversion>(`/api/leads/${encodeURIComponent(leadId)}/convert`, { method: "POST", body });
}

export { dateInDays, dueAtFromDate, parseMajorAmount } from "./parse";
