/**
 * How an import finds existing records at scale: the natural-key lookups of worker/services/import/match.ts for
 * one 500-row batch, on the benchmark database (1M contacts, 50k accounts), in the shape the import sends them
 * (`lower(col) collate "C" = any(…)`, served by the (workspace_id, lower(col) collate "C") indexes) beside the same
 * lookup written without the collation (the shape account names were looked up in before, which no btree serves).
 *
 *   tsx scripts/bench/import-match.ts [--runs 5]     # BENCH_DATABASE_URL overrides the database
 *
 * Prints p50 / max per lookup and the index the plan uses (a lookup slower than 5 s is timed once).
 */
import { parseArgs } from "node:util";
import pg from "pg";

const { values: args } = parseArgs({ options: { runs: { type: "string", default: "5" } } });
const RUNS = Number(args.runs);
const dbUrl = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/bespoke_bench";
const client = new pg.Client({ connectionString: dbUrl });
await client.connect();
const ws = (await client.query(`select workspace_id from users where email = 'admin@bench.test'`)).rows[0]?.workspace_id as string | undefined;
if (!ws) throw new Error(`${dbUrl} has no benchmark workspace: generate it with scripts/bench/generate.ts`);

const sample = async (sql: string) => (await client.query(sql, [ws])).rows.map((r) => String(r.v));
// Half the keys exist, half do not: an import file is a mix of known and new records.
const emails = [...(await sample(`select lower(email) v from contacts where workspace_id = $1 and email is not null order by id limit 250`)), ...Array.from({ length: 250 }, (_, i) => `new-${i}@nowhere.example`)];
const domains = [...(await sample(`select lower(domain) v from accounts where workspace_id = $1 and domain is not null order by id limit 250`)), ...Array.from({ length: 250 }, (_, i) => `new-${i}.example`)];
const names = [...(await sample(`select lower(name) v from accounts where workspace_id = $1 order by id limit 250`)), ...Array.from({ length: 250 }, (_, i) => `new company ${i}`)];

// The import's statement (worker/services/import/key-lookup.ts) beside the same lookup as a LATERAL probe per key
// (fastest with good statistics, a scan per key with stale ones) and without the collation (no btree fits).
const keysOf = `array(select json_array_elements_text($2::json))`;
const lateral = (table: string, col: string) =>
  `select m.id from json_array_elements_text($2::json) as k(v) cross join lateral (
     select t.id from ${table} t where t.workspace_id = $1 and t.deleted_at is null and lower(t.${col}) collate "C" = k.v limit 20) m`;
const anyOf = (table: string, col: string, collate: string) =>
  `select id from ${table} where workspace_id = $1 and deleted_at is null and lower(${col})${collate} = any(${keysOf})`;
const lookups = [
  { name: "contacts by e-mail", table: "contacts", col: "email", keys: emails },
  { name: "leads by e-mail", table: "leads", col: "email", keys: emails },
  { name: "accounts by domain", table: "accounts", col: "domain", keys: domains },
  { name: "accounts by name", table: "accounts", col: "name", keys: names },
];
const shapes = [
  { label: "import's shape", sql: (t: string, c: string) => anyOf(t, c, ' collate "C"') },
  { label: "lateral per key", sql: (t: string, c: string) => lateral(t, c) },
  { label: "any, no collate", sql: (t: string, c: string) => anyOf(t, c, "") },
];

const ms = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `p50 ${s[Math.floor(s.length / 2)]!.toFixed(1)} ms, max ${s.at(-1)!.toFixed(1)} ms`;
};
console.log(`one batch of 500 keys (half existing), ${RUNS} runs after a warm-up\n`);
for (const l of lookups) {
  for (const shape of shapes) {
    const sql = shape.sql(l.table, l.col);
    const params = [ws, JSON.stringify(l.keys)];
    const plan = (await client.query(`explain ${sql}`, params)).rows.map((r) => r["QUERY PLAN"] as string).join("\n");
    const index = [...new Set([...plan.matchAll(/Index (?:Only )?Scan (?:using|on) (\w+)/g)].map((m) => m[1]))].join(" + ") || "none (a sequential scan)";
    const t0 = performance.now();
    await client.query(sql, params);
    const times: number[] = [];
    let rows = 0;
    // A lookup that takes seconds is measured once: repeating it tells nothing new.
    const runs = performance.now() - t0 > 5_000 ? 1 : RUNS;
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      rows = (await client.query(sql, params)).rowCount ?? 0;
      times.push(performance.now() - t);
    }
    console.log(`${l.name.padEnd(20)} ${shape.label.padEnd(19)} ${ms(times).padEnd(30)} ${String(rows).padStart(4)} rows  index: ${index}`);
  }
}
await client.end();
