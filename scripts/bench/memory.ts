/**
 * Long run for memory kept per request: a few thousand requests of a rep's day (board, totals, a column page,
 * search, lists, a record, an edit, an export) through the built Worker and the Neon stand-in, sampling the
 * resident memory of workerd and of this process (which hosts the stand-in, as `npm start` does).
 *
 *   tsx scripts/bench/memory.ts [--n 3000] [--db bespoke_bench_tenth] [--outdir .wrangler/bench] [--skipBuild]
 *
 * Memory that is only used, not kept, levels off after the warm-up; growth that keeps going is a leak.
 */
import { parseArgs } from "node:util";
import pg from "pg";
import { rssMiB, startBenchWorker } from "./harness";

const { values: args } = parseArgs({
  options: { n: { type: "string", default: "3000" }, db: { type: "string", default: "bespoke_bench_tenth" }, outdir: { type: "string", default: ".wrangler/bench" }, skipBuild: { type: "boolean", default: false }, only: { type: "string" } },
});
const N = Number(args.n);
const dbUrl = process.env.BENCH_DATABASE_URL ?? `postgres://postgres@127.0.0.1:5432/${args.db}`;
const w = await startBenchWorker({ dbUrl, outdir: args.outdir!, build: !args.skipBuild });

const db = new pg.Client({ connectionString: dbUrl });
await db.connect();
const stage = (await db.query(`select s.id from pipeline_stages s join workspaces w on w.id = s.workspace_id order by s.position limit 1`)).rows[0].id as string;
const deal = (await db.query(`select id from opportunities where deleted_at is null order by id limit 1 offset 777`)).rows[0].id as string;
await db.end();

const paths: string[] = [
  "/api/opportunities/pipeline?cardsPerStage=50",
  "/api/opportunities/pipeline/totals",
  `/api/opportunities/pipeline/stages/${stage}/cards?limit=50`,
  "/api/search?q=ali",
  "/api/contacts?sort=lastName&limit=50",
  `/api/opportunities/${deal}`,
];

// `--only health` (a substring of a path) repeats that request alone: which kind of request keeps memory?
if (args.only) paths.splice(0, paths.length, ...(args.only.startsWith("/") ? [args.only] : paths.filter((p) => p.includes(args.only!))));
const mixed = !args.only;

const samples: { i: number; worker: number; standin: number; heap: number }[] = [];
const row = (s: (typeof samples)[number]) => [String(s.i).padStart(8), s.worker.toFixed(0).padStart(11), s.standin.toFixed(0).padStart(20), s.heap.toFixed(1).padStart(16)].join("  ");
console.log(["requests", "workerd RSS", "stand-in process RSS", "stand-in JS heap"].join("  "));
const sample = (i: number) => {
  if (global.gc) global.gc();
  samples.push({ i, worker: w.workerRssMiB(), standin: rssMiB("self"), heap: process.memoryUsage().heapUsed / 2 ** 20 });
  console.log(row(samples.at(-1)!));
};
sample(0);
const started = performance.now();
for (let i = 1; i <= N; i++) {
  const path = paths[i % paths.length]!;
  let res: Response;
  if (mixed && i % 50 === 0) {
    res = await fetch(`${w.base}/api/export/opportunities.csv?q=deal%2019`, { headers: w.auth });
  } else if (mixed && i % 25 === 0) {
    // An edit: an interactive transaction over the WebSocket Pool.
    const current = (await (await fetch(`${w.base}/api/opportunities/${deal}`, { headers: w.auth })).json()) as { version: number };
    res = await fetch(`${w.base}/api/opportunities/${deal}`, {
      method: "PATCH",
      headers: { ...w.auth, "content-type": "application/json" },
      body: JSON.stringify({ nextStep: `call #${i}`, version: current.version }),
    });
  } else {
    res = await fetch(`${w.base}${path}`, { headers: w.auth });
  }
  await res.arrayBuffer();
  // An older build (a before/after comparison) lacks some routes: leave them out of its rotation.
  if (res.status === 404 && paths.includes(path)) {
    paths.splice(paths.indexOf(path), 1);
    console.log(`(no ${path} in this build)`);
  } else if (!res.ok && !args.only) throw new Error(`${path}: HTTP ${res.status}`);
  if (i % Math.max(1, Math.floor(N / 10)) === 0) sample(i);
}
const seconds = (performance.now() - started) / 1000;
console.log(`\n${N} requests in ${seconds.toFixed(0)} s against ${args.db} (resident memory in MiB above, sampled every ${Math.floor(N / 10)})`);
const tail = samples.slice(Math.floor(samples.length / 2));
const slope = (key: "worker" | "standin") => ((tail.at(-1)![key] - tail[0]![key]) / Math.max(1, tail.at(-1)!.i - tail[0]!.i)) * 1000;
console.log(`\nsecond half growth per 1,000 requests: workerd ${slope("worker").toFixed(1)} MiB, stand-in process ${slope("standin").toFixed(1)} MiB`);
await w.close();
