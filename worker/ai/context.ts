import { and, asc, desc, eq, isNull, notLike, or, sql, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client";
import { accounts, activities, auditLog, contacts, leads, opportunities, opportunityContacts, pipelineStages, users } from "../../db/schema";
import { NotFoundError } from "../lib/errors";
import type { AiSource, AiTargetType, DealSignal } from "../schemas/ai";
import { dealSignals } from "./signals";
import { stageNormsOf, storedNormsQuery, type StageNormRow } from "./stage-norms";
import { isUuid } from "../lib/uuid";

/**
 * Everything a provider may know about a record: the record, its related records and its recent activities, each
 * with its id so every claim can cite it. Fields marked private in configuration are removed here (and their values
 * scrubbed from free text), so neither provider ever sees them.
 */
export interface AiContext {
  /** The moment "N days ago" is measured from; part of the input, so the offline engine stays deterministic. */
  now: string;
  target: { type: AiTargetType; id: string; name: string };
  opportunity: CtxOpportunity | null;
  account: CtxAccount | null;
  /** The target contact (contact summaries and e-mails to a contact). */
  contact: CtxContact | null;
  lead: CtxLead | null;
  /** People involved: the deal's buying committee, the account's contacts. */
  contacts: CtxContact[];
  /** Deals of the target account or contact. */
  opportunities: CtxDeal[];
  /** Newest first; tasks and stage changes included, AI outputs excluded (AI never cites AI). */
  activities: CtxActivity[];
  /** Close-date edits from the audit trail, oldest first. */
  changes: CtxChange[];
  stages: CtxStage[];
  /** Median days deals in this workspace spent in each stage before moving on (from stage-change history). */
  stageNorms: CtxStageNorm[];
  signals: DealSignal[];
}

export interface CtxUser { id: string; name: string }
export interface CtxStage { id: string; name: string; kind: "open" | "won" | "lost"; probability: number; position: number }
export interface CtxStageNorm { stageId: string; stageName: string; medianDays: number; samples: number }
export interface CtxOpportunity {
  id: string;
  name: string;
  amount?: number | null;
  currency?: string;
  probability: number;
  stage: CtxStage;
  closeDate?: string | null;
  closedAt?: string | null;
  stageEnteredAt: string;
  createdAt: string;
  nextStep?: string | null;
  source?: string | null;
  description?: string | null;
  owner: CtxUser | null;
  accountId: string | null;
  primaryContactId: string | null;
}
export interface CtxDeal {
  id: string;
  name: string;
  amount?: number | null;
  currency?: string;
  stage: string;
  stageKind: "open" | "won" | "lost";
  probability: number;
  closeDate?: string | null;
  closedAt?: string | null;
  nextStep?: string | null;
  primaryContactId: string | null;
  /** The target contact's role on this deal (contact context only). */
  role?: string | null;
}
export interface CtxAccount {
  id: string;
  name: string;
  domain?: string | null;
  website?: string | null;
  industry?: string | null;
  phone?: string | null;
  employees?: number | null;
  annualRevenue?: number | null;
  currency?: string | null;
  city?: string | null;
  country?: string | null;
  description?: string | null;
  owner: CtxUser | null;
}
export interface CtxContact {
  id: string;
  name: string;
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  phone?: string | null;
  mobilePhone?: string | null;
  title?: string | null;
  accountId: string | null;
  accountName?: string | null;
  /** Role on the deal (Champion, Economic buyer…), when in a deal context. */
  role: string | null;
  isPrimary: boolean;
  /** Latest call, e-mail, meeting or note linked to this contact, on any record. */
  lastActivityAt: string | null;
}
export interface CtxLead {
  id: string;
  name: string;
  firstName?: string | null;
  lastName?: string | null;
  company?: string | null;
  email?: string | null;
  phone?: string | null;
  title?: string | null;
  status: string;
  source?: string | null;
  description?: string | null;
  createdAt: string;
  owner: CtxUser | null;
}
export interface CtxActivity {
  id: string;
  type: string;
  subject?: string | null;
  body?: string | null;
  /** inbound / outbound, from properties.direction. */
  direction: string | null;
  happenedAt: string;
  dueAt?: string | null;
  completedAt?: string | null;
  actor: string | null;
  contactId: string | null;
  opportunityId: string | null;
  /** Stage changes: from → to and the reason given. */
  stageChange?: { fromStageId: string | null; fromStage: string | null; toStageId: string | null; toStage: string | null; reason: string | null };
}
export interface CtxChange { id: string; field: "closeDate"; from: string | null; to: string | null; at: string; actor: string | null }

export type PrivateField = { entity: string; field: string };

const ACTIVITY_LIMIT = 60;
const BODY_LIMIT = 1500;

const iso = (d: Date | string | null | undefined): string | null => (d == null ? null : d instanceof Date ? d.toISOString() : new Date(d).toISOString());
const clip = (s: string | null | undefined, n = BODY_LIMIT) => (s == null ? s : s.length > n ? `${s.slice(0, n - 1)}…` : s);
const nonAi = notLike(activities.type, "ai\\_%");

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
  applyPrivacy(ctx, input.privateFields);
  return ctx;
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
    id: o.id,
    name: o.name,
    amount: o.amount,
    currency: o.currency,
    probability: o.probability ?? stage.probability,
    stage,
    closeDate: o.closeDate,
    closedAt: iso(o.closedAt),
    stageEnteredAt: iso(o.stageEnteredAt)!,
    createdAt: iso(o.createdAt)!,
    nextStep: o.nextStep,
    source: o.source,
    description: clip(o.description),
    owner: o.ownerId && opp.ownerName ? { id: o.ownerId, name: opp.ownerName } : null,
    accountId: o.accountId,
    primaryContactId: o.primaryContactId,
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
    id: l.id,
    name: l.name ?? "",
    firstName: l.firstName,
    lastName: l.lastName,
    company: l.company,
    email: l.email,
    phone: l.phone,
    title: l.title,
    status: l.status,
    source: l.source,
    description: clip(l.description),
    createdAt: iso(l.createdAt)!,
    owner: l.ownerId && row.ownerName ? { id: l.ownerId, name: row.ownerName } : null,
  };
  ctx.target.name = ctx.lead.name || l.email || "Lead";
  const [recent, tasks] = await x.batch([
    activityQuery(db, ws, eq(activities.leadId, id)).limit(ACTIVITY_LIMIT),
    activityQuery(db, ws, and(eq(activities.leadId, id), eq(activities.type, "task"), isNull(activities.completedAt))!).limit(20),
  ]);
  ctx.activities = mergeActivities(recent, tasks);
}

// ---------- queries ----------

/** The workspace's stages; for a deal, only its pipeline's (positions, "next stage" and norms are per pipeline). */
function stagesQuery(db: Database, ws: string, dealStageId?: string) {
  const samePipeline = dealStageId
    ? sql`${pipelineStages.pipelineId} = (select ps.pipeline_id from pipeline_stages ps where ps.id = ${dealStageId}::uuid)`
    : undefined;
  return db.http
    .select({ id: pipelineStages.id, name: pipelineStages.name, kind: pipelineStages.kind, probability: pipelineStages.probability, position: pipelineStages.position })
    .from(pipelineStages)
    .where(and(eq(pipelineStages.workspaceId, ws), isNull(pipelineStages.deletedAt), samePipeline))
    .orderBy(asc(pipelineStages.pipelineId), asc(pipelineStages.position));
}

function accountQuery(db: Database, ws: string, id: string | null) {
  return db.http
    .select({ a: accounts, ownerName: users.name })
    .from(accounts)
    .leftJoin(users, eq(users.id, accounts.ownerId))
    .where(and(eq(accounts.id, id ?? "00000000-0000-0000-0000-000000000000"), eq(accounts.workspaceId, ws), isNull(accounts.deletedAt)));
}

const lastActivityAt = sql`(select max(la.happened_at) from activities la
  where la.contact_id = ${contacts.id} and la.deleted_at is null and la.type in ('call', 'email', 'meeting', 'note'))`.mapWith(activities.happenedAt);

function contactQuery(db: Database, ws: string, where: SQL, opportunityId?: string) {
  const cols = {
    id: contacts.id,
    name: contacts.name,
    firstName: contacts.firstName,
    lastName: contacts.lastName,
    email: contacts.email,
    phone: contacts.phone,
    mobilePhone: contacts.mobilePhone,
    title: contacts.title,
    accountId: contacts.accountId,
    accountName: accounts.name,
    role: opportunityId ? opportunityContacts.role : sql<string | null>`null::text`,
    lastActivityAt,
  };
  const base = db.http.select(cols).from(contacts).leftJoin(accounts, eq(accounts.id, contacts.accountId));
  const joined = opportunityId
    ? base.leftJoin(opportunityContacts, and(eq(opportunityContacts.contactId, contacts.id), eq(opportunityContacts.opportunityId, opportunityId)))
    : base;
  return joined.where(and(eq(contacts.workspaceId, ws), isNull(contacts.deletedAt), where)).orderBy(asc(contacts.lastName), asc(contacts.id)).limit(50);
}

async function contactRows(db: Database, ws: string, where: SQL): Promise<CtxContact[]> {
  const rows = await contactQuery(db, ws, where);
  return rows.map((r) => toContact(r, null));
}

function dealQuery(db: Database, ws: string, where: SQL) {
  return db.http
    .select({
      id: opportunities.id,
      name: opportunities.name,
      amount: opportunities.amount,
      currency: opportunities.currency,
      probability: sql<number>`coalesce(${opportunities.probability}, ${pipelineStages.probability})`.mapWith(Number),
      stage: pipelineStages.name,
      stageKind: pipelineStages.kind,
      stagePosition: pipelineStages.position,
      closeDate: opportunities.closeDate,
      closedAt: opportunities.closedAt,
      nextStep: opportunities.nextStep,
      primaryContactId: opportunities.primaryContactId,
    })
    .from(opportunities)
    .innerJoin(pipelineStages, eq(pipelineStages.id, opportunities.stageId))
    .where(and(eq(opportunities.workspaceId, ws), isNull(opportunities.deletedAt), where))
    .orderBy(asc(pipelineStages.position), desc(opportunities.amount), asc(opportunities.id))
    .limit(50);
}

function activityQuery(db: Database, ws: string, where: SQL) {
  return db.http
    .select({
      id: activities.id,
      type: activities.type,
      subject: activities.subject,
      body: activities.body,
      properties: activities.properties,
      happenedAt: activities.happenedAt,
      dueAt: activities.dueAt,
      completedAt: activities.completedAt,
      contactId: activities.contactId,
      opportunityId: activities.opportunityId,
      actor: users.name,
    })
    .from(activities)
    .leftJoin(users, eq(users.id, activities.actorId))
    .where(and(eq(activities.workspaceId, ws), isNull(activities.deletedAt), nonAi, where))
    .orderBy(desc(activities.happenedAt), desc(activities.id));
}

// ---------- row → context ----------

type StageRow = { id: string; name: string; kind: "open" | "won" | "lost"; probability: number; position: number };
const toStage = (s: StageRow): CtxStage => ({ id: s.id, name: s.name, kind: s.kind, probability: s.probability, position: s.position });

function normsOf(rows: StageNormRow[], stages: CtxStage[]): CtxStageNorm[] {
  return rows
    .map((r) => ({ stageId: r.stageId, stageName: stages.find((s) => s.id === r.stageId)?.name ?? "", medianDays: Math.round(Number(r.medianDays) * 10) / 10, samples: Number(r.samples) }))
    .filter((n) => n.stageName && Number.isFinite(n.medianDays))
    .sort((a, b) => a.stageId.localeCompare(b.stageId));
}

type AccountRow = { a: typeof accounts.$inferSelect; ownerName: string | null };
function toAccount({ a, ownerName }: AccountRow): CtxAccount {
  return {
    id: a.id,
    name: a.name,
    domain: a.domain,
    website: a.website,
    industry: a.industry,
    phone: a.phone,
    employees: a.employees,
    annualRevenue: a.annualRevenue,
    currency: a.currency,
    city: a.city,
    country: a.country,
    description: clip(a.description),
    owner: a.ownerId && ownerName ? { id: a.ownerId, name: ownerName } : null,
  };
}

type ContactRow = {
  id: string;
  name: string | null;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  mobilePhone: string | null;
  title: string | null;
  accountId: string | null;
  accountName: string | null;
  role: string | null;
  lastActivityAt: Date | null;
};
function toContact(r: ContactRow, primaryId: string | null): CtxContact {
  return {
    id: r.id,
    name: r.name || r.email || "Unnamed contact",
    firstName: r.firstName,
    lastName: r.lastName,
    email: r.email,
    phone: r.phone,
    mobilePhone: r.mobilePhone,
    title: r.title,
    accountId: r.accountId,
    accountName: r.accountName,
    role: r.role,
    isPrimary: primaryId === r.id,
    lastActivityAt: iso(r.lastActivityAt),
  };
}
const byPrimaryThenName = (a: CtxContact, b: CtxContact) => Number(b.isPrimary) - Number(a.isPrimary) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id);

type DealRow = {
  id: string;
  name: string;
  amount: number | null;
  currency: string;
  probability: number;
  stage: string;
  stageKind: "open" | "won" | "lost";
  closeDate: string | null;
  closedAt: Date | null;
  nextStep: string | null;
  primaryContactId: string | null;
};
const toDeal = (d: DealRow): CtxDeal => ({
  id: d.id,
  name: d.name,
  amount: d.amount,
  currency: d.currency,
  stage: d.stage,
  stageKind: d.stageKind,
  probability: d.probability,
  closeDate: d.closeDate,
  closedAt: iso(d.closedAt),
  nextStep: d.nextStep,
  primaryContactId: d.primaryContactId,
});

type ActivityRow = {
  id: string;
  type: string;
  subject: string | null;
  body: string | null;
  properties: Record<string, unknown>;
  happenedAt: Date;
  dueAt: Date | null;
  completedAt: Date | null;
  contactId: string | null;
  opportunityId: string | null;
  actor: string | null;
};
function toActivity(r: ActivityRow): CtxActivity {
  const p = r.properties ?? {};
  const str = (v: unknown) => (typeof v === "string" && v ? v : null);
  const out: CtxActivity = {
    id: r.id,
    type: r.type,
    subject: r.subject,
    body: clip(r.body),
    direction: str(p.direction),
    happenedAt: iso(r.happenedAt)!,
    dueAt: iso(r.dueAt),
    completedAt: iso(r.completedAt),
    actor: r.actor,
    contactId: r.contactId,
    opportunityId: r.opportunityId,
  };
  if (r.type === "stage_change") {
    out.stageChange = { fromStageId: str(p.fromStageId), fromStage: str(p.fromStage), toStageId: str(p.toStageId), toStage: str(p.toStage), reason: str(p.reason) ?? r.body };
  }
  return out;
}

/** Recent activities plus the open tasks and stage moves that may be older than the recent window. */
function mergeActivities(...lists: ActivityRow[][]): CtxActivity[] {
  const seen = new Map<string, CtxActivity>();
  for (const list of lists) for (const r of list) if (!seen.has(r.id)) seen.set(r.id, toActivity(r));
  return [...seen.values()].sort((a, b) => b.happenedAt.localeCompare(a.happenedAt) || b.id.localeCompare(a.id));
}

// ---------- privacy ----------

/**
 * Removes configured private fields from every record of that entity in the context, then scrubs their values
 * from all remaining text (a mobile number pasted into a call note must not leak either).
 */
export function applyPrivacy(ctx: AiContext, fields: PrivateField[]): void {
  if (!fields.length) return;
  const removed: string[] = [];
  const strip = (obj: object | null | undefined, entity: string) => {
    if (!obj) return;
    const rec = obj as Record<string, unknown>;
    for (const f of fields) {
      if (f.entity !== entity || !(f.field in rec) || f.field === "id") continue;
      const v = rec[f.field];
      if (typeof v === "string" && v.trim()) removed.push(v.trim());
      delete rec[f.field];
    }
  };
  strip(ctx.opportunity, "opportunity");
  for (const d of ctx.opportunities) strip(d, "opportunity");
  strip(ctx.account, "account");
  strip(ctx.contact, "contact");
  for (const c of ctx.contacts) strip(c, "contact");
  strip(ctx.lead, "lead");
  for (const a of ctx.activities) strip(a, "activity");
  const patterns = [...new Set(removed)].filter((v) => v.length >= 4).map(valuePattern);
  if (!patterns.length) return;
  scrub(ctx, patterns);
}

/** Phone-like values match with any separators between their digits; anything else matches literally. */
function valuePattern(v: string): RegExp {
  const digits = v.replace(/\D/g, "");
  if (digits.length >= 7 && digits.length >= v.replace(/[\s()+.-]/g, "").length) {
    return new RegExp(`\\+?${digits.split("").join("[\\s().-]*")}`, "g");
  }
  return new RegExp(v.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "gi");
}

function scrub(node: unknown, patterns: RegExp[]): void {
  if (Array.isArray(node)) {
    node.forEach((v, i) => {
      if (typeof v === "string") node[i] = scrubText(v, patterns);
      else scrub(v, patterns);
    });
    return;
  }
  if (node && typeof node === "object") {
    const rec = node as Record<string, unknown>;
    for (const [k, v] of Object.entries(rec)) {
      if (typeof v === "string") rec[k] = scrubText(v, patterns);
      else scrub(v, patterns);
    }
  }
}

function scrubText(s: string, patterns: RegExp[]): string {
  let out = s;
  for (const p of patterns) out = out.replace(p, "[private]");
  return out;
}

// ---------- citable ids ----------

/** Every id a provider may cite, with what it is (for citation chips in the UI). */
export function contextSources(ctx: AiContext): Map<string, AiSource> {
  const m = new Map<string, AiSource>();
  const add = (id: string, kind: AiSource["kind"], label: string) => {
    if (!m.has(id)) m.set(id, { id, kind, label });
  };
  if (ctx.opportunity) add(ctx.opportunity.id, "opportunity", ctx.opportunity.name);
  if (ctx.account) add(ctx.account.id, "account", ctx.account.name);
  if (ctx.contact) add(ctx.contact.id, "contact", ctx.contact.name);
  if (ctx.lead) add(ctx.lead.id, "lead", ctx.lead.name);
  for (const c of ctx.contacts) add(c.id, "contact", c.name);
  for (const d of ctx.opportunities) add(d.id, "opportunity", d.name);
  for (const a of ctx.activities) add(a.id, "activity", `${a.type}: ${a.subject ?? a.body?.slice(0, 60) ?? ""} (${a.happenedAt.slice(0, 10)})`.trim());
  for (const c of ctx.changes) add(c.id, "change", `close date ${c.from ?? "none"} → ${c.to ?? "none"} (${c.at.slice(0, 10)})`);
  return m;
}

/** The context as the provider sees it: compact JSON without empty values. */
export function contextForPrompt(ctx: AiContext): string {
  return JSON.stringify(ctx, (_k, v) => (v === null || v === undefined || (Array.isArray(v) && v.length === 0) ? undefined : v));
}

/** Contacts of the context that may receive e-mail or own a suggested task. */
export function contextContacts(ctx: AiContext): CtxContact[] {
  return ctx.contact ? [ctx.contact, ...ctx.contacts.filter((c) => c.id !== ctx.contact!.id)] : ctx.contacts;
}

