import { accountRef, currency, description, externalId, owner, source } from "./common";
import { defineEntity } from "./field";

/** Deals: an amount, a stage of a pipeline, a close date. */
export const opportunity = defineEntity({
  key: "opportunity",
  plural: "opportunities",
  label: "Opportunity",
  labelPlural: "Opportunities",
  table: "opportunities",
  defaultSort: "-updatedAt",
  requiredAnyOf: ["name"],
  matchKeys: ["externalId"],
  fields: {
    externalId,
    name: {
      label: "Name",
      type: "text",
      required: true,
      max: 300,
      sort: {},
      import: { aliases: ["name", "fullname", "displayname", "opportunity", "opportunityname", "deal", "dealname", "dealtitle", "title"] },
      ui: { list: true, detail: true, quickCreate: true, card: true },
    },
    accountId: accountRef,
    // A deal's pipeline is its stage's (no column): answered in every payload, chosen on create (contracts.ts extras).
    pipelineId: { label: "Pipeline", type: "record_link", column: null, readOnly: true, notNull: true, import: false, export: false, ui: {}, ai: false },
    stageId: {
      label: "Stage",
      type: "record_link",
      target: "stage",
      notNull: true,
      description: "Defaults to the first open stage of the pipeline",
      filter: { eq: true },
      import: {
        by: ["pipeline", "id", "name"],
        keepWhenEmpty: true,
        byLabels: { pipeline: "Pipeline (name or key)", id: "Stage (ID)", name: "Stage" },
        byAliases: {
          pipeline: ["pipeline", "pipelinename", "pipelinekey", "salespipeline", "dealpipeline"],
          name: ["stage", "stagename", "dealstage", "salesstage", "pipelinestage", "opportunitystage"],
        },
      },
      export: { by: ["pipeline", "name"] },
      ui: { list: true, quickCreate: true, card: true },
      ai: false,
    },
    amount: {
      label: "Amount",
      type: "money",
      description: "Integer minor units (cents)",
      sort: { cast: "::bigint" },
      filter: { min: "amountMin", max: "amountMax" },
      import: { aliases: ["amount", "value", "dealvalue", "dealamount", "dealsize", "size", "opportunityamount", "price", "total"] },
      ui: { list: true, detail: true, quickCreate: true, card: true },
    },
    // Shown with the amount (its label and format), not as a field of its own.
    currency: { ...currency, notNull: true, filter: { eq: true }, ui: {} },
    probability: {
      label: "Probability (%)",
      type: "percent",
      min: 0,
      max: 100,
      description: "Per-deal override; null = the stage's",
      import: { aliases: ["probability", "prob", "winprobability", "likelihood", "chance"] },
      ui: { detail: true },
    },
    closeDate: {
      label: "Close date",
      type: "date",
      sort: { cast: "::date" },
      filter: { from: "closeFrom", to: "closeTo" },
      import: { aliases: ["closedate", "close", "expectedclose", "expectedclosedate", "closingdate", "closedon", "expectedclosingdate"] },
      ui: { list: true, detail: true, quickCreate: true, card: true },
    },
    primaryContactId: {
      label: "Primary contact",
      type: "record_link",
      target: "contact",
      import: {
        by: ["id", "externalId"],
        byLabels: { id: "Primary contact (ID)", externalId: "Primary contact (external ID)" },
      },
      export: { by: ["externalId"] },
      // Chosen in the people panel of the deal, not as a field.
      ui: {},
    },
    nextStep: {
      label: "Next step",
      type: "text",
      max: 500,
      import: { aliases: ["nextstep", "nextsteps", "nextaction"] },
      ui: { detail: true, card: true },
    },
    source: { ...source, ui: { detail: true } },
    description,
    ownerId: owner,
    closedAt: { label: "Closed at", type: "datetime", readOnly: true, import: false, export: false },
    position: { label: "Position", type: "number", decimal: true, readOnly: true, updateOnly: true, notNull: true, description: "Kanban position within the stage", import: false, export: false, ai: false },
    stageEnteredAt: { label: "In stage since", type: "datetime", readOnly: true, notNull: true, import: false, export: false },
    // Written by the nightly scoring (worker/services/insights/score-open-deals.ts), never by a user.
    winScore: { label: "Win score", type: "percent", min: 0, max: 100, sort: {}, readOnly: true, description: "Calibrated win probability (0–100) from the workspace's own history; null until scored", import: false, export: false, ai: false, ui: { list: true } },
    version: { label: "Version", type: "number", min: 1, readOnly: true, updateOnly: true, notNull: true, description: "The version you edited; or send If-Match", import: false, export: false, ai: false },
  },
});
