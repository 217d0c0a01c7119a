import { and, eq, isNull } from "drizzle-orm";
import type { Database, Tx } from "../../../db/client";
import { accounts, activities, contacts, leads, opportunities, opportunityContacts, users } from "../../../db/schema";
import { ConflictError, ValidationError } from "../../lib/errors";
import type { LeadConvertInput } from "../../schemas/leads";
import { emit } from "../../events/outbox";
import { diff, recordAudit, type Actor, type DomainEvent } from "../audit/record";
import { opportunityDefaults } from "../records/create";
import { entities, type RefKind } from "../records/entities";
import { loadRecord } from "../records/load";
import { assertRefs } from "../records/refs";
import { serialize } from "../records/serialize";
import { carriedCustom } from "../custom-fields/carry";

type Row = Record<string, unknown>;
const DAY_MS = 86_400_000;

/**
 * Turns a qualified lead into the records a deal lives on: an account (new or linked), a contact on it, an
 * opportunity with that contact, and a follow-up task for the deal's owner. Everything — the records, the
 * `lead_converted` activity, the lead's new status and the audit entries — commits in one transaction or not at
 * all. The lead row is locked first, so two simultaneous conversions of one lead produce one set of records and
 * one 409.
 */
export async function convertLead(input: { db: Database; actor: Actor; id: string; body: LeadConvertInput }) {
  const { db, actor, id, body } = input;
  const ws = actor.workspaceId;

  const out = await db.transaction(async (tx) => {
    const lead = await loadRecord(tx, entities.lead, ws, id, { forUpdate: true });
    if (lead.status === "converted") {
      throw new ConflictError("This lead was already converted", {
        current: serialize(lead),
      });
    }

    // Every id the caller names is checked before the first insert, so one 422 lists all of them.
    const refs: { field: string; kind: RefKind; id: string }[] = [];
    const ref = (field: string, kind: RefKind, value: unknown) => {
      if (typeof value === "string") refs.push({ field, kind, id: value });
    };
    ref("account.id", "account", body.account.id);
    ref("account.ownerId", "user", body.account.ownerId);
    ref("contact.ownerId", "user", body.contact?.ownerId);
    ref("opportunity.ownerId", "user", body.opportunity.ownerId);
    ref("opportunity.stageId", "stage", body.opportunity.stageId);
    await assertRefs(tx, ws, refs);

    // Custom values: the caller's, over the lead's values of same-key same-type fields; validated before any insert.
    const custom = await carriedCustom(
      tx,
      ws,
      lead,
      { account: body.account.custom, contact: body.contact?.custom, opportunity: body.opportunity.custom },
      body.account.id ? ["contact", "opportunity"] : ["account", "contact", "opportunity"],
    );
    const ownerId = body.opportunity.ownerId ?? (await activeOwner(tx, ws, lead.ownerId)) ?? actor.userId;
    const contactValues = contactFromLead(lead, body.contact);
    const accountName = body.account.id ? undefined : (body.account.name ?? (lead.company as string | null)?.trim());
    const missing = [
      ...(body.account.id || accountName ? [] : [{ path: "account.name", message: "is required: the lead has no company to name the account after" }]),
      ...(contactValues ? [] : [{ path: "contact.name", message: "a name or an email is required: the lead has neither" }]),
    ];
    if (missing.length) throw new ValidationError("The conversion is missing information", missing);

    // Account: linked (already checked to be live and in this workspace) or created.
    let account: Row;
    let accountCreated = false;
    if (body.account.id) {
      account = await loadRecord(tx, entities.account, ws, body.account.id);
    } else {
      const { id: _none, ...fields } = body.account;
      const [row] = await tx
        .insert(accounts)
        .values({ ...fields, custom: custom.account, name: accountName!, ownerId: fields.ownerId === undefined ? ownerId : fields.ownerId, workspaceId: ws })
        .returning();
      account = row as Row;
      accountCreated = true;
      await recordAudit(tx, actor, { action: "create", entityType: "account", entityId: account.id as string, changes: diff(null, account) });
    }

    const [contactRow] = await tx
      .insert(contacts)
      .values({
        ...(contactValues as typeof contacts.$inferInsert),
        accountId: account.id as string,
        custom: custom.contact,
        ownerId: contactValues!.ownerId === undefined ? ownerId : (contactValues!.ownerId as string | null),
        workspaceId: ws,
      })
      .returning();
    const contact = contactRow as Row;
    await recordAudit(tx, actor, { action: "create", entityType: "contact", entityId: contact.id as string, changes: diff(null, contact) });

    const oppValues: Row = {
      ...body.opportunity,
      source: body.opportunity.source === undefined ? lead.source : body.opportunity.source,
      accountId: account.id,
      primaryContactId: contact.id,
      ownerId,
      custom: custom.opportunity,
    };
    const { pipelineId } = await opportunityDefaults(tx, ws, oppValues);
    const [oppRow] = await tx
      .insert(opportunities)
      .values({ ...(oppValues as typeof opportunities.$inferInsert), workspaceId: ws })
      .returning();
    const opportunity: Row = { ...(oppRow as Row), pipelineId };
    await tx.insert(opportunityContacts).values({ opportunityId: opportunity.id as string, contactId: contact.id as string });
    await recordAudit(tx, actor, { action: "create", entityType: "opportunity", entityId: opportunity.id as string, changes: diff(null, opportunity) });

    const now = new Date();
    const contactLabel = displayName(contact);
    const [taskRow] = await tx
      .insert(activities)
      .values({
        workspaceId: ws,
        type: "task",
        subject: body.task?.subject ?? `Follow up with ${contactLabel}`,
        dueAt: new Date(now.getTime() + (body.task?.dueInDays ?? 3) * DAY_MS),
        ownerId: (opportunity.ownerId as string | null) ?? actor.userId,
        actorId: actor.userId,
        opportunityId: opportunity.id as string,
        accountId: account.id as string,
        contactId: contact.id as string,
      })
      .returning();
    const task = taskRow as Row;
    await recordAudit(tx, actor, { action: "create", entityType: "activity", entityId: task.id as string, changes: diff(null, task) });

    const ids = {
      leadId: id,
      accountId: account.id as string,
      accountCreated,
      contactId: contact.id as string,
      opportunityId: opportunity.id as string,
      taskId: task.id as string,
    };
    // On the lead's timeline and, through the new records' ids, on the account's, contact's and deal's.
    await tx.insert(activities).values({
      workspaceId: ws,
      type: "lead_converted",
      subject: `Lead converted: ${displayName(lead)} → ${opportunity.name as string}`,
      properties: ids,
      actorId: actor.userId,
      leadId: id,
      accountId: ids.accountId,
      contactId: ids.contactId,
      opportunityId: ids.opportunityId,
      happenedAt: now,
    });

    const leadChanges = {
      status: "converted" as const,
      convertedAt: now,
      convertedAccountId: ids.accountId,
      convertedContactId: ids.contactId,
      convertedOpportunityId: ids.opportunityId,
    };
    const [leadRow] = await tx
      .update(leads)
      .set({ ...leadChanges, updatedAt: now })
      .where(and(eq(leads.id, id), eq(leads.workspaceId, ws)))
      .returning();
    await recordAudit(tx, actor, { action: "convert", entityType: "lead", entityId: id, changes: diff(lead, leadChanges) });

    const result = {
      lead: serialize(leadRow as Row),
      account: serialize(account),
      contact: serialize(contact),
      opportunity: serialize(opportunity),
      task: serialize(task),
    };
    const events: DomainEvent[] = [];
    if (accountCreated) events.push({ type: "account.created", entityType: "account", entityId: result.account.id as string, data: result.account });
    events.push(
      { type: "contact.created", entityType: "contact", entityId: result.contact.id as string, data: result.contact },
      { type: "opportunity.created", entityType: "opportunity", entityId: result.opportunity.id as string, data: result.opportunity },
      { type: "activity.created", entityType: "activity", entityId: result.task.id as string, data: result.task },
      { type: "lead.converted", entityType: "lead", entityId: id, data: result },
    );
    await emit(tx, actor, events);
    return result;
  });
  return out;
}

/** The lead's owner if they can still own records; a deactivated owner's deals go to whoever converts. */
async function activeOwner(tx: Tx, workspaceId: string, ownerId: unknown): Promise<string | undefined> {
  if (typeof ownerId !== "string") return undefined;
  const [u] = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.id, ownerId), eq(users.workspaceId, workspaceId), eq(users.active, true), isNull(users.deletedAt)));
  return u?.id;
}

/**
 * The contact's columns: the lead's name, email, phone and title, each replaced by what the caller sent. A `name`
 * the caller sends wins over the lead's first/last name (and is split like a quick create). Undefined when the
 * result has neither a name nor an email.
 */
function contactFromLead(lead: Row, given: LeadConvertInput["contact"]): Row | undefined {
  const body = entities.contact.prepare!({ ...(given ?? {}) });
  const fromCaller = (k: string) => Object.prototype.hasOwnProperty.call(body, k) && body[k] !== undefined;
  const nameGiven = fromCaller("firstName") || fromCaller("lastName");
  const values: Row = {
    firstName: nameGiven ? (body.firstName ?? null) : lead.firstName,
    lastName: nameGiven ? (body.lastName ?? null) : lead.lastName,
    email: fromCaller("email") ? body.email : lead.email,
    phone: fromCaller("phone") ? body.phone : lead.phone,
    title: fromCaller("title") ? body.title : lead.title,
  };
  for (const k of ["mobilePhone", "ownerId", "externalId"]) if (fromCaller(k)) values[k] = body[k];
  const has = (v: unknown) => typeof v === "string" && v.trim() !== "";
  return has(values.firstName) || has(values.lastName) || has(values.email) ? values : undefined;
}

function displayName(p: Row): string {
  const name = [p.firstName, p.lastName].filter((x) => typeof x === "string" && x.trim()).join(" ");
  return name || (p.email as string | null) || "the contact";
}
