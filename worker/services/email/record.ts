import { sql } from "drizzle-orm";
import type { Executor } from "../../../db/client";
import { activities, emailMessages } from "../../../db/schema";

export interface EmailTarget {
  contactId?: string | null;
  accountId?: string | null;
  opportunityId?: string | null;
  leadId?: string | null;
}

export interface EmailRecordInput {
  workspaceId: string;
  messageId: string;
  inReplyTo: string | null;
  /** Earlier Message-IDs of the conversation (References), newest last: the thread is the first one we know. */
  references: string[];
  direction: "inbound" | "outbound";
  source: "inbound" | "sent";
  from: string;
  to: string[];
  cc: string[];
  subject: string | null;
  text: string | null;
  html: string | null;
  userId: string | null;
  size: number;
  sentAt: Date;
  targets: EmailTarget[];
  attachments?: { id: string; filename: string; contentType: string; size: number }[];
  extra?: Record<string, unknown>;
}

/**
 * Writes one e-mail: its email_messages row (unique Message-ID per workspace: returns null when it is already there,
 * so the caller drops the duplicate) and one `email` activity per target record. Runs inside the caller's
 * transaction, so a message is stored whole or not at all.
 */
export async function recordEmail(tx: Executor, m: EmailRecordInput) {
  const known = [m.inReplyTo, ...m.references.slice().reverse()].filter((x): x is string => !!x);
  let threadId = m.messageId;
  if (known.length) {
    const [t] = await tx
      .select({ threadId: emailMessages.threadId })
      .from(emailMessages)
      .where(sql`${emailMessages.workspaceId} = ${m.workspaceId} and ${emailMessages.messageId} = any(${`{${known.map((k) => `"${k.replace(/["\\]/g, "")}"`).join(",")}}`}::text[])`)
      .limit(1);
    if (t) threadId = t.threadId;
  }
  const [row] = await tx
    .insert(emailMessages)
    .values({
      workspaceId: m.workspaceId,
      messageId: m.messageId,
      inReplyTo: m.inReplyTo,
      threadId,
      direction: m.direction,
      source: m.source,
      fromAddress: m.from,
      participants: { from: m.from, to: m.to, cc: m.cc },
      subject: m.subject,
      targets: m.targets,
      userId: m.userId,
      size: m.size,
      sentAt: m.sentAt,
    })
    .onConflictDoNothing()
    .returning();
  if (!row) return null;
  const properties = {
    emailId: row.id,
    messageId: m.messageId,
    inReplyTo: m.inReplyTo,
    threadId,
    direction: m.direction,
    from: m.from,
    to: m.to,
    cc: m.cc,
    html: m.html,
    attachments: m.attachments ?? [],
    ...m.extra,
  };
  const created = m.targets.length
    ? await tx
        .insert(activities)
        .values(
          m.targets.map((t) => ({
            workspaceId: m.workspaceId,
            type: "email",
            subject: m.subject?.slice(0, 500) ?? null,
            body: m.text?.slice(0, 50_000) ?? null,
            properties,
            actorId: m.userId,
            happenedAt: m.sentAt,
            contactId: t.contactId ?? null,
            accountId: t.accountId ?? null,
            opportunityId: t.opportunityId ?? null,
            leadId: t.leadId ?? null,
          })),
        )
        .returning()
    : [];
  return { email: row, activities: created };
}

/** The records an earlier message of the thread was logged on (a reply from someone not yet a contact lands there). */
export async function threadTargets(tx: Executor, workspaceId: string, ids: string[]): Promise<EmailTarget[]> {
  if (!ids.length) return [];
  const [prior] = await tx
    .select({ targets: emailMessages.targets })
    .from(emailMessages)
    .where(sql`${emailMessages.workspaceId} = ${workspaceId} and ${emailMessages.messageId} = any(${`{${ids.map((k) => `"${k.replace(/["\\]/g, "")}"`).join(",")}}`}::text[]) and ${emailMessages.targets} <> '[]'::jsonb`)
    .limit(1);
  return prior?.targets ?? [];
}

/** One activity per open deal of each matched contact (with its account), else one on the contact. */
export function targetsFor(contacts: { id: string; accountId: string | null; openDealIds: string[] }[], leads: { id: string }[]): EmailTarget[] {
  const out: EmailTarget[] = [];
  const seenDeals = new Set<string>();
  for (const c of contacts) {
    const deals = c.openDealIds.filter((d) => !seenDeals.has(d));
    for (const d of deals) seenDeals.add(d);
    if (deals.length) for (const d of deals) out.push({ contactId: c.id, accountId: c.accountId, opportunityId: d });
    else out.push({ contactId: c.id, accountId: c.accountId });
  }
  for (const l of leads) out.push({ leadId: l.id });
  return out.slice(0, 20);
}
