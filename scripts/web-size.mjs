// First-load JavaScript of the SPA, gzip: the entry chunk plus every chunk it imports statically (what the
// browser must fetch before the first paint), then per route the extra chunks of that page.
// Usage: node scripts/web-size.mjs [dist/web]   (after `npm run build:web`)
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const dir = process.argv[2] ?? "dist/web";
const assets = join(dir, "assets");
const html = readFileSync(join(dir, "index.html"), "utf8");
const gz = (file) => gzipSync(readFileSync(join(assets, file))).length;
const staticImports = (file) =>
  [...readFileSync(join(assets, file), "utf8").matchAll(/(?:import|export)\s*(?:[\w${},*\s]+from\s*)?["']\.\/([\w.-]+\.js)["']/g)].map((m) => m[1]);

function closure(roots) {
  const seen = new Set();
  const stack = [...roots];
  while (stack.length) {
    const f = stack.pop();
    if (seen.has(f)) continue;
    seen.add(f);
    stack.push(...staticImports(f));
  }
  return seen;
}

const entry = [...html.matchAll(/<script[^>]+src="\/?assets\/([\w.-]+\.js)"/g)].map((m) => m[1]);
const css = [...html.matchAll(/<link[^>]+href="\/?assets\/([\w.-]+\.css)"/g)].map((m) => m[1]);
const first = closure(entry);
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
const sum = (files) => [...files].reduce((n, f) => n + gz(f), 0);
console.log(`First-load JS: ${kib(sum(first))} gzip (${first.size} chunk${first.size === 1 ? "" : "s"}), CSS ${kib(css.reduce((n, f) => n + gz(f), 0))} gzip; budget 200 KiB: ${sum(first) <= 200 * 1024 ? "met" : "MISSED"}`);
for (const route of ["login", "pipeline", "dashboard", "accounts", "record-detail", "settings", "import"]) {
  const chunk = readdirSync(assets).find((f) => f.startsWith(`${route}-`) && f.endsWith(".js"));
  if (!chunk) continue;
  const extra = [...closure([chunk])].filter((f) => !first.has(f));
  console.log(`  + /${route}: ${kib(sum(extra))} gzip more`);
}
