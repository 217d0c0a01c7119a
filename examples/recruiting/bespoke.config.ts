/**
 * Example: a recruiting agency. Deals are placements of a candidate in a client's role; a second pipeline tracks the
 * roles (mandates) themselves. Start with it: `BESPOKE_CONFIG=examples/recruiting npm start`.
 */
import { defineConfig } from "../../worker/config-file/define";

export default defineConfig({
  branding: {
    name: "TalentBridge Recruiting",
    accentColor: "#0f766e",
  },

  pipelines: [
    {
      key: "candidates",
      name: "Candidates",
      default: true,
      stages: [
        { key: "sourced", name: "Sourced", probability: 5, kind: "open", agingDays: 7 },
        { key: "screening", name: "Screening", probability: 15, kind: "open", agingDays: 7 },
        { key: "client_interview", name: "Client interview", probability: 40, kind: "open", agingDays: 14 },
        { key: "offer", name: "Offer", probability: 75, kind: "open", agingDays: 7 },
        { key: "placed", name: "Placed", probability: 100, kind: "won" },
        { key: "not_placed", name: "Not placed", probability: 0, kind: "lost" },
      ],
    },
    {
      key: "roles",
      name: "Roles",
      stages: [
        { key: "intake", name: "Intake", probability: 10, kind: "open", agingDays: 5 },
        { key: "sourcing", name: "Sourcing", probability: 30, kind: "open", agingDays: 21 },
        { key: "shortlist", name: "Shortlist sent", probability: 60, kind: "open", agingDays: 10 },
        { key: "filled", name: "Filled", probability: 100, kind: "won" },
        { key: "cancelled", name: "Cancelled", probability: 0, kind: "lost" },
      ],
    },
  ],

  customFields: {
    opportunity: [
      {
        key: "seniority",
        label: "Seniority",
        type: "single_select",
        options: [
          { value: "junior", label: "Junior", color: "#22c55e" },
          { value: "mid", label: "Mid-level", color: "#3b82f6" },
          { value: "senior", label: "Senior", color: "#a855f7" },
          { value: "lead", label: "Lead / Principal", color: "#f97316" },
        ],
        showOnCard: true,
        showInQuickCreate: true,
        filterable: true,
      },
      { key: "noticePeriodDays", label: "Notice period (days)", type: "number", helpText: "Days the candidate must work at the current employer after resigning.", filterable: true },
      { key: "expectedSalary", label: "Expected salary", type: "money", currency: "EUR", aiPrivate: true, helpText: "Yearly gross, as the candidate stated it." },
      { key: "availableFrom", label: "Available from", type: "date" },
      { key: "remoteOk", label: "Open to remote", type: "checkbox", default: false },
      {
        key: "skills",
        label: "Key skills",
        type: "multi_select",
        options: [
          { value: "typescript", label: "TypeScript" },
          { value: "python", label: "Python" },
          { value: "sales", label: "Sales" },
          { value: "finance", label: "Finance" },
          { value: "leadership", label: "Leadership" },
        ],
      },
    ],
    contact: [
      { key: "linkedinUrl", label: "LinkedIn", type: "url" },
      { key: "currentEmployer", label: "Current employer", type: "text" },
    ],
    account: [
      { key: "placementFee", label: "Placement fee", type: "percent", default: 20, helpText: "Share of the first year's salary billed per placement." },
    ],
    lead: [],
  },

  reasonCodes: {
    won: [
      { value: "client_hired", label: "Client hired the candidate" },
      { value: "fast_shortlist", label: "Fast shortlist" },
    ],
    lost: [
      { value: "candidate_declined", label: "Candidate declined the offer" },
      { value: "counter_offer", label: "Counter-offer from current employer" },
      { value: "salary_mismatch", label: "Salary expectations did not match" },
      { value: "client_rejected", label: "Client rejected the candidate" },
      { value: "role_cancelled", label: "Role cancelled or put on hold" },
    ],
    open: [
      { value: "progressed", label: "Candidate progressed" },
      { value: "reopened", label: "Process reopened" },
    ],
  },

  ai: {
    promptAdditions:
      "This CRM belongs to a recruiting agency. A deal is the placement of one candidate in one client role; its amount is the agency's fee. Speak of candidates, clients and roles, not buyers and products. Never mention a candidate's salary expectations.",
    privateFields: ["contact.mobilePhone", "contact.phone", "opportunity.custom.expectedSalary"],
  },

  features: {
    aiAutoSummaries: true,
  },
});
