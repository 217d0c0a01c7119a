import type { FieldDecl } from "./field";

/*
 * Declarations several entities share. Each is a plain object, so an entity can spread and adjust one
 * (`{ ...phone, label: "Office phone" }`).
 */

/** Integrators' own ids; an import with an externalId updates instead of duplicating. */
export const externalId = {
  label: "External ID",
  type: "text",
  max: 200,
  min: 1,
  import: { label: "External ID (matches re-imports)", aliases: ["externalid", "id", "recordid", "crmid", "legacyid", "sourceid"] },
  ui: { detail: false },
  ai: false,
} satisfies FieldDecl;

export const owner = {
  label: "Owner",
  type: "user",
  target: "user",
  filter: { eq: true },
  import: {
    by: ["id", "email"],
    prefix: "owner",
    byLabels: { id: "Owner (user ID)", email: "Owner (e-mail)" },
    byAliases: { email: ["owner", "owneremail", "salesrep", "rep", "assignedto", "accountowner", "dealowner", "leadowner", "contactowner"] },
  },
  export: { by: ["email"] },
  ui: { list: true, detail: true },
  ai: false,
} satisfies FieldDecl;

export const email = {
  label: "E-mail",
  type: "email",
  import: { label: "Email", aliases: ["email", "e-mail", "mail", "emailaddress", "e-mailaddress", "workemail", "businessemail", "emailid"] },
  ui: { list: true, detail: true, quickCreate: true },
} satisfies FieldDecl;

export const phone = {
  label: "Phone",
  type: "phone",
  max: 50,
  import: { aliases: ["phone", "telephone", "tel", "phonenumber", "workphone", "businessphone", "officephone"] },
  ui: { detail: true },
} satisfies FieldDecl;

export const jobTitle = {
  label: "Title",
  type: "text",
  max: 200,
  import: { label: "Job title", aliases: ["title", "jobtitle", "position", "role", "designation"] },
  ui: { detail: true },
} satisfies FieldDecl;

export const description = {
  label: "Description",
  type: "long_text",
  max: 10_000,
  import: { aliases: ["description", "notes", "note", "comments", "comment", "about", "details"] },
  ui: { detail: true, wide: true },
} satisfies FieldDecl;

export const source = {
  label: "Source",
  type: "text",
  max: 120,
  import: { aliases: ["source", "leadsource", "channel", "origin"] },
  ui: { list: true, detail: true },
} satisfies FieldDecl;

export const currency = {
  label: "Currency",
  type: "text",
  currency: true,
  max: 3,
  import: { aliases: ["currency", "curr", "currencycode", "ccy"] },
  ui: { detail: true },
} satisfies FieldDecl;

/** People's names: `name` is sent ("Ada Lovelace") and split, or read (generated column); first/last are stored. */
export const personName = {
  name: {
    label: "Name",
    type: "text",
    max: 300,
    column: "name",
    notNull: true,
    description: "Full name; split into firstName/lastName when those are not given",
    import: { aliases: ["name", "fullname", "contactname", "leadname", "displayname", "contact", "lead", "person"] },
    export: false,
    ui: { list: true, quickCreate: true },
  },
  firstName: {
    label: "First name",
    type: "text",
    max: 150,
    sort: {},
    import: { aliases: ["firstname", "first", "givenname", "forename", "fname"] },
    ui: { detail: true },
  },
  lastName: {
    label: "Last name",
    type: "text",
    max: 150,
    sort: {},
    import: { aliases: ["lastname", "last", "surname", "familyname", "lname"] },
    ui: { detail: true },
  },
} satisfies Record<string, FieldDecl>;


export const accountRef = {
  label: "Account",
  type: "record_link",
  target: "account",
  filter: { eq: true },
  import: {
    by: ["id", "externalId", "name"],
    byLabels: { id: "Account (ID)", externalId: "Account (external ID)", name: "Account (name)" },
    byAliases: {
      externalId: ["accountexternalid", "accountid_external", "companyid"],
      name: ["accountname", "account", "company", "companyname", "organisation", "organization", "org", "employer", "customer", "client"],
    },
  },
  export: { by: ["externalId", "name"] },
  ui: { list: true, detail: true, quickCreate: true },
} satisfies FieldDecl;
