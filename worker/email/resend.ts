import { type EmailMessage, type EmailProvider, EmailSendError, errorDetail } from "./types";

/**
 * Resend's HTTP API: `POST {base}/emails` with a Bearer key and `{from, to, subject, text, html}`; answers
 * `{id}` or an error body `{statusCode, name, message}`.
 */
export function resendProvider(opts: { apiKey: string; from: string; baseUrl: string; fetch?: typeof fetch }): EmailProvider {
  const doFetch = opts.fetch ?? fetch;
  return {
    name: "resend",
    async send(m: EmailMessage) {
      const res = await doFetch(`${opts.baseUrl}/emails`, {
        method: "POST",
        headers: { Authorization: `Bearer ${opts.apiKey}`, "Content-Type": "application/json" },
        body: JSON.stringify({
          from: opts.from,
          to: [m.to],
          subject: m.subject,
          text: m.text,
          ...(m.html ? { html: m.html } : {}),
          ...(m.cc?.length ? { cc: m.cc } : {}),
          ...(m.replyTo?.length ? { reply_to: m.replyTo } : {}),
          ...(m.headers ? { headers: m.headers } : {}),
        }),
      });
      if (!res.ok) {
        throw new EmailSendError("resend", res.status, await errorDetail(res, (b) => (b.name ? `${b.name}: ${b.message}` : b.message)));
      }
      const body = (await res.json().catch(() => ({}))) as { id?: unknown };
      return { id: typeof body.id === "string" ? body.id : null };
    },
  };
}
