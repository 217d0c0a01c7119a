/**
 * Example: the renewals desk of a B2B SaaS company. Deals are contract renewals (default pipeline) and expansion
 * opportunities (seats, add-ons) on existing customers. Start with it: `BESPOKE_CONFIG=examples/saas-renewals npm start`.
 */
import { defineConfig } from "../../worker/config-file/define";

export default defineConfig({
  branding: {
    name: "RenewalDesk",
    accentColor: "#b45309",
  },

  pipelines: [
    {
      key: "renewals",
      name: "Renewals",
      default: true,
      stages: [
        { key: "upcoming", name: "Upcoming (90 days)", probability: 70, kind: "open", agingDays: 30 },
        { key: "health_check", name: "Health check", probability: 70, kind: "open", agingDays: 14 },
        { key: "negotiating", name: "Negotiating", probability: 60, kind: "open", agingDays: 21 },
        { key: "committed", name: "Verbally committed", probability: 90, kind: "open", agingDays: 10 },
        { key: "renewed", name: "Renewed", probability: 100, kind: "won" },
        { key: "churned", name: "Churned", probability: 0, kind: "lost" },
      ],
    },
    {
      key: "expansion",
      name: "Expansion",
      stages: [
        { key: "identified", name: "Identified", probability: 10, kind: "open" },
        { key: "qualified", name: "Qualified", probability: 30, kind: "open", agingDays: 21 },
        { key: "proposal", name: "Proposal", probability: 60, kind: "open", agingDays: 14 },
        { key: "won", name: "Expanded", probability: 100, kind: "won" },
        { key: "lost", name: "Not now", probability: 0, kind: "lost" },
      ],
    },
  ],

  customFields: {
    opportunity: [
      { key: "arr", label: "ARR", type: "money", currency: "USD", showOnCard: true, filterable: true, helpText: "Annual recurring revenue of the contract, in cents." },
      { key: "renewalDate", label: "Renewal date", type: "date", showOnCard: true, showInQuickCreate: true, filterable: true },
      {
        key: "health",
        label: "Health",
        type: "single_select",
        options: [
          { value: "green", label: "Healthy", color: "#16a34a" },
          { value: "amber", label: "At risk", color: "#f59e0b" },
          { value: "red", label: "Critical", color: "#dc2626" },
        ],
        default: "green",
        showOnCard: true,
        filterable: true,
      },
      { key: "seats", label: "Seats", type: "number" },
      {
        key: "term",
        label: "Contract term",
        type: "single_select",
        options: [
          { value: "monthly", label: "Monthly" },
          { value: "annual", label: "Annual" },
          { value: "multi_year", label: "Multi-year" },
        ],
        default: "annual",
      },
      { key: "autoRenew", label: "Auto-renews", type: "checkbox", default: false },
    ],
    account: [
      {
        key: "plan",
        label: "Plan",
        type: "single_select",
        options: [
          { value: "starter", label: "Starter" },
          { value: "growth", label: "Growth" },
          { value: "enterprise", label: "Enterprise" },
        ],
        filterable: true,
      },
      { key: "csm", label: "Customer success manager", type: "user" },
      { key: "nps", label: "Last NPS", type: "number" },
    ],
    contact: [{ key: "champion", label: "Champion", type: "checkbox", default: false }],
    lead: [],
  },

  reasonCodes: {
    won: [
      { value: "on_time", label: "Renewed on time" },
      { value: "upsell", label: "Renewed with an upsell" },
      { value: "multi_year", label: "Moved to a multi-year term" },
    ],
    lost: [
      { value: "budget_cut", label: "Budget cut" },
      { value: "competitor", label: "Switched to a competitor" },
      { value: "low_usage", label: "Low usage / no value seen" },
      { value: "company_closed", label: "Company closed or acquired" },
      { value: "support", label: "Unhappy with support" },
    ],
    open: [{ value: "slipped", label: "Renewal date slipped" }],
  },

  ai: {
    promptAdditions:
      "This CRM is a SaaS renewals desk. Deals are renewals or expansions of existing contracts; stress usage, health, the renewal date and the champion's engagement. Say ARR, not deal size.",
    privateFields: ["contact.mobilePhone", "contact.phone"],
  },

  features: {
    aiAutoSummaries: true,
  },
});
