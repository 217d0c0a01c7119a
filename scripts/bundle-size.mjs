// Prints the dry-run Worker bundle size (target: under 1 MiB uncompressed) — run by .ci/run after `wrangler deploy --dry-run`.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const dir = process.argv[2] ?? ".wrangler/dry-run";
let raw = 0;
let gz = 0;
for (const f of readdirSync(dir)) {
  if (!/\.(m?js|wasm)$/.test(f)) continue;
  const p = join(dir, f);
  raw += statSync(p).size;
  gz += gzipSync(readFileSync(p)).length;
}
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
console.log(`Worker bundle: ${kib(raw)} uncompressed, ${kib(gz)} gzip (target < 1024 KiB uncompressed: ${raw < 1024 * 1024 ? "met" : "MISSED"})`);
