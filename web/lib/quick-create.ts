/*
 * Calls behind quick create and lead conversion: create a record, read the pipeline stages.
 * Wire types come from the Worker's zod contracts (type-only imports: no zod in the bundle).
 */
import type { z } from "zod";
import type { LeadConversion, LeadConvertInput } from "../../worker/schemas/leads";
import type { ConfiguredStage } from "../../worker/schemas/stages";
import type * as s from "../../worker/schemas/records";
import { apiRequest } from "./api";
import type { Account, Activity, Contact, Lead, Opportunity } from "./records";

export type { ConfiguredStage, LeadConversion, LeadConvertInput };

export interface CreateBodies {
  accounts: z.input<typeof s.accountCreateSchema>;
  contacts: z.input<typeof s.contactCreateSchema>;
  leads: z.input<typeof s.leadCreateSchema>;
  opportunities: z.input<typeof s.opportunityCreateSchema>;
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

/** A `YYYY-MM-DD` date `days` from today in the user's time zone. */
export function dateInDays(days: number, now = new Date()): string {
  const d = new Date(now.getFullYear(), now.getMonth(), now.getDate() + days);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

/** End of that day (17:00 local) as an ISO timestamp, for task due times picked as a date. */
export function dueAtFromDate(date: string): string {
  const [y, m, d] = date.split("-").map(Number);
  return new Date(y!, m! - 1, d!, 17, 0, 0).toISOString();
}

/**
 * Parses an amount typed in major units ("1,234.50", "1 234,50", "12k") into minor units for `currency`.
 * Returns null for an empty field and NaN for text that is not a number.
 */
export function parseMajorAmount(input: string, fractionDigits: number): number | null {
  let text = input.trim().replace(/[\s'’_]/g, "").replace(/^[^\d.,-]+|[^\dkKmM.,]+$/g, "");
  if (!text) return null;
  let factor = 1;
  const suffix = /([kKmM])$/.exec(text);
  if (suffix) {
    factor = /k/i.test(suffix[1]!) ? 1_000 : 1_000_000;
    text = text.slice(0, -1);
  }
  // The last separator followed by 1–2 digits (or up to the currency's digits) is the decimal mark.
  const lastSep = Math.max(text.lastIndexOf("."), text.lastIndexOf(","));
  let normalised = text;
  if (lastSep >= 0) {
    const decimals = text.length - lastSep - 1;
    const isDecimal = decimals > 0 && decimals <= Math.max(2, fractionDigits) && !(decimals === 3 && fractionDigits < 3);
    const intPart = text.slice(0, lastSep).replace(/[.,]/g, "");
    normalised = isDecimal ? `${intPart}.${text.slice(lastSep + 1)}` : text.replace(/[.,]/g, "");
  }
  if (!/^-?\d+(\.\d+)?$/.test(normalised)) return Number.NaN;
  return Math.round(Number(normalised) * factor * 10 ** fractionDigits);
}
