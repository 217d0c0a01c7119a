import { and, eq, isNull } from "drizzle-orm";
import type { Database, Tx } from "../../../db/client";
import { activities, contacts } from "../../../db/schema";
import { ConflictError, NotFoundError, ValidationError } from "../../lib/errors";
import type { EmailDraftResult } from "../../schemas/ai";
import { diff, recordAudit, type Actor } from "../audit/record";
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

/** The record a draft was written for: its deal, else its contact (`activityLinks`). */
function draftTarget(row: Row): { type: "opportunity" | "contact"; id: string } | null {
  if (row.opportunityId) return { type: "opportunity", id: row.opportunityId };
  return row.contactId ? { type: "contact", id: row.contactId } : null;
}

/**
 * Inside the transaction that sends an e-mail (`services/email/send.ts`): the AI draft `draftId` was sent as
 * `subject` / `body` from record `from`, logged as `emailActivityId`, so it is marked sent with what went out. A draft
 * that does not exist, or belongs to another record, is a 422 naming `draftId`; one already sent, a 409.
 */
export async function markDraftSent(
  tx: Tx,
  actor: Actor,
  input: { draftId: string; from: { type: "opportunity" | "contact"; id: string }; to: string; subject: string; body: string; emailActivityId: string },
): Promise<void> {
  const before = await loadDraft(tx, actor.workspaceId, input.draftId).catch((err: unknown) => {
    if (err instanceof NotFoundError) throw new ValidationError("The draft does not exist", [{ path: "draftId", message: "no AI e-mail draft with this id in your workspace" }]);
    throw err;
  });
  const target = draftTarget(before);
  const mine = input.from.type === "opportunity" ? before.opportunityId === input.from.id : target?.type === "contact" && target.id === input.from.id;
  if (!mine) throw new ValidationError("The draft belongs to another record", [{ path: "draftId", message: `not a draft of this ${input.from.type === "opportunity" ? "deal" : "contact"}` }]);
  const [after] = await tx
    .update(activities)
    .set({
      subject: input.subject,
      body: input.body,
      properties: { ...(before.properties as Record<string, unknown>), status: "sent", sentAt: new Date().toISOString(), sentBy: actor.userId, sentTo: input.to, emailActivityId: input.emailActivityId },
      updatedAt: new Date(),
    })
    .where(eq(activities.id, before.id))
    .returning();
  await recordAudit(tx, actor, { action: "update", entityType: "activity", entityId: before.id, changes: diff(before, after!, ["subject", "body"]) });
}

/**
 * Sends a draft as it stands (with `patch` applied) to its recipient's address through the one sending path,
 * `send` (services/email/send.ts: the mail provider, an outbound `email` activity, the draft marked sent).
 */
export async function sendDraft(input: {
  db: Database;
  actor: Actor;
  draftId: string;
  patch: Patch;
  send: (e: { type: "opportunity" | "contact"; id: string; to: string; subject: string; text: string; draftId: string }) => Promise<unknown>;
}): Promise<{ draft: EmailDraftResult; email: Record<string, unknown> }> {
  const { db, actor } = input;
  // The edits are saved first: a send the provider refuses leaves the draft as the user last had it.
  if (Object.values(input.patch).some((v) => v !== undefined)) await saveDraft({ db, actor, draftId: input.draftId, patch: input.patch });
  const row = await db.transaction((tx) => loadDraft(tx, actor.workspaceId, input.draftId));
  const to = (row.properties as { to?: { name: string; email: string | null } | null }).to;
  if (!to) throw new ValidationError("Choose who receives the e-mail", [{ path: "toContactId", message: "a recipient is required to send" }]);
  if (!to.email) throw new ValidationError("The recipient has no e-mail address", [{ path: "toContactId", message: `${to.name || "this contact"} has no e-mail address` }]);
  const target = draftTarget(row);
  if (!target) throw new ValidationError("This draft is not on a deal or a contact", [{ path: "activityId", message: "only deal and contact drafts can be sent" }]);
  await input.send({ ...target, to: to.email, subject: row.subject ?? "", text: row.body ?? "", draftId: row.id });
  const [draft] = await db.http.select().from(activities).where(and(eq(activities.id, row.id), eq(activities.workspaceId, actor.workspaceId)));
  const emailId = (draft!.properties as { emailActivityId: string }).emailActivityId;
  const [email] = await db.http.select().from(activities).where(and(eq(activities.id, emailId), eq(activities.workspaceId, actor.workspaceId)));
  return { draft: emailDraftResult(draft!), email: serialize(email as Record<string, unknown>) };
}
