/**
 * A webhook receiver for the tests (Node side, started by the global setup; workerd cannot listen on a socket).
 * Each test uses its own path so state never leaks between tests:
 * - POST /hooks/<name>          records the request (headers, raw body) and answers 200, or the configured failure
 * - POST /control/<name>        JSON {fail: n, status?: 500}: answer the next n deliveries with that status
 * - GET  /control/<name>        → {requests: [{headers, body, receivedAt}]}
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

interface Received {
  headers: Record<string, string>;
  body: string;
  receivedAt: string;
}

export async function startWebhookReceiver(): Promise<{ url: string; close(): Promise<void> }> {
  const state = new Map<string, { requests: Received[]; fail: number; status: number }>();
  const of = (name: string) => {
    let s = state.get(name);
    if (!s) state.set(name, (s = { requests: [], fail: 0, status: 500 }));
    return s;
  };
  const read = (req: IncomingMessage) =>
    new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
      req.on("error", reject);
    });

  const server = createServer(async (req, res) => {
    const m = /^\/(hooks|control)\/([\w.-]+)$/.exec(req.url ?? "");
    if (!m) {
      res.writeHead(404).end();
      return;
    }
    const s = of(m[2]!);
    const body = await read(req);
    if (m[1] === "control") {
      if (req.method === "POST") {
        const cmd = JSON.parse(body || "{}") as { fail?: number; status?: number };
        s.fail = cmd.fail ?? 0;
        s.status = cmd.status ?? 500;
        res.writeHead(204).end();
      } else {
        res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ requests: s.requests }));
      }
      return;
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers[k] = v;
    s.requests.push({ headers, body, receivedAt: new Date().toISOString() });
    if (s.fail > 0) {
      s.fail--;
      res.writeHead(s.status, { "Content-Type": "text/plain" }).end("receiver told to fail");
      return;
    }
    res.writeHead(200, { "Content-Type": "text/plain" }).end("ok");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
