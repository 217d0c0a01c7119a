import { Client, neon, neonConfig, Pool } from "@neondatabase/serverless";
import type { ExtractTablesWithRelations, SQL } from "drizzle-orm";
import { drizzle as drizzleHttp } from "drizzle-orm/neon-http";
import { drizzle as drizzleWs } from "drizzle-orm/neon-serverless";
import { PgDialect, type PgDatabase, type PgQueryResultHKT, type PgTransaction } from "drizzle-orm/pg-core";
import * as schema from "./schema";

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
  /** Ends the request's pool, if one was opened. Call through `waitUntil`. */
  close(): Promise<void>;
}

/**
 * Builds the per-request database handle. Never cache the result across requests: Workers may not reuse
 * sockets between requests, so the Pool lives and dies with the request (see PLATFORM-NOTES). Only the
 * stateless HTTP handle inside is shared.
 */
const httpByUrl = new Map<string, ReturnType<typeof drizzleHttp<Schema>>>();

/**
 * The HTTP handle is stateless (each statement is one fetch made by the request that runs it), so one per
 * connection string serves every request of the isolate: building it walks the whole schema for Drizzle's
 * relational config, about a millisecond of CPU per request otherwise.
 */
function httpDatabase(url: string) {
  let http = httpByUrl.get(url);
  if (!http) {
    // Bounded: an isolate sees one database in production; tests switch a few times.
    if (httpByUrl.size >= 8) httpByUrl.clear();
    http = drizzleHttp({ client: neon(url), schema });
    httpByUrl.set(url, http);
  }
  return http;
}

export function createDatabase(url: string, localProxy?: string): Database {
  configureNeon(localProxy);
  const http = httpDatabase(url);
  let pool: Pool | undefined;
  return {
    http: http as Database["http"],
    async transaction(fn) {
      if (!pool) {
        pool = new Pool({ connectionString: url, max: 1 });
        // Idle sockets closing at request end surface as "Network connection lost"; they are expected.
        pool.on("error", () => {});
      }
      return drizzleWs({ client: pool, schema }).transaction((tx) => fn(tx as unknown as Tx));
    },
    async *cursor(query, batchRows) {
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
