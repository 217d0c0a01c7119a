/// <reference lib="dom" />
/**
 * Client-side navigation between the main pages, measured in a real Chromium (Debian's, via playwright-core).
 *
 *   npx tsx scripts/bench/navigation.ts [--rounds 10] [--pause 300]
 *
 * Starts the app the way `npm start` does (scripts/lib/stack.ts; a fresh database with the demo workspace), signs in
 * through the login form, then walks a loop of the SPA's own links `--rounds` times:
 *   dashboard → pipeline → opportunities ("List view") → a deal (first row) → accounts → an account (first row)
 *   → contacts → leads → dashboard …
 * Each step is timed inside the page, from the link's pointerdown to the first frame in which the target page's main
 * content is on screen: its h1, its first row (lists), card (board) or record header (detail), and no loading
 * skeleton left in <main>. The mouse rests on the link for `--pause` ms before the click (a person's pointer reaches
 * a link before it clicks; intent-based prefetch may use that time, as it would for a person).
 * Prints p50 / p95 / max per page beside the 150 ms goal. Headless Chromium on this machine's 2 cores, no GPU, and
 * `wrangler dev` (about 6 ms a request over production): absolute numbers are pessimistic.
 */
import { randomBytes } from "node:crypto";
import { existsSync, rmSync } from "node:fs";
import { chromium, type Locator, type Page } from "playwright-core";
import { createDatabase, dropDatabase, isReachable, startEmbeddedPostgres } from "../lib/database";
import { startStack } from "../lib/stack";

const args = process.argv.slice(2);
const arg = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const ROUNDS = arg("rounds", 10);
const PAUSE = arg("pause", 300);
const GOAL_MS = 150;
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const WORK = `.tmp/bench-navigation-${process.pid}`;
/** An already running app (e.g. `npm start`) instead of a fresh one: --url http://localhost:8787 */
const EXISTING_URL = (() => {
  const i = args.indexOf("--url");
  return i >= 0 ? args[i + 1] : undefined;
})();

const cleanups: (() => Promise<unknown>)[] = [];
async function cleanup() {
  for (const c of cleanups.reverse()) await c().catch((e) => console.error("cleanup:", e));
  cleanups.length = 0;
}
process.on("SIGINT", () => void cleanup().then(() => process.exit(130)));

function quantile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

/** What "the page's main content is rendered" means, per page: a selector inside <main> that must exist. */
interface Step {
  page: string;
  /** The link to click on the current page. */
  link: (page: Page) => Locator;
  path: RegExp;
  ready: string;
  /** The new page's h1 (lists and boards); a detail page's h1 is the record's name, only required to be new. */
  title?: string;
}

const nav = (name: string) => (page: Page) => page.locator("header, nav").getByRole("link", { name, exact: true }).first();
const firstRow = (page: Page) => page.locator("main table tbody tr a[href]").first();

const STEPS: Step[] = [
  { page: "dashboard", link: nav("Dashboard"), path: /^\/dashboard$/, ready: "#forecast-title", title: "Dashboard" },
  { page: "pipeline", link: nav("Pipeline"), path: /^\/pipeline$/, ready: "[data-card-id]", title: "Pipeline" },
  { page: "opportunities", link: (p) => p.locator("main").getByRole("link", { name: "List view" }), path: /^\/opportunities$/, ready: "table tbody tr", title: "Opportunities" },
  { page: "deal (detail)", link: firstRow, path: /^\/opportunities\/[0-9a-f-]+$/, ready: "h1" },
  { page: "accounts", link: nav("Accounts"), path: /^\/accounts$/, ready: "table tbody tr", title: "Accounts" },
  { page: "account (detail)", link: firstRow, path: /^\/accounts\/[0-9a-f-]+$/, ready: "h1" },
  { page: "contacts", link: nav("Contacts"), path: /^\/contacts$/, ready: "table tbody tr", title: "Contacts" },
  { page: "leads", link: nav("Leads"), path: /^\/leads$/, ready: "table tbody tr", title: "Leads" },
];

/** Installed once per document: stamps pointerdown on a link, then watches frames until the target is ready. */
const PROBE = `
  window.__nav = { start: 0, ready: 0, oldH1: null };
  document.addEventListener("pointerdown", (e) => {
    if (e.target instanceof Element && e.target.closest("a[href]")) {
      window.__nav.start = performance.now();
      window.__nav.ready = 0;
      window.__nav.oldH1 = document.querySelector("main#main h1");
    }
  }, true);
  // Ready = the new page's own h1 (not the old page's, which stays up while the next route loads) and content.
  window.__watch = (pathSource, selector, title) => {
    const path = new RegExp(pathSource);
    const check = () => {
      const main = document.querySelector("main#main");
      const h1 = main && main.querySelector("h1");
      const ok = path.test(location.pathname) && h1 && h1 !== window.__nav.oldH1 && (!title || h1.textContent.trim() === title)
        && main.querySelector(selector) && !main.querySelector(".animate-pulse");
      if (ok) window.__nav.ready = performance.now();
      else requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  };
`;

async function main() {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`);
  let baseUrl = EXISTING_URL;
  if (!baseUrl) {
    let adminUrl = "postgres://postgres@127.0.0.1:5432/postgres";
    if (!(await isReachable(adminUrl))) {
      const embedded = await startEmbeddedPostgres({ dataDir: ".data/bench-postgres", port: 54331 });
      cleanups.push(embedded.stop);
      adminUrl = embedded.url;
    }
    const dbName = `bespoke_bench_nav_${process.pid}`;
    const databaseUrl = await createDatabase(adminUrl, dbName);
    cleanups.push(() => dropDatabase(adminUrl, dbName));
    cleanups.push(async () => rmSync(WORK, { recursive: true, force: true }));
    console.log(`Starting the app on a fresh demo database (${dbName})…`);
    const stack = await startStack({
      databaseUrl,
      jwtSecret: randomBytes(32).toString("base64url"),
      port: 0,
      persistTo: `${WORK}/wrangler`,
      assetsDir: `${WORK}/web`,
      vars: { ENVIRONMENT: "test" },
      stdio: "capture",
    });
    cleanups.push(() => stack.stop());
    baseUrl = stack.url;
  }

  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"] });
  cleanups.push(() => browser.close());
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, baseURL: baseUrl, locale: "en-US", timezoneId: "UTC" });
  context.setDefaultTimeout(30_000);
  await context.addInitScript(PROBE);
  const page = await context.newPage();
  // Where a navigation's time goes (main-thread script, style, layout), from Chromium's own counters.
  const cdp = await context.newCDPSession(page);
  await cdp.send("Performance.enable");
  const METRICS = ["ScriptDuration", "RecalcStyleDuration", "LayoutDuration", "TaskDuration"] as const;
  const metrics = async () => {
    const { metrics: list } = await cdp.send("Performance.getMetrics");
    return Object.fromEntries(list.filter((m) => (METRICS as readonly string[]).includes(m.name)).map((m) => [m.name, m.value * 1000])) as Record<(typeof METRICS)[number], number>;
  };
  const spent = new Map<string, Record<(typeof METRICS)[number], number>[]>();

  await page.goto("/login");
  await page.getByLabel("Email").fill("admin@demo.test");
  await page.getByLabel("Password", { exact: true }).fill("bespoke-demo");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.locator("main#main").waitFor();
  // Start from a settled dashboard (the loop's last step returns here).
  await page.goto("/leads");
  await page.locator("main table tbody tr").first().waitFor();
  await page.waitForTimeout(1000);

  const times = new Map<string, number[]>(STEPS.map((s) => [s.page, []]));
  const firstVisit = new Map<string, number>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const step of STEPS) {
      const link = step.link(page);
      await link.hover();
      await page.waitForTimeout(PAUSE);
      const before = await metrics();
      await page.evaluate(({ source, selector, title }) => (window as unknown as { __watch(p: string, s: string, t: string): void }).__watch(source, selector, title), { source: step.path.source, selector: step.ready, title: step.title ?? "" });
      await link.click();
      const handle = await page
        .waitForFunction(() => {
          const n = (window as unknown as { __nav: { start: number; ready: number } }).__nav;
          return n.ready > 0 && n.start > 0 ? n.ready - n.start : false;
        }, null, { timeout: 30_000, polling: 50 })
        .catch(async (error: unknown) => {
          await page.screenshot({ path: ".tmp/bench-navigation-failure.png" });
          console.error(await page.evaluate(() => JSON.stringify({ nav: (window as any).__nav, path: location.pathname, h1: !!document.querySelector("main#main h1"), pulse: document.querySelector("main#main .animate-pulse")?.outerHTML })));
          throw new Error(`${step.page} did not render (screenshot: .tmp/bench-navigation-failure.png): ${error instanceof Error ? error.message : error}`);
        });
      const ms = (await handle.jsonValue()) as number;
      const after = await metrics();
      const list = spent.get(step.page) ?? [];
      list.push(Object.fromEntries(METRICS.map((m) => [m, after[m] - before[m]])) as Record<(typeof METRICS)[number], number>);
      spent.set(step.page, list);
      times.get(step.page)!.push(ms);
      if (round === 0) firstVisit.set(step.page, ms);
      // Let background revalidation settle, as a reader would before the next click.
      await page.waitForTimeout(200);
    }
    process.stdout.write(`round ${round + 1}/${ROUNDS}\r`);
  }

  const all = [...times.values()].flat();
  const rows = [...times.entries()].map(([name, values]) => ({
    name,
    first: firstVisit.get(name)!,
    p50: quantile(values, 0.5),
    p95: quantile(values, 0.95),
    max: Math.max(...values),
  }));
  rows.push({ name: "all pages", first: Math.max(...firstVisit.values()), p50: quantile(all, 0.5), p95: quantile(all, 0.95), max: Math.max(...all) });
  const f = (n: number) => `${n.toFixed(0)} ms`.padStart(9);
  console.log(`\nClient-side navigation, click → main content rendered (${ROUNDS} rounds, ${PAUSE} ms hover before each click)\n`);
  console.log(`${"page".padEnd(18)} ${"1st visit".padStart(9)} ${"p50".padStart(9)} ${"p95".padStart(9)} ${"max".padStart(9)}   goal p95 ≤ ${GOAL_MS} ms`);
  for (const r of rows) {
    console.log(`${r.name.padEnd(18)} ${f(r.first)} ${f(r.p50)} ${f(r.p95)} ${f(r.max)}   ${r.p95 <= GOAL_MS ? "ok" : "OVER"}`);
  }
  console.log(`\nMain-thread time per navigation (median; includes work after the page was ready until the next sample)\n`);
  console.log(`${"page".padEnd(18)} ${"script".padStart(9)} ${"style".padStart(9)} ${"layout".padStart(9)} ${"all tasks".padStart(9)}`);
  for (const [name, list] of spent) {
    const med = (m: (typeof METRICS)[number]) => quantile(list.map((x) => x[m]), 0.5);
    console.log(`${name.padEnd(18)} ${f(med("ScriptDuration"))} ${f(med("RecalcStyleDuration"))} ${f(med("LayoutDuration"))} ${f(med("TaskDuration"))}`);
  }
}

main()
  .catch((error) => {
    console.error(error instanceof Error ? error.stack : error);
    process.exitCode = 1;
  })
  .finally(cleanup);
