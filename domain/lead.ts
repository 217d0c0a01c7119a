import { description, email, externalId, jobTitle, owner, personName, phone, source } from "./common";
import { defineEntity } from "./field";

export const leadStatuses = ["new", "contacted", "qualified", "unqualified", "converted"] as const;

/** People who may become customers; converting one makes an account, a contact and maybe a deal. */
export const lead = defineEntity({
  key: "lead",
  plural: "leads",
  label: "Lead",
  labelPlural: "Leads",
  table: "leads",
  defaultSort: "-createdAt",
  requiredAnyOf: ["name", "firstName", "lastName", "email"],
  matchKeys: ["externalId", "email"],
  nameOrEmail: true,
  fields: {
    externalId,
    ...personName,
    email: { ...email, ui: { detail: true, quickCreate: true } },
    phone,
    title: jobTitle,
    company: {
      label: "Company",
      type: "text",
      max: 300,
      sort: {},
      import: { aliases: ["company", "companyname", "organisation", "organization", "org", "account", "accountname", "employer"] },
      ui: { list: true, detail: true, quickCreate: true },
    },
    status: {
      label: "Status",
      type: "single_select",
      notNull: true,
      options: [
        { value: "new", label: "New", color: "#2563eb" },
        { value: "contacted", label: "Contacted", color: "#64748b" },
        { value: "qualified", label: "Qualified", color: "#16a34a" },
        { value: "unqualified", label: "Unqualified", color: "#dc2626" },
        { value: "converted", label: "Converted", color: "#16a34a" },
      ] as const,
      // "converted" is set by the conversion, never written directly.
      inputOptions: ["new", "contacted", "qualified", "unqualified"] as const,
      sort: { cast: "::lead_status" },
      filter: { eq: true },
      import: { aliases: ["status", "leadstatus"], keepWhenEmpty: true },
      ui: { list: true, detail: true },
    },
    source,
    description,
    ownerId: owner,
    convertedAt: { label: "Converted at", type: "datetime", readOnly: true, import: false, export: false, ai: false },
    convertedAccountId: { label: "Converted account", type: "record_link", target: "account", readOnly: true, import: false, export: false, ai: false },
    convertedContactId: { label: "Converted contact", type: "record_link", target: "contact", readOnly: true, import: false, export: false, ai: false },
    convertedOpportunityId: { label: "Converted opportunity", type: "record_link", target: "opportunity", readOnly: true, import: false, export: false, ai: false },
  },
});
