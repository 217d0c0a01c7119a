import { Client, neon, neonConfig, Pool } from "@neondatabase/serverless";
import { sql, type ExtractTablesWithRelations, type SQL } from "drizzle-orm";
import { drizzle as drizzleHttp } from "drizzle-orm/neon-http";
import { drizzle as drizzleWs } from "drizzle-orm/neon-serverless";
import { PgDialect, type PgDatabase, type PgQueryResultHKT, type PgTransaction } from "drizzle-orm/pg-core";
import * as schema from "./schema";
import { requestScope, settleCheck, takePendingCheck } from "./deferred-check";

export type Schema = typeof schema;
/** Anything that runs Drizzle queries: the HTTP driver or an open transaction. */
export type Executor = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;

/**
 * The rows of an `execute` result whichever driver ran it: neon-http and node-postgres answer `{ rows }`, the
 * neon WebSocket pool inside a transaction too, some paths a bare array. The one place that knows this.
 */
export function rowsOf<T = Record<string, unknown>>(result: unknown): T[] {
  return ((result as { rows?: T[] }).rows ?? (result as T[])) as T[];
}

const dialect = new PgDialect();

let configuredProxy: string | undefined | null = null;

/**
 * Points the Neon driver at the local stand-in (WebSocket relay + /sql) when one is configured.
 * Production leaves the driver's defaults alone: TLS WebSockets, pipelined password start-up, Neon's HTTP API.
 */
export function configureNeon(localProxy: string | undefined): void {
  if (configuredProxy === localProxy) return;
  configuredProxy = localProxy;
  if (!localProxy) return;
  neonConfig.wsProxy = (host, port) => `${localProxy}/v1?address=${host}:${port}`;
  neonConfig.useSecureWebSocket = false;
  neonConfig.pipelineTLS = false;
  neonConfig.fetchEndpoint = () => `http://${localProxy}/sql`;
}

export interface Database {
  /** Single statements and non-interactive batches: one HTTP round trip each (drizzle-orm/neon-http). */
  http: PgDatabase<PgQueryResultHKT, Schema> & { batch: ReturnType<typeof drizzleHttp<Schema>>["batch"] };
  /** Interactive transaction on a WebSocket connection opened for this request only. */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * A read-only query's rows, `batchRows` at a time, through a server-side cursor on one WebSocket connection:
   * one subrequest however many rows, and memory stays at one batch. Stopping the iteration (a `return()`,
   * e.g. a cancelled download) ends the connection.
   */
  cursor(query: SQL, batchRows: number): AsyncGenerator<Record<string, unknown>[]>;
  /**
   * One parameterless statement outside any transaction and without the statement timeout, on a connection of its
   * own: CREATE INDEX CONCURRENTLY (custom field indexes), which a transaction, a batch or a 10 s limit would refuse.
   */
  ddl(statement: SQL): Promise<void>;
  /** Ends the request's pool, if one was opened. Call through `waitUntil`. */
  close(): Promise<void>;
}

/**
 * Builds the per-request database handle. Never cache the result across requests: Workers may not reuse
 * sockets between requests, so the Pool lives and dies with the request (see PLATFORM-NOTES). Only the
 * stateless HTTP handle inside is shared.
 */
const httpByKey = new Map<string, ReturnType<typeof drizzleHttp<Schema>>>();

/**
 * The HTTP handle is stateless (each statement is one fetch made by the request that runs it), so one per
 * connection string (and statement timeout) serves every request of the isolate: building it walks the whole schema
 * for Drizzle's relational config, about a millisecond of CPU per request otherwise.
 */
function httpDatabase(url: string, statementTimeoutMs: number) {
  const key = `${statementTimeoutMs}|${url}`;
  let http = httpByKey.get(key);
  if (!http) {
    // Bounded: an isolate sees one database in production; tests switch a few times.
    if (httpByKey.size >= 8) httpByKey.clear();
    const client = statementTimeoutMs > 0 ? neon(url, { fetchOptions: { [TIMEOUT_INIT_KEY]: statementTimeoutMs } }) : neon(url);
    http = drizzleHttp({ client, schema });
    httpByKey.set(key, http);
  }
  return http;
}

export interface DatabaseOptions {
  /**
   * Postgres cancels any one statement of this handle (single statements, batches, transactions) that runs longer,
   * with SQLSTATE 57014: a runaway query ends instead of holding a connection and the database's CPU after the user
   * has gone. 0 or unset: no limit (scripts, cron, queue consumers, the streamed export's cursor).
   */
  statementTimeoutMs?: number;
}

/*
 * How the timeout reaches Postgres. Not as a start-up parameter (`options=-c statement_timeout=…`): Neon's pooler
 * refuses unknown start-up parameters and its direct endpoint ignores them. Instead `set_config(…, true)`, i.e.
 * SET LOCAL, inside the statement's own transaction:
 *  - interactive transactions (WebSocket Pool): the first statement of each transaction (one round trip);
 *  - HTTP: the request body `{query}` becomes the batch `{queries: [set_config, query]}` (a batch is one
 *    transaction) and the answer is unwrapped again, in the same single round trip. The driver passes its
 *    `fetchOptions` into fetch's init, which is how the wrapper below knows the handle's limit.
 * tests/worker/statement-timeout.test.ts checks both paths against the driver in use.
 */
const TIMEOUT_INIT_KEY = "bespokeStatementTimeoutMs";
const setTimeoutSql = "select set_config('statement_timeout', $1, true)";

async function fetchWithStatementTimeout(input: string | URL | Request, init?: RequestInit & { [TIMEOUT_INIT_KEY]?: number }): Promise<Response> {
  const ms = init?.[TIMEOUT_INIT_KEY];
  if (!init || typeof init.body !== "string") return fetch(input, init);
  // What rides in front of the caller's statements, in one round trip: the statement timeout (SET LOCAL) and the
  // request's deferred session check (db/deferred-check.ts), when there is one.
  const check = takePendingCheck();
  const preludes: string[] = [];
  if (ms) preludes.push(JSON.stringify({ query: setTimeoutSql, params: [String(ms)] }));
  if (check) {
    const q = dialect.sqlToQuery(check.statement);
    preludes.push(JSON.stringify({ query: q.sql, params: q.params }));
  }
  if (!preludes.length) return fetch(input, init);
  const { [TIMEOUT_INIT_KEY]: _ms, ...rest } = init;
  // The bodies are spliced as text, not parsed and re-serialised: a board's answer is ~100 KB of JSON, and parsing it
  // here and again in the driver was the Worker's largest single CPU cost (scripts/bench/profile.ts).
  const batchPrefix = '{"queries":[';
  const single = !init.body.startsWith(batchPrefix);
  const body = single ? `${batchPrefix}${preludes.join(",")},${init.body}]}` : `${batchPrefix}${preludes.join(",")},${init.body.slice(batchPrefix.length)}`;
  let res: Response;
  try {
    res = await fetch(input, { ...rest, body });
  } catch (err) {
    if (check) settleCheck(check, { ok: false, errorText: String(err) });
    throw err;
  }
  const text = await res.text();
  if (check) settleCheck(check, { ok: res.ok, errorText: res.ok ? undefined : text });
  const answer = res.ok ? (dropResults(text, preludes.length, single) ?? fallbackUnwrap(text, preludes.length, single)) : text;
  return new Response(answer, { status: res.status, headers: { "content-type": "application/json" } });
}

/**
 * `{"results":[p1, …pn, …rest]}` → `{"results":[…rest]}` (a batch) or the element after the preludes alone (a single
 * statement), by scanning past the first `n` elements (strings skipped, so no brace inside a value can mislead it).
 * Null when the text does not have that shape; the caller then parses it the slow way.
 */
export function dropResults(text: string, n: number, single: boolean): string | null {
  const key = text.indexOf('"results"');
  if (key < 0) return null;
  const open = text.indexOf("[", key);
  if (open < 0) return null;
  let next = skipSpace(text, open + 1);
  for (let k = 0; k < n; k++) {
    const end = endOfJsonValue(text, next);
    if (end < 0) return null;
    next = skipSpace(text, end);
    if (text[next] !== ",") return null;
    next = skipSpace(text, next + 1);
  }
  if (!single) return `{"results":[${text.slice(next)}`;
  const end = endOfJsonValue(text, next);
  return end < 0 ? null : text.slice(next, end);
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && (text[i] === " " || text[i] === "\n" || text[i] === "\r" || text[i] === "\t")) i++;
  return i;
}

/** The index just past the object or array that starts at `from`, or -1. */
function endOfJsonValue(text: string, from: number): number {
  const first = text.charCodeAt(from);
  if (first !== 123 && first !== 91) return -1; // { or [
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 34) {
      // a string: skip to its closing quote, past escapes
      for (i++; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 92) i++;
        else if (c === 34) break;
      }
    } else if (ch === 123 || ch === 91) depth++;
    else if (ch === 125 || ch === 93) {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

function fallbackUnwrap(text: string, n: number, single: boolean): string {
  const { results } = JSON.parse(text) as { results: unknown[] };
  return JSON.stringify(single ? results[n] : { results: results.slice(n) });
}
neonConfig.fetchFunction = fetchWithStatementTimeout;

/** Runs the request's deferred session check now, on its own round trip, if it is still waiting (db/deferred-check.ts). */
export async function runPendingCheck(http: { execute: (q: SQL) => Promise<unknown> }): Promise<void> {
  if (requestScope.getStore()?.check?.state !== "pending") return;
  // Any HTTP statement carries the pending check in front of it; this one needs nothing else.
  await http.execute(sql`select 1`);
}

export function createDatabase(url: string, localProxy?: string, options: DatabaseOptions = {}): Database {
  configureNeon(localProxy);
  const timeoutMs = Math.max(0, Math.floor(options.statementTimeoutMs ?? 0));
  const http = httpDatabase(url, timeoutMs);
  let pool: Pool | undefined;
  return {
    http: http as Database["http"],
    async transaction(fn) {
      if (!pool) {
        pool = new Pool({ connectionString: url, max: 1 });
        // Idle sockets closing at request end surface as "Network connection lost"; they are expected.
        pool.on("error", () => {});
      }
      return drizzleWs({ client: pool, schema }).transaction(async (tx) => {
        if (timeoutMs > 0) await tx.execute(sql`select set_config('statement_timeout', ${String(timeoutMs)}, true)`);
        // A read's deferred session check, if nothing ran it yet: first in the transaction, which it aborts on failure.
        const check = takePendingCheck();
        if (check) {
          try {
            await tx.execute(check.statement);
            settleCheck(check, { ok: true });
          } catch (err) {
            settleCheck(check, { ok: false, errorText: String((err as Error)?.message ?? err) });
            throw err;
          }
        }
        return fn(tx as unknown as Tx);
      });
    },
    async ddl(statement) {
      await runPendingCheck(http);
      const client = new Client({ connectionString: url });
      client.on("error", () => {});
      await client.connect();
      try {
        // CREATE INDEX CONCURRENTLY waits for every older transaction: give up after a while instead of holding the
        // request (the caller treats the index as best effort and a later call rebuilds an invalid one).
        await client.query("set lock_timeout = '5s'");
        await client.query(dialect.sqlToQuery(statement).sql);
      } finally {
        await client.end().catch(() => {});
      }
    },
    async *cursor(query, batchRows) {
      await runPendingCheck(http);
      const { sql: text, params } = dialect.sqlToQuery(query);
      const client = new Client({ connectionString: url });
      client.on("error", () => {});
      await client.connect();
      try {
        await client.query("begin read only");
        await client.query({ text: `declare rows_out no scroll cursor for ${text}`, values: params });
        for (;;) {
          const { rows } = await client.query<Record<string, unknown>>(`fetch ${Math.max(1, Math.floor(batchRows))} from rows_out`);
          if (rows.length > 0) yield rows;
          if (rows.length < batchRows) break;
        }
        await client.query("commit");
      } finally {
        await client.end().catch(() => {});
      }
    },
    async close() {
      const p = pool;
      pool = undefined;
      await p?.end().catch(() => {});
    },
  };
}
