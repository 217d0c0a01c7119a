import type { Executor } from "../../db/client";
import { emailOutbox } from "../../db/schema";
import type { EmailMessage, EmailProvider } from "./types";

/**
 * Development provider: "sends" by storing the mail in email_outbox, readable at GET /api/dev/outbox, so the
 * password-reset flow works offline. Never the default in production (config refuses it unless explicitly allowed).
 */
export function outboxProvider(db: Executor): EmailProvider {
  return {
    name: "outbox",
    async send(m: EmailMessage) {
      const [row] = await db
        .insert(emailOutbox)
        .values({ to: m.to, subject: m.subject, text: m.text, html: m.html ?? null, headers: outboxHeaders(m) })
        .returning({ id: emailOutbox.id });
      return { id: row?.id ?? null };
    },
  };
}

/** What a real provider would put on the wire besides to/subject/body (kept so tests and the dev page can see it). */
function outboxHeaders(m: EmailMessage): Record<string, string> | null {
  const h: Record<string, string> = { ...m.headers };
  if (m.cc?.length) h.Cc = m.cc.join(", ");
  if (m.replyTo?.length) h["Reply-To"] = m.replyTo.join(", ");
  return Object.keys(h).length ? h : null;
}
