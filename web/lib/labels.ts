import type { BadgeTone } from "../components/ui/Badge";
import { domain } from "../../domain";
import type { LeadStatus } from "./records";

/** The labels declared in domain/lead.ts. */
export const LEAD_STATUS_LABEL = Object.fromEntries(domain.lead.fields.status.options.map((o) => [o.value, o.label])) as Record<LeadStatus, string>;

export const LEAD_STATUS_TONE: Record<LeadStatus, BadgeTone> = {
  new: "accent",
  contacted: "neutral",
  qualified: "success",
  unqualified: "danger",
  converted: "success",
};
