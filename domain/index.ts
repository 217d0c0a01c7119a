/*
 * The domain model: each record entity declared once. Everything else derives from these declarations —
 * zod contracts (domain/contracts.ts → the OpenAPI document), import specs and the wizard's mapping
 * (domain/import.ts), export columns, list sorts and filters (worker/services/records/entities.ts), the AI
 * context's rows and privacy defaults (domain/ai.ts), GET /api/meta (domain/meta.ts) and the SPA's lists,
 * detail pages and quick create. This file and the declarations import nothing but each other: the SPA
 * imports them without zod.
 */
import { account } from "./account";
import { contact } from "./contact";
import { lead } from "./lead";
import { opportunity } from "./opportunity";
import { ENTITY_KEYS, type EntityDecl, type EntityKey, type EntityPlural, type FieldDecl } from "./field";

export * from "./field";
export { account, contact, lead, opportunity };
export { leadStatuses } from "./lead";

export const domain = { account, contact, lead, opportunity } as const;
export type Domain = typeof domain;

const byPluralMap: Record<EntityPlural, EntityKey> = { accounts: "account", contacts: "contact", leads: "lead", opportunities: "opportunity" };
export const entityKeyOf = (plural: EntityPlural): EntityKey => byPluralMap[plural];

/** The declaration of an entity (by key or plural). Tests may register extra entities in `extraEntities`. */
export function entityDecl(k: EntityKey | EntityPlural): EntityDecl {
  return domain[(k in byPluralMap ? byPluralMap[k as EntityPlural] : k) as EntityKey] as unknown as EntityDecl;
}

export const allEntities = (): EntityDecl[] => ENTITY_KEYS.map((k) => entityDecl(k));

/** Fields in declaration order as [key, decl] pairs. */
export const fieldsOf = (e: EntityDecl): [string, FieldDecl][] => Object.entries(e.fields);
