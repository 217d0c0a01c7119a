import { currency, description, externalId, owner, phone } from "./common";
import { defineEntity } from "./field";

/** Companies you sell to. */
export const account = defineEntity({
  key: "account",
  plural: "accounts",
  label: "Account",
  labelPlural: "Accounts",
  table: "accounts",
  defaultSort: "name",
  requiredAnyOf: ["name"],
  matchKeys: ["externalId", "domain", "name"],
  fields: {
    externalId,
    name: {
      label: "Name",
      type: "text",
      required: true,
      max: 300,
      sort: {},
      import: { aliases: ["name", "fullname", "displayname", "accountname", "company", "companyname", "organisation", "organization", "account", "customer"] },
      ui: { list: true, detail: true, quickCreate: true, card: true },
    },
    domain: {
      label: "Domain",
      type: "text",
      max: 253,
      import: { aliases: ["domain", "domainname", "emaildomain"] },
      ui: { detail: true, quickCreate: true },
    },
    website: {
      label: "Website",
      type: "url",
      max: 500,
      import: { aliases: ["website", "web", "url", "homepage", "site"] },
      ui: { detail: true },
    },
    industry: {
      label: "Industry",
      type: "text",
      max: 120,
      import: { aliases: ["industry", "sector", "vertical"] },
      ui: { list: true, detail: true },
    },
    phone,
    employees: {
      label: "Employees",
      type: "number",
      min: 0,
      import: { aliases: ["employees", "employeecount", "numberofemployees", "headcount", "staff", "companysize"] },
      ui: { detail: true },
    },
    annualRevenue: {
      label: "Annual revenue",
      type: "money",
      import: { aliases: ["annualrevenue", "revenue", "arr", "turnover"] },
      ui: { detail: true },
    },
    currency,
    city: { label: "City", type: "text", max: 120, import: { aliases: ["city", "town", "locality"] }, ui: { list: true, detail: true } },
    country: { label: "Country", type: "text", max: 120, import: { aliases: ["country", "nation", "countrycode"] }, ui: { detail: true } },
    description,
    ownerId: owner,
  },
});
