/**
 * This deployment's configuration: branding, pipelines, custom fields, reason codes, AI and feature switches.
 * Validated at `npm start`, at deploy and on the Worker's first request (one message lists every problem), and applied
 * to every workspace at start/deploy: what this file declares wins; what ADMINs add in Settings is kept.
 * CUSTOMIZING.md explains every section; examples/ holds two complete configurations
 * (`BESPOKE_CONFIG=examples/recruiting npm start`).
 * This default reproduces the product as shipped: one "Sales" pipeline and the stock reason codes.
 */
import { defineConfig } from "./worker/config-file/define";

export default defineConfig({
  branding: {
    name: "Bespoke CRM",
    accentColor: "#4f46e5",
  },

  pipelines: [
    {
      key: "sales",
      name: "Sales",
      default: true,
      stages: [
        { key: "prospecting", name: "Prospecting", probability: 10, kind: "open" },
        { key: "qualification", name: "Qualification", probability: 25, kind: "open" },
        { key: "proposal", name: "Proposal", probability: 50, kind: "open" },
        { key: "negotiation", name: "Negotiation", probability: 75, kind: "open" },
        { key: "closed_won", name: "Closed Won", probability: 100, kind: "won" },
        { key: "closed_lost", name: "Closed Lost", probability: 0, kind: "lost" },
      ],
    },
  ],

  customFields: {
    account: [],
    contact: [],
    lead: [],
    opportunity: [],
  },

  reasonCodes: {
    open: [
      { value: "progressed", label: "Buyer progressed" },
      { value: "requirements_confirmed", label: "Requirements confirmed" },
      { value: "stalled", label: "Stalled / moved back" },
      { value: "reassessed", label: "Reassessed" },
      { value: "data_correction", label: "Data correction" },
    ],
    won: [
      { value: "price", label: "Price / value" },
      { value: "product_fit", label: "Product fit" },
      { value: "relationship", label: "Relationship" },
      { value: "timing", label: "Timing" },
    ],
    lost: [
      { value: "price", label: "Price" },
      { value: "competitor", label: "Went with a competitor" },
      { value: "no_budget", label: "No budget" },
      { value: "no_decision", label: "No decision" },
      { value: "product_fit", label: "Product fit" },
      { value: "timing", label: "Timing" },
    ],
  },

  ai: {
    promptAdditions: "",
    privateFields: ["contact.mobilePhone", "contact.phone"],
  },

  features: {
    aiAutoSummaries: true,
  },
});
