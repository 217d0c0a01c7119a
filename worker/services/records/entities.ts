import { sql, type SQL } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import { accounts, activities, contacts, leads, opportunities, pipelineStages } from "../../../db/schema";
import { ValidationError } from "../../lib/errors";
import { domain, type EntityDecl, type FieldDecl } from "../../../domain";
import type { ListQuery } from "../../schemas/records";

export type EntityType = "account" | "contact" | "lead" | "opportunity" | "activity";
export type RefKind = "account" | "contact" | "lead" | "opportunity" | "user" | "stage";

type AnyTable = PgTable & Record<string, PgColumn>;

export interface EntityDef {
  type: EntityType;
  /** URL segment and audit entity name. */
  plural: string;
  label: string;
  table: AnyTable;
  /** Sortable columns: API name → column and the SQL cast for its cursor value. */
  sorts: Record<string, { col: PgColumn; cast: string }>;
  defaultSort: string;
  /** Extra filters beyond the shared ones (owner, created/updated ranges, q). */
  filters: (q: ListQuery) => SQL[];
  /** Free text `q`: expressions covered by trigram indexes. */
  search: (like: string) => SQL;
  /** Foreign ids the caller may set, checked to belong to the same workspace. */
  refs: Partial<Record<string, RefKind>>;
  /** Normalises a create/update body into column values. */
  prepare?: (input: Record<string, unknown>) => Record<string, unknown>;
}

const t = <T>(x: T) => x as unknown as AnyTable;
const ts = "::timestamptz";

/** "Ada Lovelace" → first "Ada", last "Lovelace"; explicit firstName/lastName win. */
function splitName(input: Record<string, unknown>): Record<string, unknown> {
  const { name, ...rest } = input;
  if (typeof name !== "string" || !name.trim() || rest.firstName !== undefined || rest.lastName !== undefined) return rest;
  const parts = name.trim().split(/\s+/);
  const lastName = parts.length > 1 ? parts.pop()! : null;
  return { ...rest, firstName: parts.join(" "), lastName };
}

const lowerLike = (expr: SQL, like: string) => sql`lower(${expr}) like ${like}`;

/** A filter value from a closed set, else 400 naming the parameter (an unknown value would silently match nothing). */
function oneOf<T extends string>(param: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ValidationError(`Unknown ${param} "${value}"`, [{ path: param, message: `one of ${allowed.join(", ")}` }], 400);
  }
  return value as T;
}

const CASTS: Partial<Record<FieldDecl["type"], string>> = { money: "::bigint", date: "::date", datetime: ts, number: "::numeric", percent: "::int", checkbox: "::boolean" };

/** Sortable columns declared in domain/ (plus created/updated, which every record has). */
function declaredSorts(decl: EntityDecl, table: AnyTable): EntityDef["sorts"] {
  const out: EntityDef["sorts"] = {};
  for (const [key, f] of Object.entries(decl.fields)) {
    if (f.sort && table[key]) out[key] = { col: table[key]!, cast: f.sort.cast ?? CASTS[f.type] ?? "::text" };
  }
  return { ...out, createdAt: { col: table.createdAt!, cast: ts }, updatedAt: { col: table.updatedAt!, cast: ts } };
}

/**
 * Filters declared in domain/: `?<key>=` equality (a select's value must be one of its options), and ranges under
 * the declared parameter names (`closeFrom`/`closeTo`, `amountMin`/`amountMax`). The owner filter is shared (list.ts).
 */
function declaredFilters(decl: EntityDecl, table: AnyTable): (q: ListQuery) => SQL[] {
  return (q) => {
    const f: SQL[] = [];
    const param = (name: string | undefined) => (name ? (q as Record<string, unknown>)[name] : undefined);
    for (const [key, d] of Object.entries(decl.fields)) {
      const col = table[key];
      if (!d.filter || !col || key === "ownerId") continue;
      const eq = d.filter.eq ? param(key) : undefined;
      if (typeof eq === "string" && eq) {
        const value = d.options ? oneOf(key, eq, d.options.map((o) => o.value)) : eq;
        f.push(sql`${col} = ${value}`);
      }
      for (const [p, op] of [[d.filter.from, ">="], [d.filter.min, ">="], [d.filter.to, "<="], [d.filter.max, "<="]] as const) {
        const v = param(p);
        if (v !== undefined && v !== "") f.push(sql`${col} ${sql.raw(op)} ${v}`);
      }
    }
    return f;
  };
}

const declared = (decl: EntityDecl, table: AnyTable) => ({ sorts: declaredSorts(decl, table), declaredFilters: declaredFilters(decl, table), defaultSort: decl.defaultSort });
const acc = declared(domain.account as unknown as EntityDecl, t(accounts));
const con = declared(domain.contact as unknown as EntityDecl, t(contacts));
const led = declared(domain.lead as unknown as EntityDecl, t(leads));
const opp = declared(domain.opportunity as unknown as EntityDecl, t(opportunities));

export const entities: Record<EntityType, EntityDef> = {
  account: {
    type: "account",
    plural: "accounts",
    label: "Account",
    table: t(accounts),
    sorts: acc.sorts,
    defaultSort: acc.defaultSort,
    filters: acc.declaredFilters,
    search: (like) => sql`(${lowerLike(sql`${accounts.name}`, like)} or lower(coalesce(${accounts.domain}, '')) like ${like})`,
    refs: { ownerId: "user" },
  },
  contact: {
    type: "contact",
    plural: "contacts",
    label: "Contact",
    table: t(contacts),
    sorts: con.sorts,
    defaultSort: con.defaultSort,
    filters: con.declaredFilters,
    search: (like) =>
      sql`(lower(coalesce(${contacts.firstName}, '') || ' ' || coalesce(${contacts.lastName}, '')) like ${like} or lower(${contacts.email}) like ${like})`,
    refs: { accountId: "account", ownerId: "user" },
    prepare: splitName,
  },
  lead: {
    type: "lead",
    plural: "leads",
    label: "Lead",
    table: t(leads),
    sorts: led.sorts,
    defaultSort: led.defaultSort,
    filters: led.declaredFilters,
    search: (like) =>
      sql`lower(coalesce(${leads.firstName}, '') || ' ' || coalesce(${leads.lastName}, '') || ' ' || coalesce(${leads.company}, '')) like ${like}`,
    refs: { ownerId: "user" },
    prepare: splitName,
  },
  opportunity: {
    type: "opportunity",
    plural: "opportunities",
    label: "Opportunity",
    table: t(opportunities),
    sorts: opp.sorts,
    defaultSort: opp.defaultSort,
    filters: (q) => {
      const f: SQL[] = opp.declaredFilters(q);
      if (q.pipelineId) f.push(sql`${opportunities.stageId} in (select ${pipelineStages.id} from ${pipelineStages} where ${pipelineStages.workspaceId} = ${opportunities.workspaceId} and ${pipelineStages.pipelineId} = ${q.pipelineId})`);
      // open / won / lost: the deal's stage kind, so "my open deals" survives renaming or adding stages.
      if (q.status) {
        const kind = oneOf("status", q.status, ["open", "won", "lost"] as const);
        f.push(sql`${opportunities.stageId} in (select ${pipelineStages.id} from ${pipelineStages} where ${pipelineStages.workspaceId} = ${opportunities.workspaceId} and ${pipelineStages.kind} = ${kind})`);
      }
      return f;
    },
    search: (like) => lowerLike(sql`${opportunities.name}`, like),
    refs: { accountId: "account", primaryContactId: "contact", ownerId: "user", stageId: "stage" },
  },
  activity: {
    type: "activity",
    plural: "activities",
    label: "Activity",
    table: t(activities),
    sorts: {
      happenedAt: { col: activities.happenedAt, cast: ts },
      dueAt: { col: activities.dueAt, cast: ts },
      createdAt: { col: activities.createdAt, cast: ts },
    },
    defaultSort: "-happenedAt",
    filters: (q) => {
      const f: SQL[] = [];
      if (q.type) f.push(sql`${activities.type} = ${q.type}`);
      for (const [key, col] of [["accountId", activities.accountId], ["contactId", activities.contactId], ["leadId", activities.leadId], ["opportunityId", activities.opportunityId]] as const) {
        if (q[key]) f.push(sql`${col} = ${q[key]}`);
      }
      if (q.open === "true") f.push(sql`${activities.completedAt} is null`);
      if (q.open === "false") f.push(sql`${activities.completedAt} is not null`);
      if (q.dueFrom) f.push(sql`${activities.dueAt} >= ${q.dueFrom}`);
      if (q.dueTo) f.push(sql`${activities.dueAt} <= ${q.dueTo}`);
      if (q.ai === "hide") f.push(sql`${activities.type} not like 'ai\\_%'`);
      if (q.ai === "latest") f.push(sql`not (${activities.type} = 'ai_summary' and ${activities.properties} ? 'supersededBy')`);
      return f;
    },
    search: (like) => sql`(lower(coalesce(${activities.subject}, '')) like ${like} or lower(coalesce(${activities.body}, '')) like ${like})`,
    refs: { accountId: "account", contactId: "contact", leadId: "lead", opportunityId: "opportunity", ownerId: "user" },
    prepare: (input) => {
      const { completed, direction, outcome, ...rest } = input;
      const out: Record<string, unknown> = { ...rest };
      // How a call or meeting went lives in properties, beside what integrations store there.
      if (direction !== undefined || outcome !== undefined) {
        out.properties = { ...(rest.properties as Record<string, unknown> | undefined), ...(direction !== undefined && { direction }), ...(outcome !== undefined && { outcome }) };
      }
      for (const k of ["happenedAt", "dueAt", "completedAt"]) if (typeof out[k] === "string") out[k] = new Date(out[k] as string);
      if (completed === true) out.completedAt = new Date();
      if (completed === false) out.completedAt = null;
      return out;
    },
  },
};

export const entityByPlural = Object.fromEntries(Object.values(entities).map((d) => [d.plural, d])) as Record<string, EntityDef>;
