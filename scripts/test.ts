/**
 * `npm test`: every vitest project (workerd + node, and the browser suite when present), then one plain closing
 * line `N passed, N failed` that CI reads. Extra arguments go to vitest (e.g. `npm test -- tests/worker/auth.test.ts`).
 */
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";

// Per process: engineers and CI jobs sharing a checkout may run the suite at the same time.
const report = `.tmp/vitest-report-${process.pid}.json`;
mkdirSync(".tmp", { recursive: true });
rmSync(report, { force: true });

const started = Date.now();
const child = spawn(
  "vitest",
  ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...process.argv.slice(2)],
  { stdio: "inherit", env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" } },
);
const code: number = await new Promise((resolve) => child.on("exit", (c, sig) => resolve(c ?? (sig ? 1 : 0))));

let passed = 0;
let failed = 0;
try {
  const r = JSON.parse(readFileSync(report, "utf8")) as { success: boolean; numPassedTests: number; numFailedTests: number; numTotalTestSuites: number; testResults: { status: string }[] };
  passed = r.numPassedTests;
  // A file that fails to load has no tests but must still count as a failure.
  failed = r.numFailedTests + r.testResults.filter((f) => f.status === "failed").length * (r.numFailedTests === 0 ? 1 : 0);
  // A global setup that throws (no database, no Chromium) runs no test at all, and vitest then exits 0.
  if (!r.success && failed === 0) failed = 1;
} catch {
  failed = Math.max(1, failed);
}
if (code !== 0 && failed === 0) failed = 1;
console.log(`\nTest run took ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`${passed} passed, ${failed} failed`);
rmSync(report, { force: true });
process.exit(failed > 0 ? 1 : 0);
