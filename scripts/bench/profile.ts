/**
 * Where the Worker's own CPU goes for one request shape: a V8 CPU profile of workerd (through its inspector) over N
 * requests, printed as the functions with the most self time and the bundle's modules they belong to.
 *
 *   BENCH_DATABASE_URL=postgres://…/bespoke_bench_tenth tsx scripts/bench/profile.ts --path "/api/opportunities/pipeline?cardsPerStage=50"
 *
 * Use it beside scripts/bench/run.ts: run.ts says how much of a request is the Worker's own time, this says which code
 * spends it. --skipBuild reuses the last dry-run bundle (.wrangler/bench).
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { connectInspector, startBenchWorker } from "./harness";

const { values: args } = parseArgs({
  options: { path: { type: "string", default: "/api/opportunities/pipeline?cardsPerStage=50" }, n: { type: "string", default: "200" }, skipBuild: { type: "boolean", default: false }, top: { type: "string", default: "30" } },
});
const dbUrl = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/bespoke_bench";
const inspectorPort = 9229 + Math.floor(Math.random() * 500);
const worker = await startBenchWorker({ dbUrl, outdir: ".wrangler/bench", build: !args.skipBuild, inspectorPort });

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }; children?: number[] }
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

const { send, close: closeInspector } = await connectInspector(inspectorPort);

const hit = async () => {
  const res = await fetch(`${worker.base}${args.path}`, { headers: worker.auth });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
};
for (let i = 0; i < 20; i++) await hit();
await send("Profiler.enable");
await send("Profiler.setSamplingInterval", { interval: 100 });
await send("Profiler.start");
const t0 = performance.now();
const N = Number(args.n);
for (let i = 0; i < N; i++) await hit();
const wall = performance.now() - t0;
const { profile } = (await send("Profiler.stop")) as { profile: Profile };
closeInspector();

const self = new Map<number, number>();
for (let i = 0; i < profile.samples.length; i++) self.set(profile.samples[i]!, (self.get(profile.samples[i]!) ?? 0) + (profile.timeDeltas[i] ?? 0));
const byFn = new Map<string, number>();
let total = 0;
let idle = 0;
for (const node of profile.nodes) {
  const us = self.get(node.id) ?? 0;
  const { functionName, lineNumber, columnNumber } = node.callFrame;
  if (functionName === "(idle)" || functionName === "(program)") { idle += us; continue; }
  total += us;
  const key = `${functionName || "(anonymous)"}:${lineNumber + 1}:${columnNumber + 1}`;
  byFn.set(key, (byFn.get(key) ?? 0) + us);
}
console.log(`${N} requests of ${args.path}: ${(wall / N).toFixed(2)} ms wall each; Worker JS CPU ${(total / 1000 / N).toFixed(2)} ms per request (idle/program ${(idle / 1000 / N).toFixed(2)} ms)`);
console.log(`top ${args.top} functions by self time (ms per request, line in the bundle):`);
// The bundle is minified: show a few characters of source at each position so a function can be recognised.
const bundle = readFileSync(".wrangler/bench/index.js", "utf8").split("\n");
const near = (key: string) => {
  const [, line, col] = /:(\d+):(\d+)$/.exec(key) ?? [];
  const text = bundle[Number(line) - 1];
  return text ? text.slice(Math.max(0, Number(col) - 1), Number(col) + 70).replace(/\s+/g, " ") : "";
};
for (const [fn, us] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, Number(args.top))) console.log(`  ${(us / 1000 / N).toFixed(3).padStart(7)}  ${fn.padEnd(22)} ${near(fn)}`);
await worker.close();
