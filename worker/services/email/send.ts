import type { Database } from "../../../db/client";
import type { EmailProvider } from "../../email";
import { EmailSendError } from "../../email";
import { ProblemError, ValidationError } from "../../lib/errors";
import { emit } from "../../events/outbox";
import type { Actor } from "../audit/record";
import { entities } from "../records/entities";
import { loadRecord } from "../records/load";
import { serialize } from "../records/serialize";
import { recordAudit } from "../audit/record";
import { markDraftSent } from "../ai/save-draft";
import { bareAddress, inboundAddress, messageIdsIn } from "./addresses";
import { matchParticipants } from "./match";
import { recordEmail, targetsFor, type EmailTarget } from "./record";
import { replyToken } from "./reply-address";
import { eq } from "drizzle-orm";
import { users } from "../../../db/schema";

export interface SendEmailInput {
  db: Database;
  mailer: EmailProvider;
  actor: Actor;
  /** JWT_SECRET (signs the reply address) and INBOUND_EMAIL_DOMAIN (where replies come back; unset = no capture). */
  secret: string;
  inboundDomain: string | undefined;
  type: "contact" | "opportunity";
  id: string;
  to: string;
  cc?: string[];
  subject: string;
  text: string;
  /** The Message-ID this answers (from an e-mail activity), so the reply threads. */
  inReplyTo?: string | null;
  /** The AI draft (an `ai_email_draft` activity of this record) this e-mail sends: marked sent in the same transaction. */
  draftId?: string;
}

/**
 * Sends an e-mail from a contact or deal page through the configured provider and logs it as an outbound `email`
 * activity with its own Message-ID (on the contact, its account and open deals; on a deal page, on that deal).
 * Reply-To holds the rep and the workspace's signed reply address, so the customer's answer comes back to the CRM
 * and threads under this message. The log is written in the same transaction as the send: if the provider refuses,
 * nothing is logged; if logging fails, the provider was not called. An AI draft sent this way is marked sent with it.
 */
export async function sendRecordEmail(input: SendEmailInput): Promise<{ activityIds: string[]; messageId: string; emailId: string }> {
  const { db, actor, type, id } = input;
  const record = await loadRecord(db.http, entities[type], actor.workspaceId, id);
  const to = bareAddress(input.to);
  if (!to) throw new ValidationError("The recipient is not an e-mail address", [{ path: "to", message: "not an e-mail address" }]);
  const cc = (input.cc ?? []).map((c, i) => {
    const a = bareAddress(c);
    if (!a) throw new ValidationError("A Cc address is not an e-mail address", [{ path: `cc.${i}`, message: "not an e-mail address" }]);
    return a;
  });
  const [me] = await db.http.select({ email: users.email, name: users.name }).from(users).where(eq(users.id, actor.userId!)).limit(1);
  const domain = input.inboundDomain ?? "bespoke-crm.invalid";
  const messageId = `${crypto.randomUUID()}@${domain}`;
  const inReplyTo = input.inReplyTo ? (messageIdsIn(input.inReplyTo)[0] ?? input.inReplyTo.replace(/[<>\s]/g, "")) : null;

  const matched = await matchParticipants(db.http, actor.workspaceId, [to, ...cc]);
  let targets: EmailTarget[];
  if (type === "opportunity") {
    const contact = matched.contacts[0];
    targets = [{ opportunityId: id, accountId: (record.accountId as string | null) ?? contact?.accountId ?? null, contactId: contact?.id ?? null }];
  } else {
    const self = matched.contacts.find((c) => c.id === id) ?? { id, accountId: (record.accountId as string | null) ?? null, openDealIds: [] };
    targets = targetsFor([self, ...matched.contacts.filter((c) => c.id !== id)], []);
  }
  const replyTo = [me?.email, input.inboundDomain ? inboundAddress(await replyToken(input.secret, actor.workspaceId), input.inboundDomain) : null].filter((x): x is string => !!x);
  const headers: Record<string, string> = { "Message-ID": `<${messageId}>` };
  if (inReplyTo) Object.assign(headers, { "In-Reply-To": `<${inReplyTo}>`, References: `<${inReplyTo}>` });

  const saved = await db.transaction(async (tx) => {
    const result = await recordEmail(tx, {
      workspaceId: actor.workspaceId,
      messageId,
      inReplyTo,
      references: inReplyTo ? [inReplyTo] : [],
      direction: "outbound",
      source: "sent",
      from: me?.email ?? "",
      to: [to],
      cc,
      subject: input.subject,
      text: input.text,
      html: null,
      userId: actor.userId,
      size: input.text.length,
      sentAt: new Date(),
      targets,
      extra: input.draftId ? { draftActivityId: input.draftId } : undefined,
    });
    if (!result) throw new ProblemError(409, "Conflict", "This message was already sent");
    if (input.draftId) {
      const logged = result.activities.find((a) => (type === "opportunity" ? a.opportunityId === id : a.contactId === id)) ?? result.activities[0]!;
      await markDraftSent(tx, actor, { draftId: input.draftId, from: { type, id }, to, subject: input.subject, body: input.text, emailActivityId: logged.id });
    }
    await emit(tx, actor, result.activities.map((a) => ({ type: "activity.created" as const, entityType: "activity", entityId: a.id, data: serialize(a as Record<string, unknown>) })));
    await recordAudit(tx, actor, { action: "email.sent", entityType: "email", entityId: result.email.id, changes: { to: { from: null, to }, subject: { from: null, to: input.subject } } });
    try {
      await input.mailer.send({ to, cc, subject: input.subject, text: input.text, replyTo, headers });
    } catch (err) {
      if (err instanceof EmailSendError) throw new ProblemError(502, "Bad Gateway", `The mail provider refused the message; nothing was sent or logged: ${err.detail}`);
      throw err;
    }
    return result;
  });
  return { activityIds: saved.activities.map((a) => a.id), messageId, emailId: saved.email.id };
}
