/**
 * A webhook receiver for the tests (Node side, started by the global setup; workerd cannot listen on a socket).
 * Each test uses its own path so state never leaks between tests:
 * - POST /hooks/<name>          records the request (headers, raw body) and answers 200, or the configured failure
 * - POST /control/<name>        JSON {fail: n, status?: 500}: answer the next n deliveries with that status
 * - GET  /control/<name>        → {requests: [{headers, body, receivedAt}]}
 * - GET  /dns-query?name=&type=  a DNS-over-HTTPS resolver (the JSON API of Cloudflare's and Google's) over the
 *                                 fixed zone DNS_ZONE below; other names answer NXDOMAIN (Status 3)
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

interface Received {
  headers: Record<string, string>;
  body: string;
  receivedAt: string;
}

/** What the fake resolver answers: a public name, names that point inside (the SSRF cases), a v6 loopback. */
export const DNS_ZONE: Record<string, { A?: string[]; AAAA?: string[] }> = {
  "public.example.com": { A: ["93.184.216.34"], AAAA: ["2606:2800:220:1::1"] },
  "loopback.example.com": { A: ["127.0.0.1"] },
  "mixed.example.com": { A: ["93.184.216.34", "10.0.0.7"] },
  "v6loop.example.com": { AAAA: ["::1"] },
  "sixtofour.example.com": { AAAA: ["2002:7f00:1::1"] },
};

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
    const dns = new URL(req.url ?? "/", "http://fake");
    if (dns.pathname === "/dns-query") {
      const name = (dns.searchParams.get("name") ?? "").toLowerCase().replace(/\.$/, "");
      const type = dns.searchParams.get("type") === "AAAA" ? "AAAA" : "A";
      const zone = DNS_ZONE[name];
      const answer = (zone?.[type] ?? []).map((data) => ({ name, type: type === "A" ? 1 : 28, TTL: 60, data }));
      res.writeHead(200, { "Content-Type": "application/dns-json" }).end(JSON.stringify({ Status: zone ? 0 : 3, Question: [{ name, type: type === "A" ? 1 : 28 }], Answer: answer }));
      return;
    }
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
