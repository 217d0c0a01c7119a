/**
 * A local stand-in for the outside services the Worker talks to in production, speaking their wire formats:
 * - Resend: POST /emails (Bearer key; `{from, to, subject, text, html}` → `{id}`; errors `{statusCode, name, message}`)
 * - Postmark: POST /email (X-Postmark-Server-Token; `{From, To, Subject, TextBody, HtmlBody}` → `{MessageID, ErrorCode: 0}`;
 *   errors `{ErrorCode, Message}`)
 * - Sentry: POST /api/<project>/envelope/ (the SDK's envelope format)
 * Tests read what arrived at GET /__mails?to=<address> and GET /__sentry. Node side (global setup).
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface CapturedMail {
  provider: "resend" | "postmark";
  apiKey: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string | null;
}

/** A key the fakes refuse, to exercise the providers' error handling. */
export const REJECTED_API_KEY = "rejected-key";

export async function startFakeProviders(): Promise<{ url: string; close(): Promise<void> }> {
  const mails: CapturedMail[] = [];
  const envelopes: string[] = [];

  const body = (req: IncomingMessage) =>
    new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
      req.on("error", reject);
    });
  const json = (res: ServerResponse, status: number, value: unknown) => {
    res.writeHead(status, { "Content-Type": "application/json" });
    res.end(JSON.stringify(value));
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://fake");
    const raw = req.method === "POST" ? await body(req) : "";
    let parsed: Record<string, unknown> = {};
    try {
      parsed = raw ? JSON.parse(raw) : {};
    } catch {
      /* Sentry envelopes are newline-delimited */
    }

    if (req.method === "POST" && url.pathname === "/emails") {
      const key = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
      if (!key) return json(res, 401, { statusCode: 401, name: "missing_api_key", message: "Missing API key in the authorization header." });
      if (key === REJECTED_API_KEY) return json(res, 403, { statusCode: 403, name: "invalid_api_key", message: "API key is invalid" });
      const to = Array.isArray(parsed.to) ? parsed.to[0] : parsed.to;
      for (const field of ["from", "subject"] as const) {
        if (typeof parsed[field] !== "string") return json(res, 422, { statusCode: 422, name: "validation_error", message: `Missing \`${field}\` field.` });
      }
      if (typeof to !== "string") return json(res, 422, { statusCode: 422, name: "validation_error", message: "Missing `to` field." });
      mails.push({ provider: "resend", apiKey: key, from: parsed.from as string, to, subject: parsed.subject as string, text: String(parsed.text ?? ""), html: (parsed.html as string) ?? null });
      return json(res, 200, { id: randomUUID() });
    }

    if (req.method === "POST" && url.pathname === "/email") {
      const key = req.headers["x-postmark-server-token"];
      if (typeof key !== "string" || !key) return json(res, 401, { ErrorCode: 10, Message: "No Account or Server API tokens were supplied in the HTTP headers." });
      if (key === REJECTED_API_KEY) return json(res, 401, { ErrorCode: 10, Message: "The Server API token provided is invalid." });
      if (typeof parsed.To !== "string" || !parsed.To) return json(res, 422, { ErrorCode: 300, Message: "Invalid 'To' address: ''." });
      mails.push({ provider: "postmark", apiKey: key, from: String(parsed.From), to: parsed.To, subject: String(parsed.Subject), text: String(parsed.TextBody ?? ""), html: (parsed.HtmlBody as string) ?? null });
      return json(res, 200, { To: parsed.To, SubmittedAt: new Date().toISOString(), MessageID: randomUUID(), ErrorCode: 0, Message: "OK" });
    }

    if (req.method === "POST" && /^\/api\/[^/]+\/envelope\/?$/.test(url.pathname)) {
      envelopes.push(raw);
      return json(res, 200, { id: randomUUID().replace(/-/g, "") });
    }

    if (req.method === "GET" && url.pathname === "/__mails") {
      const to = url.searchParams.get("to")?.toLowerCase();
      return json(res, 200, mails.filter((m) => !to || m.to.toLowerCase() === to));
    }
    if (req.method === "GET" && url.pathname === "/__sentry") {
      const contains = url.searchParams.get("contains") ?? "";
      return json(res, 200, envelopes.filter((e) => e.includes(contains)));
    }
    json(res, 404, { message: `fake providers: no route for ${req.method} ${url.pathname}` });
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
