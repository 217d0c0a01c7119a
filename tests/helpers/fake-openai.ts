import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

declare module "vitest" {
  interface ProvidedContext {
    /** Fake OpenAI Responses API (tests/helpers/fake-openai.ts); point OPENAI_BASE_URL at `${url}/<scenario>/v1`. */
    fakeOpenAIUrl: string;
  }
}

/**
 * One scripted answer. Default: 200 with a completed Responses API object whose output text is `output` as JSON
 * (or `text` verbatim, e.g. malformed JSON). `status` ≥ 400 answers OpenAI's error body instead.
 */
export interface ScriptItem {
  output?: unknown;
  text?: string;
  status?: number;
  error?: { message: string; type: string; code: string | null };
  headers?: Record<string, string>;
  /** Wait this long before answering (a slow model, for timeouts). */
  delayMs?: number;
  usage?: { input_tokens: number; output_tokens: number };
  /** Response status inside a 200 body ("incomplete" for a cut-off answer). */
  responseStatus?: "completed" | "incomplete";
}

export interface ReceivedRequest {
  at: number;
  path: string;
  authorization: string | null;
  /** The parsed JSON request (null when it was not JSON); `any` so assertions can reach into it. */
  body: any;
  raw: string;
}

interface Scenario {
  queue: ScriptItem[];
  received: ReceivedRequest[];
}

/**
 * A local server speaking the OpenAI Responses API wire format (POST /v1/responses: response object with output
 * items and usage; error bodies {error: {message, type, code}}). Scenarios isolate test files that run in parallel:
 * each gets its own base URL `/<scenario>/v1`, script queue and request log.
 *   POST /__script/<scenario>   {responses: ScriptItem[]} replaces the queue and clears the log
 *   GET  /__requests/<scenario> what the server received, in order
 */
export async function startFakeOpenAI(): Promise<{ url: string; close: () => Promise<void> }> {
  const scenarios = new Map<string, Scenario>();
  const scenario = (name: string) => {
    let s = scenarios.get(name);
    if (!s) scenarios.set(name, (s = { queue: [], received: [] }));
    return s;
  };
  let seq = 0;

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    if (res.destroyed) return;
    res.writeHead(status, { "content-type": "application/json", "x-request-id": `req_fake_${++seq}`, ...headers });
    res.end(JSON.stringify(body));
  };
  const readBody = (req: IncomingMessage) =>
    new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
      req.on("error", reject);
    });

  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://fake");
      const parts = url.pathname.split("/").filter(Boolean);
      const raw = await readBody(req);

      if (parts[0] === "__script" && parts[1] && req.method === "POST") {
        const s = scenario(parts[1]);
        s.queue = (JSON.parse(raw || "{}") as { responses?: ScriptItem[] }).responses ?? [];
        s.received = [];
        return send(res, 200, { ok: true, queued: s.queue.length });
      }
      if (parts[0] === "__requests" && parts[1] && req.method === "GET") {
        return send(res, 200, { requests: scenario(parts[1]).received });
      }

      // /v1/responses (scenario "default") or /<scenario>/v1/responses
      const name = parts[0] === "v1" ? "default" : parts[0]!;
      const rest = parts[0] === "v1" ? parts : parts.slice(1);
      if (req.method !== "POST" || rest.join("/") !== "v1/responses") {
        return send(res, 404, { error: { message: `Invalid URL (${req.method} ${url.pathname})`, type: "invalid_request_error", code: null } });
      }
      const s = scenario(name);
      let body: Record<string, unknown> | null = null;
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        /* recorded as raw */
      }
      const authorization = req.headers.authorization ?? null;
      s.received.push({ at: Date.now(), path: url.pathname, authorization, body, raw });
      if (!authorization?.startsWith("Bearer ")) {
        return send(res, 401, { error: { message: "You didn't provide an API key.", type: "invalid_request_error", code: null } });
      }
      const item = s.queue.shift();
      if (!item) {
        return send(res, 500, { error: { message: `fake: nothing scripted for scenario ${name}`, type: "server_error", code: null } }, { "x-should-retry": "false" });
      }
      if (item.delayMs) await new Promise((r) => setTimeout(r, item.delayMs));
      if (item.status && item.status >= 400) {
        return send(res, item.status, { error: item.error ?? { message: "error", type: "server_error", code: null } }, item.headers);
      }
      const text = item.text ?? JSON.stringify(item.output ?? {});
      const usage = item.usage ?? { input_tokens: Math.ceil(raw.length / 4), output_tokens: Math.ceil(text.length / 4) };
      const id = ++seq;
      return send(
        res,
        200,
        {
          id: `resp_fake_${id}`,
          object: "response",
          created_at: Math.floor(Date.now() / 1000),
          status: item.responseStatus ?? "completed",
          error: null,
          incomplete_details: item.responseStatus === "incomplete" ? { reason: "max_output_tokens" } : null,
          instructions: body?.instructions ?? null,
          model: (body?.model as string) ?? "gpt-fake",
          output: [
            {
              type: "message",
              id: `msg_fake_${id}`,
              status: "completed",
              role: "assistant",
              content: [{ type: "output_text", text, annotations: [] }],
            },
          ],
          parallel_tool_calls: true,
          store: body?.store ?? true,
          text: body?.text ?? { format: { type: "text" } },
          tools: [],
          usage: {
            input_tokens: usage.input_tokens,
            input_tokens_details: { cached_tokens: 0 },
            output_tokens: usage.output_tokens,
            output_tokens_details: { reasoning_tokens: 0 },
            total_tokens: usage.input_tokens + usage.output_tokens,
          },
        },
        item.headers,
      );
    } catch (err) {
      send(res, 500, { error: { message: `fake: ${String(err)}`, type: "server_error", code: null } });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
