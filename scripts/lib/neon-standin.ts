/**
 * Local stand-in for the two parts of Neon the Worker talks to:
 *
 *  - the WebSocket proxy (`/v1?address=HOST:PORT`) that carries the Postgres wire protocol for the driver's
 *    Pool/Client, including the part of Neon's proxy that authenticates on the client's behalf;
 *  - the HTTP SQL API (`POST /sql`) behind `neon()` / drizzle-orm/neon-http.
 *
 * Node-side only (dev server, tests). Targets are restricted to loopback: this is not a general relay.
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from "node:crypto";
import http from "node:http";
import { createRequire } from "node:module";
import net from "node:net";
import pg from "pg";
import type { WebSocket } from "ws";

// `import "ws"` can resolve to ws's browser stub under vitest's Node-side loaders; require always gets the server.
const { WebSocketServer } = createRequire(import.meta.url)("ws") as typeof import("ws");

export interface NeonStandinOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** One line per relayed connection and per /sql request. */
  log?: boolean;
  /** Sees every statement (or batch) that arrives over HTTP: the benchmark replays them on `pg` as its floor. */
  onSql?: (statements: SqlQuery[]) => void;
  /**
   * Timing of each `POST /sql`: from its first byte to the reply written, and the part spent waiting for Postgres.
   * The benchmark splits a request's overhead into the stand-in's share and the Worker's with it.
   */
  onSqlTiming?: (timing: { ms: number; dbMs: number }) => void;
}

export interface NeonStandin {
  /** `http://HOST:PORT`; the Worker's `wsProxy` wants the `HOST:PORT` part, `fetchEndpoint` is `${url}/sql`. */
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startNeonStandin(options: NeonStandinOptions = {}): Promise<NeonStandin> {
  const host = options.host ?? "127.0.0.1";
  const log = options.log ? (line: string) => console.log(`[neon-standin] ${line}`) : () => {};

  const relays = new Set<Relay>();
  const sql = new SqlEndpoint(log, options.onSql, options.onSqlTiming);
  const wss = new WebSocketServer({ noServer: true });

  const server = http.createServer((req, res) => {
    if (req.method === "POST" && new URL(req.url ?? "/", "http://standin").pathname === "/sql") {
      void sql.handle(req, res);
    } else {
      res.writeHead(404, { "content-type": "text/plain" }).end("Neon stand-in: POST /sql or WebSocket /v1\n");
    }
  });

  server.on("upgrade", (req, socket, head) => {
    const target = parseRelayTarget(req.url ?? "/");
    if ("refusal" in target) {
      socket.end(`HTTP/1.1 ${target.refusal}\r\nConnection: close\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const relay = new Relay(ws, target.host, target.port, log);
      relays.add(relay);
      ws.once("close", () => relays.delete(relay));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as net.AddressInfo;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  log(`listening on ${url}`);

  return {
    url,
    port,
    async close() {
      for (const relay of relays) relay.destroy();
      wss.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await sql.end();
    },
  };
}

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

function parseRelayTarget(requestUrl: string): { host: string; port: number } | { refusal: string } {
  const url = new URL(requestUrl, "http://standin");
  if (url.pathname !== "/v1") return { refusal: "404 Not Found" };
  const match = /^(.+):(\d{1,5})$/.exec(url.searchParams.get("address") ?? "");
  if (!match) return { refusal: "400 Bad Request" };
  const host = match[1]!.replace(/^\[(.*)\]$/, "$1");
  if (!isLoopback(host)) return { refusal: "403 Forbidden" };
  return { host, port: Number(match[2]) };
}

// ---------------------------------------------------------------------------------------------------------------
// WebSocket proxy
// ---------------------------------------------------------------------------------------------------------------

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const AUTHENTICATION = 0x52; // 'R'
const PASSWORD = 0x70; // 'p': password, SASLInitialResponse and SASLResponse alike
const TERMINATE = 0x58; // 'X'

interface Message {
  /** Undefined for the untyped start-up family (SSLRequest, StartupMessage, CancelRequest). */
  type?: number;
  /** The whole message as it travels on the wire. */
  bytes: Buffer;
  /** The message after its type byte and length. */
  body: Buffer;
}

/**
 * Cuts a Postgres protocol stream, which arrives in arbitrary chunks, into whole messages. A frontend stream opens
 * with untyped messages (an optional SSL/GSS request, then the start-up packet); every later message has a type byte.
 */
class MessageReader {
  private pending: Buffer = Buffer.alloc(0);

  constructor(private untyped: boolean) {}

  read(chunk: Buffer): Message[] {
    let buffer = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    const messages: Message[] = [];
    for (;;) {
      const headerSize = this.untyped ? 4 : 5;
      if (buffer.length < headerSize) break;
      const size = this.untyped ? buffer.readInt32BE(0) : 1 + buffer.readInt32BE(1);
      if (size < headerSize) throw new Error(`malformed Postgres message (length ${size})`);
      if (buffer.length < size) break;
      const bytes = buffer.subarray(0, size);
      buffer = buffer.subarray(size);
      if (this.untyped) {
        const code = bytes.readInt32BE(4);
        messages.push({ bytes, body: bytes.subarray(4) });
        this.untyped = code === SSL_REQUEST || code === GSSENC_REQUEST;
      } else {
        messages.push({ type: bytes[0], bytes, body: bytes.subarray(5) });
      }
    }
    this.pending = buffer;
    return messages;
  }

  /** Hands over an incomplete trailing message, for a caller that relays raw bytes from here on. */
  takePending(): Buffer {
    const pending = this.pending;
    this.pending = Buffer.alloc(0);
    return pending;
  }
}

/**
 * Follows message boundaries in a typed stream without buffering bodies, for the bytes relayed as they come after
 * start-up: a multi-megabyte Bind must not be re-assembled just to learn that it is not a Terminate.
 */
class MessageScanner {
  private header: Buffer = Buffer.alloc(0);
  private remaining = 0;

  /** True if a Terminate message starts in this chunk. */
  sawTerminate(chunk: Buffer): boolean {
    let terminate = false;
    let offset = 0;
    while (offset < chunk.length) {
      if (this.remaining > 0) {
        const skipped = Math.min(this.remaining, chunk.length - offset);
        this.remaining -= skipped;
        offset += skipped;
        continue;
      }
      const take = Math.min(5 - this.header.length, chunk.length - offset);
      this.header = Buffer.concat([this.header, chunk.subarray(offset, offset + take)]);
      offset += take;
      if (this.header.length < 5) break;
      terminate ||= this.header[0] === TERMINATE;
      this.remaining = this.header.readInt32BE(1) - 4;
      this.header = Buffer.alloc(0);
    }
    return terminate;
  }
}

function encodeMessage(type: string, body: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.write(type, 0, "latin1");
  header.writeInt32BE(4 + body.length, 1);
  return Buffer.concat([header, body]);
}

function cString(value: string): Buffer {
  return Buffer.from(`${value}\0`);
}

/** A FATAL ErrorResponse, so the driver reports the relay's own failures like any server error. */
function fatalError(code: string, message: string): Buffer {
  return encodeMessage("E", Buffer.concat([cString("SFATAL"), cString("VFATAL"), cString(`C${code}`), cString(`M${message}`), Buffer.from([0])]));
}

function readCStrings(body: Buffer): string[] {
  return body.toString("utf8").split("\0").slice(0, -1);
}

/** StartupMessage parameters are name/value pairs of C strings. */
function startupParameter(parameters: Buffer, name: string): string | undefined {
  const strings = readCStrings(parameters);
  for (let i = 0; i + 1 < strings.length; i += 2) if (strings[i] === name) return strings[i + 1];
  return undefined;
}

const HIGH_WATER = 1 << 20;

/**
 * One client WebSocket bridged to one Postgres TCP connection.
 *
 * Like Neon's proxy, the relay takes over authentication: the driver's default `pipelineConnect: "password"` sends
 * the start-up packet, a cleartext password and the first query in one go, without waiting for the server to ask.
 * Postgres itself rejects a password it did not ask for ("invalid frontend message type 112"), so the relay keeps the
 * pipelined password and answers whatever the server requests (nothing for trust, cleartext, MD5 or SCRAM-SHA-256),
 * holding the pipelined query until authentication succeeds. The driver never pays for SCRAM, as with real Neon.
 * A client that does not pipeline (`pipelineConnect: false`) authenticates itself through the relay unchanged.
 * After authentication the relay is a byte pipe that only watches client messages for Terminate.
 */
class Relay {
  private readonly server: net.Socket;
  /** Until authentication is over, both directions are parsed; afterwards bytes flow as they come. */
  private readonly fromClient = new MessageReader(true);
  private readonly fromServer = new MessageReader(false);
  private readonly clientAfterAuth = new MessageScanner();
  private authenticated = false;
  /** Set once a server authentication request has been passed to the client: it answers for itself. */
  private clientAuthenticates = false;
  private user = "";
  private pipelinedPassword: string | undefined;
  private scram: ScramClient | undefined;
  /** Client messages pipelined behind the start-up, sent on once authentication is over. */
  private held: Buffer[] = [];
  private closed = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly host: string,
    private readonly port: number,
    private readonly log: (line: string) => void,
  ) {
    this.server = net.connect({ host, port, noDelay: true });
    log(`relay open → ${host}:${port}`);

    ws.on("message", (data: Buffer) => this.guard(() => this.onClientData(data)));
    ws.on("close", () => this.close());
    ws.on("error", () => this.close());
    this.server.on("data", (data: Buffer) => this.guard(() => this.onServerData(data)));
    this.server.on("drain", () => ws.resume());
    this.server.on("error", (error) => {
      if (!this.authenticated) this.sendToClient(fatalError("08006", `Neon stand-in could not reach ${host}:${port}: ${error.message}`));
      this.close();
    });
    this.server.on("close", () => this.close());
  }

  /** Drops both sides at once (stand-in shutdown). */
  destroy(): void {
    this.closed = true;
    this.server.destroy();
    this.ws.terminate();
  }

  private guard(step: () => void): void {
    try {
      step();
    } catch (error) {
      this.sendToClient(fatalError("08P01", `Neon stand-in: ${(error as Error).message}`));
      this.close();
    }
  }

  private onClientData(data: Buffer): void {
    if (this.authenticated) {
      this.relayClientBytes(data);
      return;
    }
    for (const message of this.fromClient.read(data)) this.onClientMessageBeforeAuth(message);
  }

  private relayClientBytes(data: Buffer): void {
    this.sendToServer(data);
    if (this.clientAfterAuth.sawTerminate(data)) this.close();
  }

  private onClientMessageBeforeAuth(message: Message): void {
    if (message.type === undefined) {
      const code = message.body.readInt32BE(0);
      if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
        // The hop to a loopback Postgres has no TLS; Neon's proxy terminates TLS on the WebSocket, not inside it.
        this.sendToClient(Buffer.from("N"));
        return;
      }
      if (code >> 16 === 3) this.user = startupParameter(message.body.subarray(4), "user") ?? "";
      this.sendToServer(message.bytes);
    } else if (message.type === PASSWORD && !this.clientAuthenticates && this.pipelinedPassword === undefined) {
      this.pipelinedPassword = readCStrings(message.body)[0] ?? "";
    } else if (message.type === PASSWORD) {
      this.sendToServer(message.bytes);
    } else if (message.type === TERMINATE) {
      this.close();
    } else {
      this.held.push(message.bytes);
    }
  }

  private onServerData(data: Buffer): void {
    if (this.authenticated) {
      this.sendToClient(data);
      return;
    }
    for (const message of this.fromServer.read(data)) {
      if (this.authenticated || message.type !== AUTHENTICATION) {
        this.sendToClient(message.bytes);
        continue;
      }
      const request = message.body.readInt32BE(0);
      if (request === 0) {
        this.authenticated = true;
        this.sendToClient(message.bytes);
        for (const held of this.held) this.relayClientBytes(held);
        this.held = [];
        this.relayClientBytes(this.fromClient.takePending());
      } else if (this.clientAuthenticates || this.pipelinedPassword === undefined) {
        this.clientAuthenticates = true;
        this.sendToClient(message.bytes);
      } else {
        this.answerAuthentication(request, message.body.subarray(4), this.pipelinedPassword);
      }
    }
    if (this.authenticated) {
      const rest = this.fromServer.takePending();
      if (rest.length > 0) this.sendToClient(rest);
    }
  }

  private answerAuthentication(request: number, data: Buffer, password: string): void {
    switch (request) {
      case 3: // AuthenticationCleartextPassword
        this.sendToServer(encodeMessage("p", cString(password)));
        return;
      case 5: {
        // AuthenticationMD5Password: "md5" + md5(md5(password + user) + salt)
        const inner = createHash("md5").update(password + this.user).digest("hex");
        const outer = createHash("md5").update(inner).update(data.subarray(0, 4)).digest("hex");
        this.sendToServer(encodeMessage("p", cString(`md5${outer}`)));
        return;
      }
      case 10: {
        // AuthenticationSASL: a list of mechanisms
        if (!readCStrings(data).includes("SCRAM-SHA-256")) throw new Error(`unsupported SASL mechanisms: ${readCStrings(data).join(", ")}`);
        this.scram = new ScramClient(password);
        const first = Buffer.from(this.scram.firstMessage);
        const length = Buffer.alloc(4);
        length.writeInt32BE(first.length);
        this.sendToServer(encodeMessage("p", Buffer.concat([cString("SCRAM-SHA-256"), length, first])));
        return;
      }
      case 11: // AuthenticationSASLContinue
        this.sendToServer(encodeMessage("p", Buffer.from(this.requireScram().finalMessage(data.toString("utf8")))));
        return;
      case 12: // AuthenticationSASLFinal
        this.requireScram().verifyServerFinal(data.toString("utf8"));
        return;
      default:
        throw new Error(`unsupported authentication request ${request} from ${this.host}:${this.port}`);
    }
  }

  private requireScram(): ScramClient {
    if (!this.scram) throw new Error("SASL message without a SASL exchange");
    return this.scram;
  }

  private sendToServer(data: Buffer): void {
    if (!this.server.write(data)) this.ws.pause();
  }

  private sendToClient(data: Buffer): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    this.ws.send(data, { binary: true }, () => {
      if (this.server.isPaused() && this.ws.bufferedAmount < HIGH_WATER / 2) this.server.resume();
    });
    if (this.ws.bufferedAmount > HIGH_WATER) this.server.pause();
  }

  /** Ends both sides after flushing what is already queued, so neither a backend nor a WebSocket lingers. */
  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.server.end();
    this.ws.close();
    this.log(`relay closed → ${this.host}:${this.port}`);
  }
}

function hmac(key: Buffer, data: string): Buffer {
  return createHmac("sha256", key).update(data).digest();
}

/** The client side of SCRAM-SHA-256 (RFC 5802/7677) without channel binding: the hop to Postgres is plain TCP. */
class ScramClient {
  private readonly nonce = randomBytes(18).toString("base64");
  private readonly clientFirstBare = `n=*,r=${this.nonce}`;
  private expectedServerSignature: Buffer | undefined;

  constructor(private readonly password: string) {}

  get firstMessage(): string {
    return `n,,${this.clientFirstBare}`;
  }

  finalMessage(serverFirst: string): string {
    const attributes = new Map(serverFirst.split(",").map((pair) => [pair[0], pair.slice(2)]));
    const nonce = attributes.get("r");
    const salt = attributes.get("s");
    const iterations = Number(attributes.get("i"));
    if (!nonce?.startsWith(this.nonce) || !salt || !(iterations > 0)) throw new Error("malformed SCRAM server-first message");
    // NFKC is the part of SASLprep that changes ordinary passwords; Postgres applies the same before hashing.
    const salted = pbkdf2Sync(this.password.normalize("NFKC"), Buffer.from(salt, "base64"), iterations, 32, "sha256");
    const clientKey = hmac(salted, "Client Key");
    const withoutProof = `c=biws,r=${nonce}`;
    const authMessage = `${this.clientFirstBare},${serverFirst},${withoutProof}`;
    const signature = hmac(createHash("sha256").update(clientKey).digest(), authMessage);
    const proof = clientKey.map((byte, i) => byte ^ signature[i]!);
    this.expectedServerSignature = hmac(hmac(salted, "Server Key"), authMessage);
    return `${withoutProof},p=${Buffer.from(proof).toString("base64")}`;
  }

  verifyServerFinal(serverFinal: string): void {
    const signature = Buffer.from(/(?:^|,)v=([^,]+)/.exec(serverFinal)?.[1] ?? "", "base64");
    const expected = this.expectedServerSignature;
    if (!expected || signature.length !== expected.length || !timingSafeEqual(signature, expected)) {
      throw new Error("SCRAM server signature does not match");
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// HTTP SQL API
// ---------------------------------------------------------------------------------------------------------------

export interface SqlQuery {
  query: string;
  params?: unknown[];
}

/** Raw text out, as with `Neon-Raw-Text-Output: true`: the driver parses values itself with its own type parsers. */
const RAW_TEXT = { getTypeParser: () => (value: string) => value } as unknown as pg.CustomTypesConfig;

const ISOLATION_LEVELS: Record<string, string> = {
  ReadUncommitted: "READ UNCOMMITTED",
  ReadCommitted: "READ COMMITTED",
  RepeatableRead: "REPEATABLE READ",
  Serializable: "SERIALIZABLE",
};

/** Every field the driver copies from an error reply onto its NeonDbError. */
const ERROR_FIELDS = [
  "severity", "code", "detail", "hint", "position", "internalPosition", "internalQuery", "where",
  "schema", "table", "column", "dataType", "constraint", "file", "line", "routine",
] as const;

/**
 * `POST /sql` as @neondatabase/serverless 1.2's `neon()` speaks it: one statement (`{query, params}`) or a batch
 * (`{queries: [...]}`) run as one transaction, rows as arrays of raw text, errors as 400 with the Postgres fields.
 */
class SqlEndpoint {
  /** One pool per connection string, kept open across requests: the warm backends Neon's pooler provides. */
  private readonly pools = new Map<string, pg.Pool>();

  constructor(
    private readonly log: (line: string) => void,
    private readonly onSql?: (statements: SqlQuery[]) => void,
    private readonly onTiming?: (timing: { ms: number; dbMs: number }) => void,
  ) {}

  async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const started = performance.now();
    const db = { ms: 0 };
    let status = 200;
    let reply: unknown;
    try {
      reply = await this.execute(req, db);
    } catch (error) {
      // Neon answers every failure it can describe with 400 and a JSON body; the driver turns it into NeonDbError.
      status = 400;
      reply = errorReply(error);
    }
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(reply));
    const ms = performance.now() - started;
    this.onTiming?.({ ms, dbMs: db.ms });
    this.log(`POST /sql ${status} ${ms.toFixed(1)} ms`);
  }

  async end(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((pool) => pool.end()));
  }

  /** Runs the request; `db.ms` accumulates the time spent waiting for Postgres (pool checkout included). */
  private async execute(req: http.IncomingMessage, db: { ms: number }): Promise<unknown> {
    const connectionString = req.headers["neon-connection-string"];
    if (typeof connectionString !== "string") throw new Error("missing Neon-Connection-String header");
    const arrayMode = req.headers["neon-array-mode"] === "true";
    const body = await readJson(req);
    const pool = this.poolFor(connectionString);
    this.onSql?.(Array.isArray(body.queries) ? (body.queries as SqlQuery[]) : [body as unknown as SqlQuery]);
    const timed = async <T>(work: Promise<T>): Promise<T> => {
      const t = performance.now();
      try {
        return await work;
      } finally {
        db.ms += performance.now() - t;
      }
    };

    if (Array.isArray(body.queries)) {
      const begin = beginStatement(req.headers);
      const client = await timed(pool.connect());
      let broken: Error | undefined;
      try {
        await timed(client.query(begin));
        const results = [];
        for (const query of body.queries as SqlQuery[]) results.push(await runQuery(client, query, arrayMode, timed));
        await timed(client.query("COMMIT"));
        return { results };
      } catch (error) {
        await client.query("ROLLBACK").catch((rollbackError: Error) => (broken = rollbackError));
        throw error;
      } finally {
        client.release(broken);
      }
    }
    if (typeof body.query !== "string") throw new Error("body needs `query` or `queries`");
    return runQuery(pool, body as unknown as SqlQuery, arrayMode, timed);
  }

  private poolFor(connectionString: string): pg.Pool {
    const url = new URL(connectionString);
    if (!isLoopback(url.hostname.replace(/^\[(.*)\]$/, "$1"))) {
      throw new Error(`Neon stand-in only reaches loopback databases, not ${url.hostname}`);
    }
    // Neon URLs carry sslmode=require for the hop to Neon; the hop from here to a loopback Postgres is plain TCP.
    for (const key of [...url.searchParams.keys()]) if (key.startsWith("ssl")) url.searchParams.delete(key);
    const key = url.toString();
    let pool = this.pools.get(key);
    if (!pool) {
      pool = new pg.Pool({ connectionString: key, max: 10, idleTimeoutMillis: 5 * 60_000 });
      // A pooled backend can die while idle (DROP DATABASE … FORCE, a Postgres restart); the pool replaces it.
      pool.on("error", (error) => this.log(`idle connection lost: ${error.message}`));
      this.pools.set(key, pool);
    }
    return pool;
  }
}

async function runQuery(
  queryable: pg.Pool | pg.PoolClient,
  { query, params = [] }: SqlQuery,
  arrayMode: boolean,
  timed: <T>(work: Promise<T>) => Promise<T> = (work) => work,
) {
  const config = {
    text: query,
    values: params,
    types: RAW_TEXT,
    // Neon runs every statement through the extended protocol, so several statements in one string fail there too.
    queryMode: "extended",
    ...(arrayMode ? { rowMode: "array" } : {}),
  } as pg.QueryConfig;
  const result = await timed(queryable.query(config));
  return {
    command: result.command,
    rowCount: result.rowCount,
    rows: result.rows,
    fields: result.fields.map((field) => ({
      name: field.name,
      dataTypeID: field.dataTypeID,
      tableID: field.tableID,
      columnID: field.columnID,
      dataTypeSize: field.dataTypeSize,
      dataTypeModifier: field.dataTypeModifier,
      format: "text",
    })),
    rowAsArray: arrayMode,
  };
}

function beginStatement(headers: http.IncomingHttpHeaders): string {
  const modes: string[] = [];
  const isolation = headers["neon-batch-isolation-level"];
  if (typeof isolation === "string") {
    const level = ISOLATION_LEVELS[isolation];
    if (!level) throw new Error(`unknown Neon-Batch-Isolation-Level: ${isolation}`);
    modes.push(`ISOLATION LEVEL ${level}`);
  }
  const readOnly = headers["neon-batch-read-only"];
  if (typeof readOnly === "string") modes.push(readOnly === "true" ? "READ ONLY" : "READ WRITE");
  const deferrable = headers["neon-batch-deferrable"];
  if (typeof deferrable === "string") modes.push(deferrable === "true" ? "DEFERRABLE" : "NOT DEFERRABLE");
  return ["BEGIN", modes.join(", ")].join(" ").trim();
}

async function readJson(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    const body: unknown = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    if (body && typeof body === "object") return body as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw new Error("body must be a JSON object");
}

function errorReply(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const reply: Record<string, unknown> = { message: error.message };
  if (error instanceof pg.DatabaseError) for (const field of ERROR_FIELDS) reply[field] = error[field];
  return reply;
}
