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
        .values({ to: m.to, subject: m.subject, text: m.text, html: m.html ?? null })
        .returning({ id: emailOutbox.id });
      return { id: row?.id ?? null };
    },
  };
}
