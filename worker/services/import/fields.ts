import type { z } from "zod";
import { domain, type EntityDecl } from "../../../domain";
import { contractsOf } from "../../../domain/contracts";
import { IMPORT_ENTITIES, importFieldsOf, type ImportKind } from "../../../domain/import";
import type { ImportEntity } from "../../schemas/import-export";
import { entities, type EntityDef } from "../records/entities";

/** How a cell becomes a value before the entity's create schema validates it. Unlisted fields are text. */
export type FieldKind = ImportKind;

/**
 * A relation field names another record; each group resolves to one foreign-key column. Within a group the first
 * field present in a row wins (an id, then an externalId, then a name).
 */
export type RelationGroup = "owner" | "account" | "stage" | "primaryContact";

/** Every import field naming another record (ownerEmail, accountName…), derived from the references declared in domain/. */
export const relationOf: Record<string, { group: RelationGroup; by: "id" | "externalId" | "name" | "email" | "pipeline" }> = {};
/** The API field each relation group fills (its column is the table's column of that name). */
export const groupField = {} as Record<RelationGroup, string>;
for (const p of IMPORT_ENTITIES) {
  for (const f of importFieldsOf(p)) {
    if (!f.relation) continue;
    const group = f.relation.field.replace(/Id$/, "") as RelationGroup;
    relationOf[f.name] = { group, by: f.relation.by };
    groupField[group] = f.relation.field;
  }
}

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

const defs = { accounts: "account", contacts: "contact", leads: "lead", opportunities: "opportunity" } as const;

function specOf(entity: ImportEntity): ImportSpec {
  const decl = domain[defs[entity]] as unknown as EntityDecl;
  const fields = importFieldsOf(entity);
  return {
    entity,
    def: entities[defs[entity]],
    // Built on first use (zod schemas are not built at module scope).
    get schema() {
      return contractsOf(decl).create;
    },
    fields: fields.map((f) => f.name),
    kinds: Object.fromEntries(fields.filter((f) => f.kind).map((f) => [f.name, f.kind!])),
    requiredAnyOf: [...decl.requiredAnyOf],
    keepWhenEmpty: [...new Set(fields.filter((f) => f.keepWhenEmpty).map((f) => f.field))],
  };
}

/** Per entity: everything the import needs, derived from the entity's declaration in domain/. */
export const importSpecs: Record<ImportEntity, ImportSpec> = {
  accounts: specOf("accounts"),
  contacts: specOf("contacts"),
  leads: specOf("leads"),
  opportunities: specOf("opportunities"),
};

/** API fields a mapped field writes (contacts' and leads' `name` is stored as first and last name). */
export function writtenFields(spec: ImportSpec, field: string): string[] {
  const rel = relationOf[field];
  if (rel) return [groupField[rel.group]];
  if (field === "name" && (spec.entity === "contacts" || spec.entity === "leads")) return ["firstName", "lastName"];
  return [field];
}
