import { and, asc, eq, isNull, or, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { activities, auditLog, contacts, leads, opportunities, opportunityContacts, users } from "../../db/schema";
import { domain } from "../../domain";
import { aiValues, declaredPrivateFields } from "../../domain/ai";
import { NotFoundError } from "../lib/errors";
import { isUuid } from "../lib/uuid";
import type { AiTargetType } from "../schemas/ai";
import { listCustomFields, type CustomFieldEntity } from "../services/custom-fields/registry";
import { readableCustomValue } from "../services/custom-fields/ai-context";
import {
  accountQuery, ACTIVITY_LIMIT, customOf, activityQuery, byPrimaryThenName, contactQuery, contactRows, dealQuery, iso, mergeActivities, normsOf,
  stagesQuery, toAccount, toContact, toDeal, toStage,
} from "./context-queries";
import { applyPrivacy } from "./context-privacy";
import type { AiContext, PrivateField } from "./context-types";
import { dealSignals } from "./signals";
import { stageNormsOf, storedNormsQuery } from "./stage-norms";

/*
 * The AI context of a record: what a provider may know, each item with its id so every claim can cite it. Split by
 * job: context-types.ts (the shape), context-queries.ts (SQL and row mappers, fields derived from domain/),
 * context-privacy.ts (private fields removed and scrubbed), context-sources.ts (citable ids, the prompt's JSON).
 */
export type * from "./context-types";
export { applyPrivacy } from "./context-privacy";
export { contextContacts, contextForPrompt, contextSources } from "./context-sources";

/** Builds the context for one record of the caller's workspace; another workspace's id is a 404. */
export async function buildContext(input: {
  db: Database;
  workspaceId: string;
  target: { type: AiTargetType; id: string };
  privateFields: PrivateField[];
  now?: Date;
  /** Also load this contact (an e-mail recipient outside the deal's committee). */
  extraContactId?: string;
}): Promise<AiContext> {
  const { db, workspaceId, target } = input;
  const now = input.now ?? new Date();
  const ctx: AiContext = {
    now: now.toISOString(),
    target: { type: target.type, id: target.id, name: "" },
    opportunity: null,
    account: null,
    contact: null,
    lead: null,
    contacts: [],
    opportunities: [],
    activities: [],
    changes: [],
    stages: [],
    stageNorms: [],
    signals: [],
  };
  if (!isUuid(target.id)) throw new NotFoundError(label(target.type));
  switch (target.type) {
    case "opportunity":
      await opportunityContext(db, workspaceId, target.id, ctx);
      break;
    case "account":
      await accountContext(db, workspaceId, target.id, ctx);
      break;
    case "contact":
      await contactContext(db, workspaceId, target.id, ctx);
      break;
    case "lead":
      await leadContext(db, workspaceId, target.id, ctx);
      break;
  }
  if (input.extraContactId && !ctx.contacts.some((c) => c.id === input.extraContactId) && ctx.contact?.id !== input.extraContactId) {
    const [extra] = await contactRows(db, workspaceId, and(eq(contacts.id, input.extraContactId))!);
    if (!extra) throw new NotFoundError("Contact");
    ctx.contacts.push(extra);
  }
  if (ctx.opportunity) ctx.signals = dealSignals(ctx);
  applyPrivacy(ctx, [...declaredPrivateFields(), ...(await customPrivacy(db, workspaceId, ctx)), ...input.privateFields]);
  return ctx;
}

/**
 * Custom values in the context: only keys of live registry fields stay (a deleted field's value is not shown), select
 * values read as their option labels and money with its currency, and fields whose settings say `aiPrivate` become
 * private fields like configured ones. No query without custom values.
 */
async function customPrivacy(db: Database, ws: string, ctx: AiContext): Promise<PrivateField[]> {
  const holders: [CustomFieldEntity, { custom?: Record<string, unknown> } | null][] = [
    ["opportunity", ctx.opportunity],
    ["account", ctx.account],
    ["contact", ctx.contact],
    ["lead", ctx.lead],
    ...ctx.contacts.map((c) => ["contact", c] as [CustomFieldEntity, { custom?: Record<string, unknown> }]),
  ];
  if (!holders.some(([, r]) => r?.custom)) return [];
  const fields = await listCustomFields(db.http, ws);
  const live = new Map(fields.map((f) => [`${f.entity}.${f.key}`, f]));
  for (const [entity, r] of holders) {
    if (!r?.custom) continue;
    for (const key of Object.keys(r.custom)) {
      const f = live.get(`${entity}.${key}`);
      if (!f) delete r.custom[key];
      else r.custom[key] = readableCustomValue(f, r.custom[key]);
    }
  }
  return fields.filter((f) => (f.settings as Record<string, unknown> | null)?.aiPrivate === true).map((f) => ({ entity: f.entity, field: `custom.${f.key}`, type: f.type }));
}

function label(type: AiTargetType): string {
  return type === "opportunity" ? "Opportunity" : type[0]!.toUpperCase() + type.slice(1);
}

// ---------- per target type ----------

async function opportunityContext(db: Database, ws: string, id: string, ctx: AiContext) {
  const x = db.http;
  const [opp] = await x
    .select({ o: opportunities, ownerName: users.name })
    .from(opportunities)
    .leftJoin(users, eq(users.id, opportunities.ownerId))
    .where(and(eq(opportunities.id, id), eq(opportunities.workspaceId, ws), isNull(opportunities.deletedAt)));
  if (!opp) throw new NotFoundError("Opportunity");
  const o = opp.o;
  // The deal's people: its primary contact and its buying committee, by id. (An `id = primary OR linked` filter over
  // the joined link table cannot use an index: it scanned all 1M contacts, 2.8 s.)
  const onDeal = sql`${contacts.id} in (select oc.contact_id from opportunity_contacts oc where oc.opportunity_id = ${id}
    union all select ${o.primaryContactId}::uuid)`;
  const [stages, storedNorms, account, people, recent, tasks, moves, changes] = await x.batch([
    stagesQuery(db, ws, o.stageId),
    storedNormsQuery(x, ws),
    accountQuery(db, ws, o.accountId),
    contactQuery(db, ws, onDeal, id),
    activityQuery(db, ws, eq(activities.opportunityId, id)).limit(ACTIVITY_LIMIT),
    activityQuery(db, ws, and(eq(activities.opportunityId, id), eq(activities.type, "task"), isNull(activities.completedAt))!).limit(20),
    activityQuery(db, ws, and(eq(activities.opportunityId, id), eq(activities.type, "stage_change"))!).limit(30),
    x
      .select({ id: auditLog.id, changes: auditLog.changes, at: auditLog.at, actor: users.name })
      .from(auditLog)
      .leftJoin(users, eq(users.id, auditLog.actorId))
      .where(and(eq(auditLog.workspaceId, ws), eq(auditLog.entityType, "opportunity"), eq(auditLog.entityId, id), sql`${auditLog.changes} -> 'closeDate' is not null`, sql`${auditLog.action} <> 'create'`))
      .orderBy(asc(auditLog.at), asc(auditLog.id))
      .limit(20),
  ]);
  ctx.stages = stages.map(toStage);
  const stage = ctx.stages.find((s) => s.id === o.stageId) ?? { id: o.stageId, name: "Unknown stage", kind: "open" as const, probability: 0, position: 0 };
  ctx.stageNorms = normsOf(await stageNormsOf(x, ws, storedNorms), ctx.stages);
  ctx.opportunity = {
    ...aiValues(domain.opportunity, o),
    id: o.id,
    name: o.name,
    probability: o.probability ?? stage.probability,
    stage,
    stageEnteredAt: iso(o.stageEnteredAt)!,
    createdAt: iso(o.createdAt)!,
    owner: o.ownerId && opp.ownerName ? { id: o.ownerId, name: opp.ownerName } : null,
    accountId: o.accountId,
    primaryContactId: o.primaryContactId,
    ...customOf(o),
  };
  ctx.target.name = o.name;
  ctx.account = account[0] ? toAccount(account[0]) : null;
  ctx.contacts = people.map((p) => toContact(p, o.primaryContactId)).sort(byPrimaryThenName);
  ctx.activities = mergeActivities(recent, tasks, moves);
  ctx.changes = changes.map((c) => {
    const ch = (c.changes as Record<string, { from: unknown; to: unknown }>).closeDate!;
    return { id: c.id, field: "closeDate" as const, from: (ch.from as string | null) ?? null, to: (ch.to as string | null) ?? null, at: iso(c.at)!, actor: c.actor };
  });
}

async function accountContext(db: Database, ws: string, id: string, ctx: AiContext) {
  const x = db.http;
  const [acct] = await accountQuery(db, ws, id);
  if (!acct) throw new NotFoundError("Account");
  ctx.account = toAccount(acct);
  ctx.target.name = acct.a.name;
  const inAccount = or(
    eq(activities.accountId, id),
    sql`${activities.contactId} in (select c.id from contacts c where c.account_id = ${id} and c.workspace_id = ${ws})`,
    sql`${activities.opportunityId} in (select o.id from opportunities o where o.account_id = ${id} and o.workspace_id = ${ws})`,
  )!;
  const [stages, people, deals, recent, tasks] = await x.batch([
    stagesQuery(db, ws),
    contactQuery(db, ws, eq(contacts.accountId, id)),
    dealQuery(db, ws, and(eq(opportunities.accountId, id))!),
    activityQuery(db, ws, inAccount).limit(ACTIVITY_LIMIT),
    activityQuery(db, ws, and(inAccount, eq(activities.type, "task"), isNull(activities.completedAt))!).limit(20),
  ]);
  ctx.stages = stages.map(toStage);
  ctx.contacts = people.map((p) => toContact(p, null)).sort(byPrimaryThenName).slice(0, 50);
  ctx.opportunities = deals.map(toDeal);
  ctx.activities = mergeActivities(recent, tasks);
}

async function contactContext(db: Database, ws: string, id: string, ctx: AiContext) {
  const x = db.http;
  const [person] = await contactRows(db, ws, eq(contacts.id, id));
  if (!person) throw new NotFoundError("Contact");
  ctx.contact = person;
  ctx.target.name = person.name;
  const involved = or(
    eq(opportunities.primaryContactId, id),
    sql`${opportunities.id} in (select oc.opportunity_id from opportunity_contacts oc where oc.contact_id = ${id})`,
  )!;
  const [stages, account, deals, roles, recent, tasks] = await x.batch([
    stagesQuery(db, ws),
    accountQuery(db, ws, person.accountId),
    dealQuery(db, ws, involved),
    x.select({ opportunityId: opportunityContacts.opportunityId, role: opportunityContacts.role }).from(opportunityContacts).where(eq(opportunityContacts.contactId, id)),
    activityQuery(db, ws, eq(activities.contactId, id)).limit(ACTIVITY_LIMIT),
    activityQuery(db, ws, and(eq(activities.contactId, id), eq(activities.type, "task"), isNull(activities.completedAt))!).limit(20),
  ]);
  ctx.stages = stages.map(toStage);
  ctx.account = account[0] ? toAccount(account[0]) : null;
  const roleOf = new Map(roles.map((r) => [r.opportunityId, r.role]));
  ctx.opportunities = deals.map((d) => ({ ...toDeal(d), role: roleOf.get(d.id) ?? (d.primaryContactId === id ? "Primary contact" : null) }));
  ctx.activities = mergeActivities(recent, tasks);
}

async function leadContext(db: Database, ws: string, id: string, ctx: AiContext) {
  const x = db.http;
  const [row] = await x
    .select({ l: leads, ownerName: users.name })
    .from(leads)
    .leftJoin(users, eq(users.id, leads.ownerId))
    .where(and(eq(leads.id, id), eq(leads.workspaceId, ws), isNull(leads.deletedAt)));
  if (!row) throw new NotFoundError("Lead");
  const l = row.l;
  ctx.lead = {
    ...aiValues(domain.lead, l),
    id: l.id,
    name: l.name ?? "",
    status: l.status,
    createdAt: iso(l.createdAt)!,
    ...customOf(l),
    owner: l.ownerId && row.ownerName ? { id: l.ownerId, name: row.ownerName } : null,
  };
  ctx.target.name = ctx.lead.name || l.email || "Lead";
  const [recent, tasks] = await x.batch([
    activityQuery(db, ws, eq(activities.leadId, id)).limit(ACTIVITY_LIMIT),
    activityQuery(db, ws, and(eq(activities.leadId, id), eq(activities.type, "task"), isNull(activities.completedAt))!).limit(20),
  ]);
  ctx.activities = mergeActivities(recent, tasks);
}
