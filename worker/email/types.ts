export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Conversation mail (the CRM's composer): replies go to these addresses too (the rep, the inbound address). */
  replyTo?: string[];
  cc?: string[];
  /** Extra headers: Message-ID (so replies thread back), In-Reply-To, References. */
  headers?: Record<string, string>;
}

/** Anything that delivers mail. `send` resolves once the provider accepted the message, and throws otherwise. */
export interface EmailProvider {
  readonly name: "outbox" | "resend" | "postmark";
  send(message: EmailMessage): Promise<{ id: string | null }>;
}

/** A provider refused or failed a message; `detail` is the provider's own explanation (never the API key). */
export class EmailSendError extends Error {
  constructor(
    readonly provider: string,
    readonly status: number,
    readonly detail: string,
  ) {
    super(`${provider} refused the message (HTTP ${status}): ${detail}`);
  }
}

/** A provider's error body as text: its JSON message when it has one, else the first bytes of whatever came back. */
export async function errorDetail(res: Response, pick: (body: Record<string, unknown>) => unknown): Promise<string> {
  const raw = await res.text().catch(() => "");
  try {
    const message = pick(JSON.parse(raw) as Record<string, unknown>);
    if (typeof message === "string" && message) return message;
  } catch {
    /* not JSON */
  }
  return raw.slice(0, 300) || res.statusText || "no response body";
}
