import type { BadgeTone } from "../components/ui/Badge";
import type { LeadStatus } from "./records";

export const LEAD_STATUS_LABEL: Record<LeadStatus, string> = {
  new: "New",
  contacted: "Contacted",
  qualified: "Qualified",
  unqualified: "Unqualified",
  converted: "Converted",
};

export const LEAD_STATUS_TONE: Record<LeadStatus, BadgeTone> = {
  new: "accent",
  contacted: "neutral",
  qualified: "success",
  unqualified: "danger",
  converted: "success",
};
