import { and, asc, desc, eq, isNull, notLike, sql, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import type { Database } from "../../db/client";
import { accounts, activities, contacts, opportunities, opportunityContacts, pipelineStages, users } from "../../db/schema";
import { domain, type EntityDecl } from "../../domain";
import { aiFieldsOf, aiValues } from "../../domain/ai";
import type { CtxAccount, CtxActivity, CtxContact, CtxDeal, CtxStage, CtxStageNorm } from "./context-types";
import type { StageNormRow } from "./stage-norms";
import { MISSED_OUTCOMES } from "../schemas/activity-types";

/*
 * The AI context's queries and row mappers. Record rows become context rows through the declarations in domain/
 * (aiValues): a new core field reaches the AI without a change here.
 */

export const ACTIVITY_LIMIT = 60;
export const BODY_LIMIT = 1500;

export const iso = (d: Date | string | null | undefined): string | null => (d == null ? null : d instanceof Date ? d.toISOString() : new Date(d).toISOString());
export const clip = (s: string | null | undefined, n = BODY_LIMIT) => (s == null ? s : s.length > n ? `${s.slice(0, n - 1)}…` : s);
const nonAi = notLike(activities.type, "ai\\_%");


/** The workspace's stages; for a deal, only its pipeline's (positions, "next stage" and norms are per pipeline). */
export function stagesQuery(db: Database, ws: string, dealStageId?: string) {
  const samePipeline = dealStageId
    ? sql`${pipelineStages.pipelineId} = (select ps.pipeline_id from pipeline_stages ps where ps.id = ${dealStageId}::uuid)`
    : undefined;
  return db.http
    .select({ id: pipelineStages.id, name: pipelineStages.name, kind: pipelineStages.kind, probability: pipelineStages.probability, position: pipelineStages.position })
    .from(pipelineStages)
    .where(and(eq(pipelineStages.workspaceId, ws), isNull(pipelineStages.deletedAt), samePipeline))
    .orderBy(asc(pipelineStages.pipelineId), asc(pipelineStages.position));
}

export function accountQuery(db: Database, ws: string, id: string | null) {
  return db.http
    .select({ a: accounts, ownerName: users.name })
    .from(accounts)
    .leftJoin(users, eq(users.id, accounts.ownerId))
    .where(and(eq(accounts.id, id ?? "00000000-0000-0000-0000-000000000000"), eq(accounts.workspaceId, ws), isNull(accounts.deletedAt)));
}

/** A contact's latest conversation: a missed call or a cancelled meeting does not engage anyone. */
const lastActivityAt = sql`(select max(la.happened_at) from activities la
  where la.contact_id = ${contacts.id} and la.deleted_at is null and la.type in ('call', 'email', 'meeting', 'note')
    and coalesce(la.properties ->> 'outcome', '') not in (${sql.join(MISSED_OUTCOMES.map((o) => sql`${o}`), sql`, `)}))`.mapWith(activities.happenedAt);

export function contactQuery(db: Database, ws: string, where: SQL, opportunityId?: string) {
  const cols = {
    ...contactAiColumns(),
    id: contacts.id,
    custom: contacts.custom,
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

export async function contactRows(db: Database, ws: string, where: SQL): Promise<CtxContact[]> {
  const rows = await contactQuery(db, ws, where);
  return rows.map((r) => toContact(r, null));
}

export function dealQuery(db: Database, ws: string, where: SQL) {
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

export function activityQuery(db: Database, ws: string, where: SQL) {
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
export const toStage = (s: StageRow): CtxStage => ({ id: s.id, name: s.name, kind: s.kind, probability: s.probability, position: s.position });

export function normsOf(rows: StageNormRow[], stages: CtxStage[]): CtxStageNorm[] {
  return rows
    .map((r) => ({ stageId: r.stageId, stageName: stages.find((s) => s.id === r.stageId)?.name ?? "", medianDays: Math.round(Number(r.medianDays) * 10) / 10, samples: Number(r.samples) }))
    .filter((n) => n.stageName && Number.isFinite(n.medianDays))
    .sort((a, b) => a.stageId.localeCompare(b.stageId));
}

/** A row's custom values, when it has any (the registry and privacy filter them in buildContext). */
export const customOf = (row: object & { custom?: unknown }): { custom?: Record<string, unknown> } =>
  row.custom && typeof row.custom === "object" && Object.keys(row.custom).length ? { custom: { ...(row.custom as Record<string, unknown>) } } : {};

type AccountRow = { a: typeof accounts.$inferSelect; ownerName: string | null };
export function toAccount({ a, ownerName }: AccountRow): CtxAccount {
  return { ...aiValues(domain.account, a), id: a.id, name: a.name, owner: a.ownerId && ownerName ? { id: a.ownerId, name: ownerName } : null, ...customOf(a) };
}

/** The contact columns the context reads: the declared AI-visible fields (domain/contact.ts). */
function contactAiColumns(): Record<string, PgColumn> {
  const table = contacts as unknown as Record<string, PgColumn>;
  return Object.fromEntries(aiFieldsOf(domain.contact as unknown as EntityDecl).filter(([k]) => table[k]).map(([k]) => [k, table[k]!]));
}

type ContactRow = Record<string, unknown> & {
  id: string;
  name?: string | null;
  email?: string | null;
  accountId: string | null;
  accountName: string | null;
  role: string | null;
  lastActivityAt: Date | null;
};
export function toContact(r: ContactRow, primaryId: string | null): CtxContact {
  return {
    ...aiValues(domain.contact, r),
    id: r.id,
    name: r.name || r.email || "Unnamed contact",
    accountId: r.accountId,
    accountName: r.accountName,
    role: r.role,
    isPrimary: primaryId === r.id,
    lastActivityAt: iso(r.lastActivityAt),
    ...customOf(r),
  };
}
export const byPrimaryThenName = (a: CtxContact, b: CtxContact) => Number(b.isPrimary) - Number(a.isPrimary) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id);

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
export const toDeal = (d: DealRow): CtxDeal => ({
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
export function toActivity(r: ActivityRow): CtxActivity {
  const p = r.properties ?? {};
  const str = (v: unknown) => (typeof v === "string" && v ? v : null);
  const out: CtxActivity = {
    id: r.id,
    type: r.type,
    subject: r.subject,
    body: clip(r.body),
    direction: str(p.direction),
    outcome: str(p.outcome),
    contactIds: Array.isArray(p.contactIds) ? p.contactIds.filter((x): x is string => typeof x === "string") : undefined,
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
export function mergeActivities(...lists: ActivityRow[][]): CtxActivity[] {
  const seen = new Map<string, CtxActivity>();
  for (const list of lists) for (const r of list) if (!seen.has(r.id)) seen.set(r.id, toActivity(r));
  return [...seen.values()].sort((a, b) => b.happenedAt.localeCompare(a.happenedAt) || b.id.localeCompare(a.id));
}
