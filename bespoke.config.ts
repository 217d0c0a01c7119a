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

  // Built-in automation rules (Settings → Automations shows them; an ADMIN may edit or pause them there — the file
  // rewrites a rule only when its declaration here changes). Stages are named by their keys above.
  automations: [
    {
      key: "follow_up_qualification",
      name: "Follow-up task: deal entered Qualification",
      trigger: { type: "stage_entered", stages: ["qualification"] },
      actions: [{ type: "create_task", title: "Qualify {{record.name}}: budget, authority, need, timing", assignee: "owner", dueIn: { amount: 3, unit: "days" } }],
    },
    {
      key: "follow_up_proposal",
      name: "Follow-up task: deal entered Proposal",
      trigger: { type: "stage_entered", stages: ["proposal"] },
      actions: [{ type: "create_task", title: "Send the proposal for {{record.name}}", assignee: "owner", dueIn: { amount: 2, unit: "days" } }],
    },
    {
      key: "follow_up_negotiation",
      name: "Follow-up task: deal entered Negotiation",
      trigger: { type: "stage_entered", stages: ["negotiation"] },
      actions: [{ type: "create_task", title: "Agree terms and next steps for {{record.name}}", assignee: "owner", dueIn: { amount: 2, unit: "days" } }],
    },
    {
      key: "rotting_alert",
      name: "Rotting alert to the owner",
      description: "A deal sat in its stage longer than the stage's aging days (stages without aging days never rot).",
      trigger: { type: "deal_aging" },
      actions: [{ type: "notify", to: ["owner"], title: "{{record.name}} is rotting in its stage", body: "No stage change for longer than this stage allows. Move it, or close it." }],
    },
    {
      key: "close_date_passed",
      name: "Reminder: close date passed",
      trigger: { type: "close_date_passed" },
      actions: [
        { type: "notify", to: ["owner"], title: "The close date of {{record.name}} has passed", body: "Expected to close on {{record.closeDate}}." },
        { type: "create_task", title: "Update the close date of {{record.name}} or close it", assignee: "owner", dueIn: { amount: 1, unit: "days" } },
      ],
    },
  ],

  ai: {
    promptAdditions: "",
    privateFields: ["contact.mobilePhone", "contact.phone"],
  },

  features: {
    aiAutoSummaries: true,
  },
});
