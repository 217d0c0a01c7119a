import type { z } from "zod";
import { accountCreateSchema, contactCreateSchema, leadCreateSchema, opportunityCreateSchema } from "../../schemas/records";
import { importFields, type ImportEntity } from "../../schemas/import-export";
import { entities, type EntityDef } from "../records/entities";

/** How a cell becomes a value before the entity's create schema validates it. Unlisted fields are text. */
export type FieldKind = "int" | "amount" | "date" | "lowercase" | "relation";

/**
 * A relation field names another record; each group resolves to one foreign-key column. Within a group the first
 * field present in a row wins (an id, then an externalId, then a name).
 */
export type RelationGroup = "owner" | "account" | "stage" | "primaryContact";

export const relationOf: Record<string, { group: RelationGroup; by: "id" | "externalId" | "name" | "email" | "pipeline" }> = {
  ownerId: { group: "owner", by: "id" },
  ownerEmail: { group: "owner", by: "email" },
  accountId: { group: "account", by: "id" },
  accountExternalId: { group: "account", by: "externalId" },
  accountName: { group: "account", by: "name" },
  stageId: { group: "stage", by: "id" },
  stageName: { group: "stage", by: "name" },
  /** A pipeline's name or key: where stageName is looked up (default pipeline without it); alone, its first open stage. */
  pipeline: { group: "stage", by: "pipeline" },
  primaryContactId: { group: "primaryContact", by: "id" },
  primaryContactExternalId: { group: "primaryContact", by: "externalId" },
};

/** The API field each relation group fills (its column is the table's column of that name). */
export const groupField: Record<RelationGroup, string> = {
  owner: "ownerId",
  account: "accountId",
  stage: "stageId",
  primaryContact: "primaryContactId",
};

export interface ImportSpec {
  entity: ImportEntity;
  def: EntityDef;
  /** The same schema POST /api/<entity> validates with: imported data obeys the API's rules. */
  schema: z.ZodType;
  fields: readonly string[];
  kinds: Record<string, FieldKind>;
  /** The mapping must include at least one of these fields. */
  requiredAnyOf: string[];
  /**
   * NOT NULL columns with a default: an empty or unmapped cell means "the default" for a new record and "keep" for
   * an existing one (a blank stage must not move a deal).
   */
  keepWhenEmpty: string[];
}

const base = { ownerId: "relation", ownerEmail: "relation" } as const satisfies Record<string, FieldKind>;

export const importSpecs: Record<ImportEntity, ImportSpec> = {
  accounts: {
    entity: "accounts",
    def: entities.account,
    schema: accountCreateSchema,
    fields: importFields.accounts,
    kinds: { ...base, employees: "int", annualRevenue: "amount" },
    requiredAnyOf: ["name"],
    keepWhenEmpty: [],
  },
  contacts: {
    entity: "contacts",
    def: entities.contact,
    schema: contactCreateSchema,
    fields: importFields.contacts,
    kinds: { ...base, accountId: "relation", accountExternalId: "relation", accountName: "relation" },
    requiredAnyOf: ["name", "firstName", "lastName", "email"],
    keepWhenEmpty: [],
  },
  leads: {
    entity: "leads",
    def: entities.lead,
    schema: leadCreateSchema,
    fields: importFields.leads,
    kinds: { ...base, status: "lowercase" },
    requiredAnyOf: ["name", "firstName", "lastName", "email"],
    keepWhenEmpty: ["status"],
  },
  opportunities: {
    entity: "opportunities",
    def: entities.opportunity,
    schema: opportunityCreateSchema,
    fields: importFields.opportunities,
    kinds: {
      ...base,
      accountId: "relation",
      accountExternalId: "relation",
      accountName: "relation",
      stageId: "relation",
      stageName: "relation",
      pipeline: "relation",
      primaryContactId: "relation",
      primaryContactExternalId: "relation",
      amount: "amount",
      probability: "int",
      closeDate: "date",
    },
    requiredAnyOf: ["name"],
    keepWhenEmpty: ["currency", "stageId"],
  },
};

/** API fields a mapped field writes (contacts' and leads' `name` is stored as first and last name). */
export function writtenFields(spec: ImportSpec, field: string): string[] {
  const rel = relationOf[field];
  if (rel) return [groupField[rel.group]];
  if (field === "name" && (spec.entity === "contacts" || spec.entity === "leads")) return ["firstName", "lastName"];
  return [field];
}
