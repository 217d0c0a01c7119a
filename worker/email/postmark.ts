import { type EmailMessage, type EmailProvider, EmailSendError, errorDetail } from "./types";

/**
 * Postmark's HTTP API: `POST {base}/email` with `X-Postmark-Server-Token` and `{From, To, Subject, TextBody,
 * HtmlBody}`; answers `{MessageID, ErrorCode: 0}` or an error body `{ErrorCode, Message}` (HTTP 422 for most).
 */
export function postmarkProvider(opts: { apiKey: string; from: string; baseUrl: string; fetch?: typeof fetch }): EmailProvider {
  const doFetch = opts.fetch ?? fetch;
  return {
    name: "postmark",
    async send(m: EmailMessage) {
      const res = await doFetch(`${opts.baseUrl}/email`, {
        method: "POST",
        headers: { "X-Postmark-Server-Token": opts.apiKey, Accept: "application/json", "Content-Type": "application/json" },
        body: JSON.stringify({
          From: opts.from,
          To: m.to,
          Subject: m.subject,
          TextBody: m.text,
          ...(m.html ? { HtmlBody: m.html } : {}),
          ...(m.cc?.length ? { Cc: m.cc.join(", ") } : {}),
          ...(m.replyTo?.length ? { ReplyTo: m.replyTo.join(", ") } : {}),
          ...(m.headers ? { Headers: Object.entries(m.headers).map(([Name, Value]) => ({ Name, Value })) } : {}),
          MessageStream: "outbound",
        }),
      });
      const detail = () => errorDetail(res, (b) => (b.ErrorCode !== undefined ? `error ${b.ErrorCode}: ${b.Message}` : b.Message));
      if (!res.ok) throw new EmailSendError("postmark", res.status, await detail());
      const body = (await res.json().catch(() => ({}))) as { MessageID?: unknown; ErrorCode?: unknown; Message?: unknown };
      // Postmark can answer 200 with a non-zero ErrorCode.
      if (typeof body.ErrorCode === "number" && body.ErrorCode !== 0) {
        throw new EmailSendError("postmark", res.status, `error ${body.ErrorCode}: ${String(body.Message ?? "")}`);
      }
      return { id: typeof body.MessageID === "string" ? body.MessageID : null };
    },
  };
}
