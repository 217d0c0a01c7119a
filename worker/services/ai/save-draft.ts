import { and, eq, isNull } from "drizzle-orm";
import type { Database, Tx } from "../../../db/client";
import { activities, contacts } from "../../../db/schema";
import { ConflictError, NotFoundError, ValidationError } from "../../lib/errors";
import type { EmailDraftResult } from "../../schemas/ai";
import { diff, recordAudit, type Actor } from "../audit/record";
import { emit } from "../../events/outbox";
import { serialize } from "../records/serialize";
import { emailDraftResult } from "./results";
import { isUuid } from "../../lib/uuid";

type Patch = { subject?: string; body?: string; toContactId?: string | null };
type Row = typeof activities.$inferSelect;

async function loadDraft(tx: Tx, workspaceId: string, id: string): Promise<Row> {
  if (!isUuid(id)) throw new NotFoundError("Draft");
  const [row] = await tx
    .select()
    .from(activities)
    .where(and(eq(activities.id, id), eq(activities.workspaceId, workspaceId), eq(activities.type, "ai_email_draft"), isNull(activities.deletedAt)))
    .for("update");
  if (!row) throw new NotFoundError("Draft");
  const props = row.properties as Record<string, unknown>;
  if (props.status === "sent") throw new ConflictError("This draft was already sent", { emailActivityId: props.emailActivityId ?? null });
  return row;
}

/** The draft with the user's edits applied (recipient looked up in the workspace). */
async function applyPatch(tx: Tx, workspaceId: string, row: Row, patch: Patch) {
  const props = { ...(row.properties as Record<string, unknown>) };
  if (patch.toContactId !== undefined) {
    if (patch.toContactId === null) props.to = null;
    else {
      const [c] = await tx
        .select({ id: contacts.id, name: contacts.name, email: contacts.email })
        .from(contacts)
        .where(and(eq(contacts.id, patch.toContactId), eq(contacts.workspaceId, workspaceId), isNull(contacts.deletedAt)));
      if (!c) throw new ValidationError("A linked record does not exist", [{ path: "toContactId", message: "no contact with this id in your workspace" }]);
      props.to = { contactId: c.id, name: c.name ?? c.email ?? "", email: c.email };
    }
  }
  return { subject: patch.subject ?? row.subject ?? "", body: patch.body ?? row.body ?? "", props };
}

/** Saves the user's edits of an AI e-mail draft; the model's original stays in properties.output for the audit. */
export async function saveDraft(input: { db: Database; actor: Actor; draftId: string; patch: Patch }): Promise<EmailDraftResult> {
  const { db, actor } = input;
  const row = await db.transaction(async (tx) => {
    const before = await loadDraft(tx, actor.workspaceId, input.draftId);
    const next = await applyPatch(tx, actor.workspaceId, before, input.patch);
    const [after] = await tx
      .update(activities)
      .set({
        subject: next.subject,
        body: next.body,
        contactId: (next.props.to as { contactId?: string } | null)?.contactId ?? before.contactId,
        properties: { ...next.props, status: "saved", savedAt: new Date().toISOString(), savedBy: actor.userId },
        updatedAt: new Date(),
      })
      .where(eq(activities.id, before.id))
      .returning();
    await recordAudit(tx, actor, { action: "update", entityType: "activity", entityId: before.id, changes: diff(before, after!, ["subject", "body", "contactId"]) });
    return after!;
  });
  return emailDraftResult(row);
}

/**
 * "Sends" a draft: logs it as an outbound `email` activity on the same records and marks the draft sent. Delivering
 * mail is the e-mail integration's job; this records what was sent, to whom, from which draft.
 */
export async function sendDraft(input: { db: Database; actor: Actor; draftId: string; patch: Patch }): Promise<{ draft: EmailDraftResult; email: Record<string, unknown> }> {
  const { db, actor } = input;
  const { draft, email } = await db.transaction(async (tx) => {
    const before = await loadDraft(tx, actor.workspaceId, input.draftId);
    const next = await applyPatch(tx, actor.workspaceId, before, input.patch);
    const to = next.props.to as { contactId: string; name: string; email: string | null } | null;
    if (!to) throw new ValidationError("Choose who receives the e-mail", [{ path: "toContactId", message: "a recipient is required to send" }]);
    const beforeProps = before.properties as Record<string, unknown>;
    const [email] = await tx
      .insert(activities)
      .values({
        workspaceId: actor.workspaceId,
        type: "email",
        subject: next.subject,
        body: next.body,
        actorId: actor.userId,
        opportunityId: before.opportunityId,
        accountId: before.accountId,
        leadId: before.leadId,
        contactId: to.contactId,
        properties: { direction: "outbound", to, draftActivityId: before.id, draftedBy: { provider: beforeProps.provider, model: beforeProps.model } },
      })
      .returning();
    const [after] = await tx
      .update(activities)
      .set({
        subject: next.subject,
        body: next.body,
        contactId: to.contactId,
        properties: { ...next.props, status: "sent", sentAt: new Date().toISOString(), sentBy: actor.userId, emailActivityId: email!.id },
        updatedAt: new Date(),
      })
      .where(eq(activities.id, before.id))
      .returning();
    await recordAudit(tx, actor, { action: "create", entityType: "activity", entityId: email!.id, changes: diff(null, email as Record<string, unknown>) });
    await recordAudit(tx, actor, { action: "update", entityType: "activity", entityId: before.id, changes: diff(before, after!, ["subject", "body", "contactId"]) });
    await emit(tx, actor, { type: "activity.created", entityType: "activity", entityId: email!.id, data: serialize(email as Record<string, unknown>) });
    return { draft: after!, email: email! };
  });
  const out = serialize(email as Record<string, unknown>);
  return { draft: emailDraftResult(draft), email: out };
}
