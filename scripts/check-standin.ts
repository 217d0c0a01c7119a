/**
 * One-off self-check of the Neon stand-in and the embedded Postgres manager (not part of the test suite).
 * Needs the machine's PostgreSQL on 127.0.0.1:5432 with trust auth. Run: `tsx scripts/check-standin.ts`.
 */
import assert from "node:assert/strict";
import { readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { neon, neonConfig, NeonDbError, Pool } from "@neondatabase/serverless";
import pg from "pg";
import { createDatabase, dropDatabase, isReachable, migrate, startEmbeddedPostgres } from "./lib/database";
import { startNeonStandin } from "./lib/neon-standin";

const SYSTEM_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres";
const EMBEDDED_DIR = "/tmp/bespoke-embedded-check";
const EMBEDDED_PORT = 54329;

const { WebSocket } = createRequire(import.meta.url)("ws") as typeof import("ws");

async function step<T>(label: string, run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await run();
  console.log(`ok  ${label} (${(performance.now() - started).toFixed(1)} ms)`);
  return result;
}

async function p50(label: string, rounds: number, run: () => Promise<unknown>): Promise<void> {
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  console.log(`    ${label}: p50 ${times[Math.floor(rounds / 2)]!.toFixed(2)} ms, p90 ${times[Math.floor(rounds * 0.9)]!.toFixed(2)} ms over ${rounds}`);
}

/** A Pool the way the Worker opens one: per request, errors of idle sockets at the end ignored. */
async function withNeonPool<T>(url: string, max: number, use: (pool: Pool) => Promise<T>): Promise<T> {
  const pool = new Pool({ connectionString: url, max });
  pool.on("error", () => {});
  try {
    return await use(pool);
  } finally {
    await pool.end();
  }
}

async function direct<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/** Makes values from the two drivers comparable (the Neon driver has its own Buffer class). */
function comparable(value: unknown): unknown {
  if (value instanceof Date) return `Date(${value.toISOString()})`;
  if (value instanceof Uint8Array) return `bytes(${Buffer.from(value).toString("hex")})`;
  if (Array.isArray(value)) return value.map(comparable);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, comparable(v)]));
  return value;
}

async function expectNeonError(run: () => Promise<unknown>, code: string): Promise<NeonDbError> {
  try {
    await run();
  } catch (error) {
    assert.ok(error instanceof NeonDbError, `expected NeonDbError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    return error;
  }
  assert.fail(`expected error ${code}`);
}

function openTcpHandles(): number {
  return process.getActiveResourcesInfo().filter((resource) => resource === "TCPSocketWrap").length;
}

async function waitFor(what: string, condition: () => Promise<boolean>, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const standin = await step("stand-in started", () => startNeonStandin());
const proxy = standin.url.replace(/^http:\/\//, "");
neonConfig.webSocketConstructor = WebSocket;
neonConfig.wsProxy = (host, port) => `${proxy}/v1?address=${host}:${port}`;
neonConfig.useSecureWebSocket = false;
neonConfig.pipelineTLS = false;
neonConfig.fetchEndpoint = () => `${standin.url}/sql`;
console.log(`    ${standin.url}; neonConfig.pipelineConnect = ${JSON.stringify(neonConfig.pipelineConnect)}`);

// --- WebSocket proxy against the machine's PostgreSQL 15 (trust) ---------------------------------------------------
console.log("\nWebSocket proxy → system PostgreSQL 15 (trust), pipelined start-up");
const tcpBaseline = openTcpHandles();
const neonBackends = () =>
  direct(SYSTEM_ADMIN_URL, async (c) =>
    Number((await c.query("SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'pkg:npm/%neondatabase%'")).rows[0].count),
  );

await step("Pool: select 1", () =>
  withNeonPool(SYSTEM_ADMIN_URL, 1, async (pool) => assert.deepEqual((await pool.query("SELECT 1 AS one")).rows, [{ one: 1 }])),
);
await step("Pool: interactive transaction (commit + rollback)", () =>
  withNeonPool(SYSTEM_ADMIN_URL, 1, async (pool) => {
    const client = await pool.connect();
    try {
      await client.query("CREATE TEMP TABLE t (n int)");
      await client.query("BEGIN");
      await client.query("INSERT INTO t VALUES (1)");
      await client.query("COMMIT");
      await client.query("BEGIN");
      await client.query("INSERT INTO t VALUES (2)");
      assert.equal((await client.query("SELECT count(*)::int AS n FROM t")).rows[0].n, 2);
      await client.query("ROLLBACK");
      assert.equal((await client.query("SELECT count(*)::int AS n FROM t")).rows[0].n, 1);
    } finally {
      client.release();
    }
  }),
);
await step("Pool of 5: 5 parallel queries on 5 backends", () =>
  withNeonPool(SYSTEM_ADMIN_URL, 5, async (pool) => {
    const started = performance.now();
    const rows = await Promise.all(
      Array.from({ length: 5 }, () => pool.query("SELECT pg_backend_pid() AS pid, pg_sleep(0.2)").then((r) => r.rows[0].pid)),
    );
    assert.equal(new Set(rows).size, 5);
    assert.ok(performance.now() - started < 800, "queries ran in parallel");
  }),
);
await step("no backend or socket left after pool.end()", async () => {
  await waitFor("backends to exit", async () => (await neonBackends()) === 0);
  await waitFor("relay sockets to close", async () => openTcpHandles() <= tcpBaseline);
});
await p50("new Pool + select 1 + end (a Worker request)", 30, () =>
  withNeonPool(SYSTEM_ADMIN_URL, 1, (pool) => pool.query("SELECT 1")),
);
await step("refuses a non-loopback address", () =>
  withNeonPool("postgres://postgres:pw@10.1.2.3:5432/postgres", 1, async (pool) => {
    await assert.rejects(pool.query("SELECT 1"));
  }),
);

// --- HTTP /sql against the machine's PostgreSQL 15 -----------------------------------------------------------------
console.log("\nHTTP /sql (neon()) → system PostgreSQL 15");
const checkUrl = await step("createDatabase bespoke_standin_check", () => createDatabase(SYSTEM_ADMIN_URL, "bespoke_standin_check"));
await direct(checkUrl, (c) => c.query("CREATE TABLE items (id int PRIMARY KEY, name text CONSTRAINT items_name_key UNIQUE)"));
const sql = neon(checkUrl);

const typedQuery = `SELECT $1::int AS int, $2::text AS text, $3::timestamptz AS ts, $4::jsonb AS json, $5::bool AS bool,
  $6::text AS nothing, $7::numeric AS num, $8::bytea AS bytes, $9::int8 AS big, $10::int[] AS ints, $11::text[] AS texts,
  $12::date AS day, now() - now() AS span, 'NaN'::float8 AS nan, NULL::int AS null_int`;
const typedParams = [
  42, "héllo 'quoted' \\ \"x\"", new Date("2024-02-29T12:34:56.789Z"), { a: [1, "x", null], b: { c: true } }, true,
  null, "12345678901234567890.123456789", Buffer.from([0, 1, 2, 254, 255]), "9007199254740993", [1, 2, 3],
  ["a", "b,c", '"q"', null], "2024-01-31",
];
await step("single query, 15 types, equal to pg", async () => {
  const viaNeon = await sql.query(typedQuery, typedParams);
  const viaPg = await direct(checkUrl, async (c) => (await c.query(typedQuery, typedParams)).rows);
  assert.deepEqual(comparable(viaNeon), comparable(viaPg));
});
await step("fields and command as pg reports them", async () => {
  const viaNeon = await sql.query("SELECT id, name FROM items", [], { fullResults: true });
  const viaPg = await direct(checkUrl, (c) => c.query("SELECT id, name FROM items"));
  assert.equal(viaNeon.command, "SELECT");
  assert.equal(viaNeon.rowCount, 0);
  assert.deepEqual(
    viaNeon.fields.map((f) => ({ ...f })),
    viaPg.fields.map((f) => ({ ...f, format: "text" })),
  );
});
await step("sql.transaction batch commits", async () => {
  const [a, b, count] = await sql.transaction([
    sql`INSERT INTO items VALUES (1, 'one') RETURNING id`,
    sql`INSERT INTO items VALUES (2, 'two') RETURNING id`,
    sql`SELECT count(*)::int AS n FROM items`,
  ]);
  assert.deepEqual([a, b, count], [[{ id: 1 }], [{ id: 2 }], [{ n: 2 }]]);
});
await step("sql.transaction rolls back on error (unique violation → NeonDbError 23505)", async () => {
  const error = await expectNeonError(
    () => sql.transaction([sql`INSERT INTO items VALUES (3, 'three')`, sql`INSERT INTO items VALUES (4, 'one')`]),
    "23505",
  );
  assert.equal(error.constraint, "items_name_key");
  assert.equal(error.table, "items");
  assert.match(error.detail ?? "", /already exists/);
  assert.deepEqual(await sql`SELECT count(*)::int AS n FROM items`, [{ n: 2 }]);
});
await step("batch isolation level / read-only headers", async () => {
  const [isolation, readOnly] = await sql.transaction(
    [sql`SHOW transaction_isolation`, sql`SHOW transaction_read_only`],
    { isolationLevel: "Serializable", readOnly: true },
  );
  assert.deepEqual([isolation, readOnly], [[{ transaction_isolation: "serializable" }], [{ transaction_read_only: "on" }]]);
});
await step("syntax error → NeonDbError 42601 with position", async () => {
  const error = await expectNeonError(() => sql.query("SELEC 1"), "42601");
  assert.equal(error.position, "1");
});
await step("several statements in one query are refused, as on Neon", () =>
  expectNeonError(() => sql.query("SELECT 1; SELECT 2"), "42601"),
);
await p50("neon() select 1", 50, () => sql`SELECT 1`);
await step("dropDatabase while the stand-in still pools connections to it", () => dropDatabase(SYSTEM_ADMIN_URL, "bespoke_standin_check"));

// --- Embedded PostgreSQL 18 --------------------------------------------------------------------------------------
console.log("\nEmbedded PostgreSQL 18");
await rm(EMBEDDED_DIR, { recursive: true, force: true });
let embedded = await step("first start (initdb)", () => startEmbeddedPostgres({ dataDir: EMBEDDED_DIR, port: EMBEDDED_PORT }));
const version = await direct(embedded.url, async (c) => (await c.query("SELECT version()")).rows[0].version as string);
console.log(`    ${version}`);
console.log(`    ${embedded.url}`);
await step("migrate db/migrations", () => migrate(embedded.url));
await step("migrate again is a no-op", () => migrate(embedded.url));
await direct(embedded.url, (c) => c.query("CREATE TABLE persist_check (note text); INSERT INTO persist_check VALUES ('kept')"));
await step("stop", () => embedded.stop());
assert.equal(await isReachable(embedded.url), false);
embedded = await step("second start (existing data)", () => startEmbeddedPostgres({ dataDir: EMBEDDED_DIR, port: EMBEDDED_PORT }));
assert.equal(await isReachable(embedded.url), true);
await step("data persisted", async () =>
  assert.deepEqual(await direct(embedded.url, async (c) => (await c.query("SELECT note FROM persist_check")).rows), [{ note: "kept" }]),
);
await step("Pool through the stand-in (trust, pipelined)", () =>
  withNeonPool(embedded.url, 1, async (pool) =>
    assert.match((await pool.query("SELECT extname FROM pg_extension WHERE extname = 'pg_trgm'")).rows[0].extname, /pg_trgm/),
  ),
);
await step("neon() through the stand-in: every migration recorded", async () => {
  const journal = JSON.parse(await readFile(new URL("../db/migrations/meta/_journal.json", import.meta.url), "utf8"));
  const applied = await neon(embedded.url)`SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations`;
  assert.deepEqual(applied, [{ n: journal.entries.length }]);
});
await p50("embedded: new Pool + select 1 + end", 30, () => withNeonPool(embedded.url, 1, (pool) => pool.query("SELECT 1")));
await p50("embedded: neon() select 1", 50, () => neon(embedded.url)`SELECT 1`);

// The relay answers the server's password request itself; exercise each method with roles that need one.
const hbaFile = `${EMBEDDED_DIR}/pg_hba.conf`;
await direct(embedded.url, async (c) => {
  await c.query("SET client_min_messages = error");
  await c.query("SET password_encryption = 'scram-sha-256'");
  await c.query("CREATE ROLE r_scram LOGIN PASSWORD 'pw scram'; CREATE ROLE r_plain LOGIN PASSWORD 'pw plain'");
  await c.query("SET password_encryption = 'md5'");
  await c.query("CREATE ROLE r_md5 LOGIN PASSWORD 'pw md5'");
  await writeFile(
    hbaFile,
    "host all r_scram 127.0.0.1/32 scram-sha-256\nhost all r_md5 127.0.0.1/32 md5\nhost all r_plain 127.0.0.1/32 password\n" +
      (await readFile(hbaFile, "utf8")),
  );
  await c.query("SELECT pg_reload_conf()");
});
await new Promise((resolve) => setTimeout(resolve, 300));
const roleUrl = (role: string, password: string) => `postgres://${role}:${encodeURIComponent(password)}@127.0.0.1:${EMBEDDED_PORT}/bespoke`;
const currentUser = (url: string) => withNeonPool(url, 1, async (pool) => (await pool.query("SELECT current_user AS u")).rows[0].u);
for (const [role, password] of [["r_scram", "pw scram"], ["r_md5", "pw md5"], ["r_plain", "pw plain"]] as const) {
  await step(`pipelined start-up, relay answers ${role.slice(2)} auth`, async () => assert.equal(await currentUser(roleUrl(role, password)), role));
  await step(`wrong ${role.slice(2)} password → 28P01`, () =>
    assert.rejects(currentUser(roleUrl(role, "wrong")), (error: Error & { code?: string }) => error.code === "28P01"),
  );
}
await step("neon() with SCRAM role", async () => assert.deepEqual(await neon(roleUrl("r_scram", "pw scram"))`SELECT current_user AS u`, [{ u: "r_scram" }]));
neonConfig.pipelineConnect = false;
await step("non-pipelined client does SCRAM itself through the relay", async () => assert.equal(await currentUser(roleUrl("r_scram", "pw scram")), "r_scram"));
neonConfig.pipelineConnect = "password";
await p50("embedded: pipelined SCRAM role, new Pool + select 1 + end", 20, () => currentUser(roleUrl("r_scram", "pw scram")));

await step("stop", () => embedded.stop());
await step("stand-in closed", () => standin.close());
console.log("\nall checks passed");
