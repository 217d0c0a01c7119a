/**
 * Global search's statement alone, per query, on the benchmark database: where scripts/bench/run.ts times the whole
 * request over a rotation of queries, this shows which query costs what and why.
 *
 *   tsx scripts/bench/search-typos.ts [--runs 20] [--explain] [query …]   # BENCH_DATABASE_URL overrides the database
 *
 * For each query (by default misspellings of names in the generated data, plus a few correct ones for comparison):
 * the very statements the Worker sends (worker/services/search/query.ts), run on one open `pg` connection in a
 * transaction as the Worker's batch does; prints p50 / p95 / max over --runs after one warm-up, the row count and the
 * best hit. --explain adds EXPLAIN (ANALYZE, BUFFERS) of each query, trimmed to the plan nodes that took 1 ms or more.
 */
import { parseArgs } from "node:util";
import pg from "pg";
import { renderSearchStatements } from "../../worker/services/search/query";

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: { runs: { type: "string", default: "20" }, explain: { type: "boolean", default: false } },
});
const RUNS = Number(args.runs);
const dbUrl = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/bespoke_bench";
const queries = positionals.length
  ? positionals
  : ["nortwind", "schmdt", "okafr", "lovelce", "globx", "kowalsky", "emma schmdt", "initech dxego", "schmidt", "globex 12",
     // Short one-word typos the similarity tier cannot see, found by edit distance (issue 10 / issue 11 item 8).
     "nguyn", "alcie", "tanka"];

const client = new pg.Client({ connectionString: dbUrl });
await client.connect();
const ws = (await client.query(`select workspace_id from users where email = 'admin@bench.test'`)).rows[0]?.workspace_id as string | undefined;
if (!ws) throw new Error(`${dbUrl} has no benchmark workspace: generate it with scripts/bench/generate.ts`);

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

async function run(q: string, prefix = "") {
  const { setup, query } = renderSearchStatements({ workspaceId: ws!, q });
  await client.query("begin");
  try {
    await client.query(setup.sql, setup.params as unknown[]);
    const started = performance.now();
    const res = await client.query(prefix + query.sql, query.params as unknown[]);
    return { ms: performance.now() - started, rows: res.rows };
  } finally {
    await client.query("rollback");
  }
}

const table: string[][] = [];
for (const q of queries) {
  await run(q);
  const times: number[] = [];
  let rows: Record<string, unknown>[] = [];
  for (let i = 0; i < RUNS; i++) ({ rows } = await run(q).then((r) => (times.push(r.ms), r)));
  const best = rows[0] ? `${rows[0].type} "${rows[0].title}" ${rows[0].score}` : "-";
  table.push([q, pct(times, 50).toFixed(1), pct(times, 95).toFixed(1), Math.max(...times).toFixed(1), String(rows.length), best]);
  if (args.explain) {
    const plan = (await run(q, "explain (analyze, buffers) ")).rows.map((r) => String(r["QUERY PLAN"]));
    const slow = plan.filter((line) => {
      const m = /actual time=[\d.]+\.\.([\d.]+)/.exec(line);
      return (m && Number(m[1]) >= 1) || /Execution Time/.test(line);
    });
    console.log(`\n── ${q}\n${slow.map((l) => l.replace(/\(cost=[^)]*\) /, "").slice(0, 180)).join("\n")}`);
  }
}

const header = ["query", "p50 ms", "p95 ms", "max ms", "rows", "best hit"];
const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i]!.length)));
const line = (cells: string[]) => cells.map((c, i) => (i === 0 || i === 5 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
console.log(`\n${RUNS} runs per query after one warm-up, one pg connection, ${dbUrl.replace(/\/\/[^@]*@/, "//")}\n`);
console.log(`${line(header)}\n${widths.map((w) => "-".repeat(w)).join("  ")}`);
for (const r of table) console.log(line(r));
await client.end();
