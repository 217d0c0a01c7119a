import { and, eq, sql } from "drizzle-orm";
import PostalMime, { type Email } from "postal-mime";
import type { Database } from "../../../db/client";
import { attachments, leads, users, workspaces } from "../../../db/schema";
import type { Config } from "../../config";
import { sha256Hex } from "../../lib/tokens";
import { attachmentKey, type AttachmentStore } from "../../storage/attachments";
import { cleanFilename, resolveContentType, SNIFF_BYTES } from "../attachments/content-type";
import { emit } from "../../events/outbox";
import { recordAudit, type Actor } from "../audit/record";
import { resolveCaptureToken } from "../capture-tokens/resolve";
import { serialize } from "../records/serialize";
import { addressesOf, inboundToken, messageIdsIn } from "./addresses";
import { matchParticipants } from "./match";
import { recordEmail, targetsFor, threadTargets, type EmailTarget } from "./record";
import { workspaceOfReplyToken } from "./reply-address";
import { sanitizeEmailHtml } from "./sanitize";
import { emailSettings } from "./settings";

/** A message the CRM refuses: the reason goes back to the sender as the bounce text (setReject). */
export class InboundRejection extends Error {
  constructor(
    readonly reason: string,
    readonly workspaceId: string | null,
  ) {
    super(reason);
  }
}

export type InboundOutcome = { status: "stored"; workspaceId: string; emailId: string; activityIds: string[]; outbox: number[] } | { status: "duplicate"; workspaceId: string; emailId: null };

/**
 * Captures one message sent to an inbound address (`crm+<secret>@INBOUND_EMAIL_DOMAIN`): checks the size, the address,
 * the MIME and the sender; drops a Message-ID the workspace already has; matches the participants to contacts (and
 * leads; a new lead for an unknown sender when the workspace wants it); then writes the e-mail, one `email` activity
 * per record it belongs on (the contact with its account, each of its open deals) and its attachments — R2 objects
 * first, rows in one transaction, objects removed again if that fails. Throws InboundRejection for anything the
 * sender should be told; any other error means "try again later" (nothing was stored).
 */
export async function captureInboundEmail(input: { db: Database; store: AttachmentStore; config: Config; envelopeTo: string; envelopeFrom: string; size: number; read: () => Promise<Uint8Array> }): Promise<InboundOutcome> {
  const { db, store, config } = input;
  const max = config.INBOUND_EMAIL_MAX_BYTES;
  const token = inboundToken(input.envelopeTo, config.INBOUND_EMAIL_DOMAIN);
  const replyWs = token ? await workspaceOfReplyToken(config.JWT_SECRET, token) : null;
  const owner = replyWs
    ? { workspaceId: replyWs, userId: null }
    : token
      ? await resolveCaptureToken(db.http, ["inbound_workspace", "inbound_user"], token)
      : null;
  const exists = owner ? (await db.http.select({ id: workspaces.id }).from(workspaces).where(eq(workspaces.id, owner.workspaceId))).length > 0 : false;
  if (!owner || !exists) throw new InboundRejection("Unknown address: this inbound address does not exist or was revoked", null);
  const ws = owner.workspaceId;
  // Checked before a byte is read (the envelope's size), and again on what was read.
  if (input.size > max) throw new InboundRejection(`Message too large: ${input.size} bytes; the limit is ${max} bytes`, ws);
  const raw = await input.read();
  if (raw.byteLength > max) throw new InboundRejection(`Message too large: ${raw.byteLength} bytes; the limit is ${max} bytes`, ws);

  let mail: Email;
  try {
    mail = await PostalMime.parse(raw, { attachmentEncoding: "arraybuffer", maxNestingDepth: 50 });
  } catch (err) {
    throw new InboundRejection(`Malformed message: ${String(err instanceof Error ? err.message : err).slice(0, 200)}`, ws);
  }
  const from = addressesOf(mail.from)[0]?.address;
  if (!from) throw new InboundRejection("Malformed message: no From header with an address", ws);
  // No Message-ID: the content's hash stands in, so the same message delivered twice is still one.
  const messageId = messageIdsIn(mail.messageId)[0] ?? mail.messageId?.trim().slice(0, 500) ?? `${await sha256Hex(new TextDecoder().decode(raw))}@no-message-id`;
  const inReplyTo = messageIdsIn(mail.inReplyTo)[0] ?? null;
  const references = messageIdsIn(mail.references);
  const to = addressesOf(mail.to).map((a) => a.address);
  const cc = addressesOf(mail.cc).map((a) => a.address);
  const domain = config.INBOUND_EMAIL_DOMAIN?.toLowerCase();
  const people = [...new Set([from, ...to, ...cc])].filter((a) => !domain || !a.endsWith(`@${domain}`));

  const staff = await db.http
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(and(eq(users.workspaceId, ws), eq(users.active, true), sql`lower(${users.email}) = any(${`{${people.map((p) => `"${p.replace(/["\\]/g, "")}"`).join(",")}}`}::text[])`));
  const staffEmails = new Set(staff.map((s) => s.email.toLowerCase()));
  const sender = staff.find((s) => s.email.toLowerCase() === from);
  // A rep BCCs or forwards their own mail (outbound); anyone else writing to the address is a customer (inbound).
  const direction = sender ? "outbound" : "inbound";
  const external = people.filter((p) => !staffEmails.has(p));
  const matched = await matchParticipants(db.http, ws, external);
  const settings = await emailSettings(db.http, ws);
  const thread = await threadTargets(db.http, ws, [inReplyTo, ...references].filter((x): x is string => !!x));

  const senderKnown = !!sender || matched.contacts.length > 0 || matched.leads.some((l) => l.email === from) || (await senderIsContact(db, ws, from)) || thread.length > 0;
  if (!senderKnown && !settings.createLeads) {
    throw new InboundRejection(`Sender not allowed: ${from} is neither a user nor a contact of this workspace`, ws);
  }

  let targets: EmailTarget[] = targetsFor(matched.contacts, matched.leads);
  if (!targets.length) targets = thread;
  const newLead = !targets.length && direction === "inbound" && settings.createLeads ? { from, name: addressesOf(mail.from)[0]?.name ?? "" } : null;
  if (!targets.length && !newLead) throw new InboundRejection("No contact in the CRM matches the sender or the recipients; add the contact first, then send again", ws);

  const [dup] = await db.http.execute(sql`select 1 from email_messages where workspace_id = ${ws} and message_id = ${messageId}`).then((r) => (r as unknown as { rows: unknown[] }).rows ?? []);
  if (dup) return { status: "duplicate", workspaceId: ws, emailId: null };

  // Attachments: checked like uploads (size, type by content), stored on the first record the message lands on.
  const files = mail.attachments.filter((a) => a.disposition !== "inline" || a.filename).slice(0, 20);
  const stored: { key: string; filename: string; contentType: string; size: number }[] = [];
  const skipped: string[] = [];
  const anchor = targets[0] ?? null;
  const parentType = anchor?.contactId ? "contact" : anchor?.leadId ? "lead" : anchor?.opportunityId ? "opportunity" : "account";
  const parentId = anchor?.contactId ?? anchor?.leadId ?? anchor?.opportunityId ?? anchor?.accountId ?? null;
  try {
    for (const a of files) {
      const bytes = typeof a.content === "string" ? new TextEncoder().encode(a.content) : new Uint8Array(a.content as ArrayBuffer);
      const filename = cleanFilename(a.filename ?? "attachment");
      const verdict = resolveContentType({ declared: a.mimeType, filename, head: bytes.slice(0, SNIFF_BYTES), allowed: config.UPLOAD_ALLOWED_TYPES });
      if (!verdict.ok || !bytes.byteLength || bytes.byteLength > config.UPLOAD_MAX_BYTES || !parentId) {
        skipped.push(filename);
        continue;
      }
      const key = attachmentKey(ws, parentType, parentId);
      await store.put(key, new Blob([bytes as Uint8Array<ArrayBuffer>]), { contentType: verdict.contentType, size: bytes.byteLength, customMetadata: { workspaceId: ws, recordId: parentId, source: "email" } });
      stored.push({ key, filename, contentType: verdict.contentType, size: bytes.byteLength });
    }

    const actor: Actor = { userId: sender?.id ?? owner.userId, workspaceId: ws, requestId: `email:${messageId}`.slice(0, 200), outbox: [] };
    const result = await db.transaction(async (tx) => {
      if (newLead) {
        const [first, ...rest] = (newLead.name || newLead.from.split("@")[0]!).split(/\s+/);
        const [lead] = await tx
          .insert(leads)
          .values({ workspaceId: ws, firstName: first ?? null, lastName: rest.join(" ") || newLead.from, email: newLead.from, ownerId: owner.userId, source: "email" } as typeof leads.$inferInsert)
          .returning();
        targets = [{ leadId: lead!.id }];
        await recordAudit(tx, actor, { action: "create", entityType: "lead", entityId: lead!.id, changes: { email: { from: null, to: newLead.from }, source: { from: null, to: "email" } } });
        await emit(tx, actor, { type: "lead.created", entityType: "lead", entityId: lead!.id, data: serialize(lead as Record<string, unknown>) });
      }
      const link = targets[0]!;
      const rows = stored.length
        ? await tx
            .insert(attachments)
            .values(stored.map((s) => ({ workspaceId: ws, r2Key: s.key, filename: s.filename, contentType: s.contentType, size: s.size, uploadedBy: actor.userId, contactId: link.contactId ?? null, leadId: link.leadId ?? null, opportunityId: link.contactId || link.leadId ? null : (link.opportunityId ?? null), accountId: link.contactId || link.leadId || link.opportunityId ? null : (link.accountId ?? null) })))
            .returning()
        : [];
      const saved = await recordEmail(tx, {
        workspaceId: ws,
        messageId,
        inReplyTo,
        references,
        direction,
        source: "inbound",
        from,
        to,
        cc,
        subject: mail.subject?.trim() || null,
        text: mail.text?.trim() || null,
        html: sanitizeEmailHtml(mail.html),
        userId: actor.userId,
        size: raw.byteLength,
        sentAt: mail.date && !Number.isNaN(Date.parse(mail.date)) ? new Date(mail.date) : new Date(),
        targets,
        attachments: rows.map((r) => ({ id: r.id, filename: r.filename, contentType: r.contentType, size: r.size })),
        extra: skipped.length ? { skippedAttachments: skipped } : undefined,
      });
      // The same Message-ID committed by a concurrent delivery: undo this one (the other is the message).
      if (!saved) throw new DuplicateRace();
      // The timeline entries' events, in the same transaction (the handler relays them after the commit).
      await emit(tx, actor, saved.activities.map((a) => ({ type: "activity.created" as const, entityType: "activity", entityId: a.id, data: serialize(a as Record<string, unknown>) })));
      await recordAudit(tx, actor, { action: "email.captured", entityType: "email", entityId: saved.email.id, changes: { messageId: { from: null, to: messageId }, activities: { from: null, to: saved.activities.length } } });
      return saved;
    });
    return {
      status: "stored",
      workspaceId: ws,
      emailId: result.email.id,
      activityIds: result.activities.map((a) => a.id),
      outbox: actor.outbox ?? [],
    };
  } catch (err) {
    for (const s of stored) {
      await store.delete(s.key).catch((e) => console.error(JSON.stringify({ level: "error", msg: "orphaned e-mail attachment object", key: s.key, error: String(e) })));
    }
    if (err instanceof DuplicateRace) return { status: "duplicate", workspaceId: ws, emailId: null };
    throw err;
  }
}

class DuplicateRace extends Error {}

async function senderIsContact(db: Database, ws: string, from: string) {
  const m = await matchParticipants(db.http, ws, [from]);
  return m.contacts.length > 0 || m.leads.length > 0;
}

/** Logs a refused message for the workspace's ADMINs (audit trail), when the address named a workspace. */
export async function logRejection(db: Database, rejection: InboundRejection, meta: { from: string; to: string; subject: string | null; size: number }) {
  if (!rejection.workspaceId) return;
  const [ws] = await db.http.select({ id: workspaces.id }).from(workspaces).where(eq(workspaces.id, rejection.workspaceId));
  if (!ws) return;
  await recordAudit(db.http, { userId: null, workspaceId: ws.id }, {
    action: "email.rejected",
    entityType: "email",
    entityId: null,
    changes: { reason: { from: null, to: rejection.reason }, from: { from: null, to: meta.from }, to: { from: null, to: meta.to }, subject: { from: null, to: meta.subject }, size: { from: null, to: meta.size } },
  });
}
