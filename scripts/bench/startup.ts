/**
 * What a new isolate of the Worker costs before its first request, and what is shipped.
 *
 *   npx tsx scripts/bench/startup.ts [--runs 5]
 *
 * Runs `wrangler check startup` (offline: it bundles the Worker exactly as `wrangler deploy` does, runs its global
 * scope in the local workerd with the CPU profiler on, and writes the profile to .tmp/worker-startup.cpuprofile)
 * `--runs` times and prints the median "active" CPU time beside the goal, and the bundle's size, gzip-compressed,
 * beside its goal. The local CPU is not Cloudflare's: compare runs on one machine, on a quiet machine.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";

const args = process.argv.slice(2);
const i = args.indexOf("--runs");
const RUNS = i >= 0 ? Number(args[i + 1]) : 5;
const GOAL_STARTUP_MS = 30;
const GOAL_GZIP_KIB = 512;

// wrangler refuses to bundle when the [assets] folder is missing (a fresh clone that never built the SPA).
if (!existsSync("dist/web")) mkdirSync("dist/web", { recursive: true });
mkdirSync(".tmp", { recursive: true });

const active: number[] = [];
let bundle = "";
let gzipKiB = Number.NaN;
let rawKiB = Number.NaN;
for (let run = 0; run < RUNS; run++) {
  const result = spawnSync(path.resolve("node_modules/.bin/wrangler"), ["check", "startup", "--outfile", ".tmp/worker-startup.cpuprofile"], {
    encoding: "utf8",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", FORCE_COLOR: "0" },
  });
  const out = `${result.stdout}\n${result.stderr}`;
  const size = /Bundle:\s*([\d.]+)\s*KiB\s*\/\s*gzip:\s*([\d.]+)\s*KiB/.exec(out);
  const cpu = /Active:\s*([\d.]+)\s*ms/.exec(out);
  if (result.status !== 0 || !size || !cpu) {
    console.error(out);
    throw new Error("`wrangler check startup` did not print a bundle size and an active time (output above)");
  }
  rawKiB = Number(size[1]);
  gzipKiB = Number(size[2]);
  bundle = size[0];
  active.push(Number(cpu[1]));
  process.stdout.write(`run ${run + 1}/${RUNS}: ${cpu[1]} ms\n`);
}

const sorted = [...active].sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)]!;
const mark = (ok: boolean) => (ok ? "ok" : "OVER");
console.log(`\nWorker start-up (wrangler check startup, ${RUNS} runs; ${bundle})`);
console.log(`global scope CPU, median   ${median.toFixed(1).padStart(7)} ms    goal ≤ ${GOAL_STARTUP_MS} ms    ${mark(median <= GOAL_STARTUP_MS)}   (min ${sorted[0]!.toFixed(1)}, max ${sorted.at(-1)!.toFixed(1)})`);
console.log(`bundle, gzip               ${gzipKiB.toFixed(1).padStart(7)} KiB   goal ≤ ${GOAL_GZIP_KIB} KiB   ${mark(gzipKiB <= GOAL_GZIP_KIB)}   (${rawKiB.toFixed(1)} KiB uncompressed)`);
console.log("Profile of the last run: .tmp/worker-startup.cpuprofile (Chrome DevTools → Performance, or VS Code).");
