import { env } from "cloudflare:workers";
import { and, desc, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { activities, attachments, auditLog, emailMessages, emailOutbox, leads } from "../../db/schema";
import worker from "../../worker/index";
import { createAccount, createContact, createOpportunity, expectProblem } from "../helpers/records";
import { api, createWorkspace, testDb, unique, type TestWorkspace } from "../helpers/worker";

let ws: TestWorkspace;
let wsAddress: string;
let myAddress: string;

interface Sent {
  rejected: string | null;
}
/** A ForwardableEmailMessage as Email Routing hands it to the Worker, around raw MIME. */
async function deliver(raw: string | Uint8Array, to: string, from = "sender@example.test"): Promise<Sent> {
  const bytes = typeof raw === "string" ? new TextEncoder().encode(raw.replace(/\r?\n/g, "\r\n")) : raw;
  const out: Sent = { rejected: null };
  const message = {
    from,
    to,
    raw: new Response(bytes).body!,
    rawSize: bytes.byteLength,
    headers: new Headers(),
    setReject: (reason: string) => void (out.rejected = reason),
    forward: async () => ({}) as never,
    reply: async () => ({}) as never,
    canBeForwarded: true,
  } as unknown as ForwardableEmailMessage;
  const waits: Promise<unknown>[] = [];
  await worker.email!(message, env, { waitUntil: (p: Promise<unknown>) => void waits.push(p), passThroughOnException() {}, props: {} } as unknown as ExecutionContext);
  await Promise.all(waits);
  return out;
}

function mime(o: { from: string; to: string; cc?: string; subject: string; messageId?: string; inReplyTo?: string; text: string; html?: string; attachment?: { name: string; type: string; base64: string } }) {
  const boundary = "b1_" + unique("mime");
  const head = [
    `From: ${o.from}`,
    `To: ${o.to}`,
    o.cc ? `Cc: ${o.cc}` : null,
    `Subject: ${o.subject}`,
    o.messageId ? `Message-ID: <${o.messageId}>` : null,
    o.inReplyTo ? `In-Reply-To: <${o.inReplyTo}>` : null,
    "Date: Thu, 03 Dec 2026 10:00:00 +0000",
    "MIME-Version: 1.0",
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
  ].filter(Boolean);
  const alt = `a_${boundary}`;
  const parts = [
    o.html
      ? `--${boundary}\nContent-Type: multipart/alternative; boundary="${alt}"\n\n--${alt}\nContent-Type: text/plain; charset=utf-8\n\n${o.text}\n--${alt}\nContent-Type: text/html; charset=utf-8\n\n${o.html}\n--${alt}--\n`
      : `--${boundary}\nContent-Type: text/plain; charset=utf-8\n\n${o.text}\n`,
  ];
  if (o.attachment) parts.push(`--${boundary}\nContent-Type: ${o.attachment.type}; name="${o.attachment.name}"\nContent-Disposition: attachment; filename="${o.attachment.name}"\nContent-Transfer-Encoding: base64\n\n${o.attachment.base64}\n`);
  return `${head.join("\n")}\n\n${parts.join("")}--${boundary}--\n`;
}

const PDF_B64 = btoa("%PDF-1.7\n" + "x".repeat(300) + "\n%%EOF\n");
const emailsOf = (col: "contactId" | "accountId" | "opportunityId" | "leadId", id: string) =>
  testDb().http.select().from(activities).where(and(eq(activities[col], id), eq(activities.type, "email")));
const rejections = () => testDb().http.select().from(auditLog).where(and(eq(auditLog.workspaceId, ws.id), eq(auditLog.action, "email.rejected"))).orderBy(desc(auditLog.at));

beforeAll(async () => {
  ws = await createWorkspace();
  const a = await api("/api/email/capture/workspace", { method: "POST", token: ws.admin.token });
  expect(a.status, JSON.stringify(a.body)).toBe(201);
  wsAddress = a.body.address;
  const m = await api("/api/email/capture/me", { method: "POST", token: ws.user.token });
  myAddress = m.body.address;
});

describe("inbound e-mail (the Worker's email() handler)", () => {
  it("gives each workspace and user a secret address on the configured domain, shown once", async () => {
    expect(wsAddress).toMatch(/^crm\+[0-9a-f]{32}@in\.crm\.test$/);
    expect(myAddress).not.toBe(wsAddress);
    const status = await api("/api/email/capture", { token: ws.user.token });
    expect(status.body).toMatchObject({ enabled: true, domain: "in.crm.test", me: { prefix: myAddress.slice(4, 10) }, workspace: { prefix: wsAddress.slice(4, 10) }, createLeads: false });
    expect(JSON.stringify(status.body)).not.toContain(myAddress.slice(4, 36));
    expectProblem(await api("/api/email/capture/workspace", { method: "POST", token: ws.user.token }), 403);
  });

  it("logs a BCC'd message on the contact, its account and its open deal, with attachments in R2 and sanitised HTML; a duplicate is dropped", async () => {
    const account = await createAccount(ws.user, { name: unique("Mailco") });
    const email = `${unique("pat")}@mailco.test`;
    const contact = await createContact(ws.user, { email, accountId: account.id });
    const deal = await createOpportunity(ws.user, { accountId: account.id, primaryContactId: contact.id });
    const messageId = `${unique("m")}@mail.example.test`;
    const raw = mime({
      from: `Rep <${ws.user.email}>`,
      to: `Pat <${email.toUpperCase()}>`,
      cc: wsAddress,
      subject: "Pricing for next year",
      messageId,
      text: "Here is the quote.",
      html: `<p onclick="steal()">Here is <b>the quote</b>.<script>alert(1)</script><img src="https://track.example/p.gif"><a href="javascript:alert(1)">x</a></p>`,
      attachment: { name: "quote.pdf", type: "application/pdf", base64: PDF_B64 },
    });
    const r = await deliver(raw, wsAddress, ws.user.email);
    expect(r.rejected).toBeNull();

    const [onContact] = await emailsOf("contactId", contact.id);
    expect(onContact).toMatchObject({ subject: "Pricing for next year", body: "Here is the quote.", accountId: account.id, opportunityId: deal.id, actorId: ws.user.id });
    const p = onContact!.properties as Record<string, any>;
    expect(p).toMatchObject({ direction: "outbound", messageId, threadId: messageId, from: ws.user.email.toLowerCase(), to: [email.toLowerCase()] });
    expect(p.html).toContain("<b>the quote</b>");
    expect(p.html).not.toMatch(/script|onclick|<img|javascript:/i);
    expect(p.attachments).toHaveLength(1);
    const [file] = await testDb().http.select().from(attachments).where(eq(attachments.id, p.attachments[0].id));
    expect(file).toMatchObject({ filename: "quote.pdf", contentType: "application/pdf", contactId: contact.id });
    expect(await (await env.ATTACHMENTS.get(file!.r2Key))!.text()).toContain("%PDF-1.7");

    for (const [entity, id] of [["contacts", contact.id], ["accounts", account.id], ["opportunities", deal.id]] as const) {
      const tl = await api(`/api/${entity}/${id}/timeline`, { token: ws.viewer.token });
      expect(tl.body.data.filter((i: { type: string; subject: string }) => i.type === "email" && i.subject === "Pricing for next year"), entity).toHaveLength(1);
    }

    const again = await deliver(raw, myAddress, ws.user.email);
    expect(again.rejected).toBeNull();
    expect(await emailsOf("contactId", contact.id)).toHaveLength(1);
    expect(await testDb().http.select().from(emailMessages).where(and(eq(emailMessages.workspaceId, ws.id), eq(emailMessages.messageId, messageId)))).toHaveLength(1);
    expect(await testDb().http.select().from(attachments).where(eq(attachments.contactId, contact.id))).toHaveLength(1);
  });

  it("refuses unknown senders (logged for the ADMIN) unless the workspace creates leads for them", async () => {
    const stranger = `${unique("stranger")}@nowhere.test`;
    const raw = mime({ from: stranger, to: wsAddress, subject: "Hello?", messageId: `${unique("s")}@nowhere.test`, text: "Interested" });
    const r = await deliver(raw, wsAddress, stranger);
    expect(r.rejected).toMatch(/^Sender not allowed: .* is neither a user nor a contact/);
    const [log] = await rejections();
    expect(log!.changes).toMatchObject({ reason: { to: r.rejected }, from: { to: stranger } });

    expect((await api("/api/email/settings", { method: "PUT", token: ws.admin.token, body: { createLeads: true } })).status).toBe(200);
    const ok = await deliver(raw, wsAddress, stranger);
    expect(ok.rejected).toBeNull();
    const [lead] = await testDb().http.select().from(leads).where(and(eq(leads.workspaceId, ws.id), eq(leads.email, stranger)));
    expect(lead).toBeTruthy();
    expect(await emailsOf("leadId", lead!.id)).toHaveLength(1);
    await api("/api/email/settings", { method: "PUT", token: ws.admin.token, body: { createLeads: false } });
  });

  it("refuses an over-size, a malformed, or a revoked-address message with a reason, storing nothing", async () => {
    const contact = await createContact(ws.user, { email: `${unique("big")}@big.test` });
    const big = mime({ from: ws.user.email, to: contact.email, subject: "Huge", messageId: `${unique("b")}@x.test`, text: "y".repeat(70_000) });
    const r1 = await deliver(big, wsAddress, ws.user.email);
    expect(r1.rejected).toMatch(/^Message too large: \d+ bytes; the limit is 65536 bytes/);
    const r2 = await deliver("this is not a mail at all", wsAddress, ws.user.email);
    expect(r2.rejected).toMatch(/^Malformed message/);
    expect((await rejections()).slice(0, 2).map((l) => (l.changes as any).reason.to)).toEqual([r2.rejected, r1.rejected]);

    const m = await api("/api/email/capture/me", { method: "POST", token: ws.admin.token });
    expect((await api("/api/email/capture/me", { method: "DELETE", token: ws.admin.token })).body).toEqual({ revoked: 1 });
    const r3 = await deliver(mime({ from: ws.admin.email, to: contact.email, subject: "x", text: "x" }), m.body.address, ws.admin.email);
    expect(r3.rejected).toMatch(/^Unknown address/);
    const r4 = await deliver(mime({ from: ws.admin.email, to: contact.email, subject: "x", text: "x" }), "crm+00000000000000000000000000000000@in.crm.test");
    expect(r4.rejected).toMatch(/^Unknown address/);
    expect(await emailsOf("contactId", contact.id)).toHaveLength(0);
  });
});

describe("sending from the CRM", () => {
  it("sends through the provider (dev outbox) with a Message-ID and a reply address, logs it, and the customer's reply threads under it", async () => {
    const account = await createAccount(ws.user);
    const email = `${unique("cus")}@customer.test`;
    const contact = await createContact(ws.user, { email, accountId: account.id });
    const sent = await api(`/api/contacts/${contact.id}/emails`, { method: "POST", token: ws.user.token, body: { to: email, subject: "Our proposal", text: "Please find it below." } });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    const [mail] = await testDb().http.select().from(emailOutbox).where(eq(emailOutbox.to, email));
    expect(mail).toMatchObject({ subject: "Our proposal", text: "Please find it below." });
    expect(mail!.headers!["Message-ID"]).toBe(`<${sent.body.messageId}>`);
    const replyTo = mail!.headers!["Reply-To"]!;
    expect(replyTo).toContain(ws.user.email);
    const replyAddress = replyTo.split(", ").find((a) => a.endsWith("@in.crm.test"))!;
    expect(replyAddress).toMatch(/^crm\+r[0-9a-f]{48}@in\.crm\.test$/);

    const [logged] = await emailsOf("contactId", contact.id);
    expect(logged).toMatchObject({ subject: "Our proposal", accountId: account.id, actorId: ws.user.id });
    expect((logged!.properties as any).direction).toBe("outbound");

    const r = await deliver(mime({ from: email, to: replyAddress, subject: "Re: Our proposal", messageId: `${unique("r")}@customer.test`, inReplyTo: sent.body.messageId, text: "Looks good" }), replyAddress, email);
    expect(r.rejected).toBeNull();
    const both = await emailsOf("contactId", contact.id);
    expect(both).toHaveLength(2);
    const reply = both.find((a) => a.subject === "Re: Our proposal")!;
    expect(reply.properties).toMatchObject({ direction: "inbound", threadId: sent.body.messageId, inReplyTo: sent.body.messageId });

    // A forged reply address (another workspace's id, or a bad signature) is unknown.
    const forged = replyAddress.replace(/r[0-9a-f]{32}/, `r${"0".repeat(32)}`);
    expect((await deliver(mime({ from: email, to: forged, subject: "x", text: "x" }), forged, email)).rejected).toMatch(/^Unknown address/);
  });

  it("sends an AI draft through the same path: delivered, logged, and the draft marked sent with what went out", async () => {
    const email = `${unique("ai")}@customer.test`;
    const contact = await createContact(ws.user, { email });
    const other = await createContact(ws.user, { email: `${unique("o")}@customer.test` });
    const drafted = await api("/api/ai/draft-email", { method: "POST", token: ws.user.token, body: { contactId: contact.id, intent: "book a call next week", tone: "friendly" } });
    expect(drafted.status, JSON.stringify(drafted.body)).toBe(200);
    const draftId = drafted.body.activityId as string;
    expect(drafted.body.to).toMatchObject({ contactId: contact.id, email });
    const send = (id: string, body: Record<string, unknown>) => api(`/api/contacts/${id}/emails`, { method: "POST", token: ws.user.token, body });
    const subject = unique("Call next week ");

    // Bad drafts are refused naming the field, before anything is sent.
    expectProblem(await send(contact.id, { to: email, subject, text: "x", draftId: "nope" }), 422, ["draftId"]);
    expectProblem(await send(contact.id, { to: email, subject, text: "x", draftId: crypto.randomUUID() }), 422, ["draftId"]);
    expectProblem(await send(other.id, { to: other.email, subject, text: "x", draftId }), 422, ["draftId"]);
    expect(await testDb().http.select().from(emailOutbox).where(eq(emailOutbox.subject, subject))).toHaveLength(0);

    const text = `${drafted.body.body}\n\nP.S. edited before sending`;
    const sent = await send(contact.id, { to: email, subject, text, draftId });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    const [mail] = await testDb().http.select().from(emailOutbox).where(eq(emailOutbox.subject, subject));
    expect(mail).toMatchObject({ to: email, text });
    const [logged] = (await emailsOf("contactId", contact.id)).filter((a) => a.subject === subject);
    expect(logged!.properties).toMatchObject({ direction: "outbound", draftActivityId: draftId });
    const draft = await api(`/api/activities/${draftId}`, { token: ws.user.token });
    expect(draft.body).toMatchObject({ subject, body: text, properties: { status: "sent", emailActivityId: logged!.id, sentTo: email } });

    // Sent once: the same draft again is a conflict, and nothing more goes out.
    expectProblem(await send(contact.id, { to: email, subject: `${subject} again`, text, draftId }), 409);
    expect(await testDb().http.select().from(emailOutbox).where(eq(emailOutbox.subject, `${subject} again`))).toHaveLength(0);
  });

  it("refuses a bad recipient naming the field, and a VIEWER cannot send", async () => {
    const contact = await createContact(ws.user, { email: `${unique("v")}@v.test` });
    expectProblem(await api(`/api/contacts/${contact.id}/emails`, { method: "POST", token: ws.user.token, body: { to: "not an address", subject: "s", text: "t" } }), 422, ["to"]);
    expectProblem(await api(`/api/contacts/${contact.id}/emails`, { method: "POST", token: ws.viewer.token, body: { to: contact.email, subject: "s", text: "t" } }), 403);
    void sql;
  });
});
