/// <reference lib="dom" />
/**
 * The pipeline board at 1,000 cards, measured in a real Chromium (Debian's, via playwright-core).
 *
 *   npx tsx scripts/bench/board.ts [--cards 1000] [--runs 3]
 *
 * Starts the app the way `npm start` does (scripts/lib/stack.ts) on a fresh database (the local PostgreSQL at
 * 127.0.0.1:5432, else the embedded one), seeds the demo workspace plus `--cards` open deals (half of them in the
 * first stage, so one column holds 500 cards: the API's per-column default), then measures the board twice —
 * windowed columns (what ships) and every card mounted (`bespoke.board.virtualizeAfter` set very high) — and
 * prints the two side by side. All times come from performance.now() inside the page:
 *   - board ready: navigation start → cards in the DOM and two animation frames later (median of --runs loads);
 *   - long tasks during load (PerformanceObserver "longtask", > 50 ms each) — what makes a page feel stuck;
 *   - keyboard drag: Space on a card's handle, then 10 × ArrowDown and ArrowRight/Left; each step from the key
 *     event to the frame after React committed (p50 / max);
 *   - mouse drag across three columns: frame-to-frame gaps while the pointer moves (p50 / p95 / max);
 *   - scrolling the 500-card column to its end: frame gaps.
 * Headless Chromium on this machine's 2 cores, no GPU: absolute numbers are pessimistic; compare the columns.
 */
import { existsSync } from "node:fs";
import pg from "pg";
import { chromium, type Page } from "playwright-core";
import { startFreshStack } from "./fresh-stack";

const args = process.argv.slice(2);
const arg = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const CARDS = arg("cards", 1000);
const RUNS = arg("runs", 3);
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const WORK = `.tmp/bench-board-${process.pid}`;
const FULL_RENDER = 1_000_000;

const cleanups: (() => Promise<unknown>)[] = [];
async function cleanup() {
  for (const c of cleanups.reverse()) await c().catch((e) => console.error("cleanup:", e));
  cleanups.length = 0;
}
process.on("SIGINT", () => void cleanup().then(() => process.exit(130)));

function quantile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}
const median = (values: number[]) => quantile(values, 0.5);
const ms = (n: number) => (Number.isFinite(n) ? `${n.toFixed(1)} ms` : "—");

async function seedCards(databaseUrl: string, count: number): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const ws = (await client.query<{ id: string }>("select id from workspaces order by created_at limit 1")).rows[0]!.id;
    const stages = (await client.query<{ id: string }>("select s.id from pipeline_stages s join pipelines p on p.id = s.pipeline_id and p.is_default and p.deleted_at is null where s.workspace_id = $1 and s.kind = 'open' and s.deleted_at is null order by s.position", [ws])).rows;
    const users = (await client.query<{ id: string }>("select id from users where workspace_id = $1", [ws])).rows;
    const accounts = (await client.query<{ id: string }>("select id from accounts where workspace_id = $1 and deleted_at is null", [ws])).rows;
    // Half the deals in the first stage (one 500-card column), the rest spread over the other open stages.
    const stageFor = (i: number) => (i < count / 2 ? stages[0]! : stages[1 + (i % (stages.length - 1))]!);
    const values: unknown[] = [];
    const rows: string[] = [];
    for (let i = 0; i < count; i++) {
      const base = values.length;
      rows.push(`($${base + 1}, $${base + 2}, $${base + 3}, $${base + 4}, $${base + 5}, 'USD', $${base + 6}, $${base + 7}, $${base + 8}, now() - ($${base + 9} || ' days')::interval)`);
      values.push(ws, `Bench deal ${String(i + 1).padStart(4, "0")} — ${["Platform licence", "Expansion", "Pilot", "Annual renewal"][i % 4]}`, accounts[i % accounts.length]!.id, users[i % users.length]!.id, stageFor(i).id, 1_000_00 * (5 + (i % 200)), `2027-0${1 + (i % 9)}-1${i % 9}`, (i + 1) * 1024, String(i % 60));
      if (rows.length === 200 || i === count - 1) {
        await client.query(
          `insert into opportunities (workspace_id, name, account_id, owner_id, stage_id, currency, amount, close_date, position, stage_entered_at) values ${rows.join(",")}`,
          values,
        );
        rows.length = 0;
        values.length = 0;
      }
    }
  } finally {
    await client.end();
  }
}

interface Result {
  readyMs: number[];
  longTasksMs: number[];
  cardsInDom: number;
  keyboardStepMs: number[];
  dragFrameMs: number[];
  scrollFrameMs: number[];
}

/** Records frame-to-frame gaps until `stop()` (a rAF loop in the page). */
const FRAME_RECORDER = `
  window.__frames = [];
  window.__recording = true;
  let last = performance.now();
  const tick = (t) => { window.__frames.push(t - last); last = t; if (window.__recording) requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
`;

async function measure(page: Page, baseUrl: string, token: string, virtualizeAfter: number | null): Promise<Result> {
  await page.addInitScript(
    ({ token, virtualizeAfter }) => {
      localStorage.setItem("bespoke.token", token);
      if (virtualizeAfter) localStorage.setItem("bespoke.board.virtualizeAfter", String(virtualizeAfter));
      else localStorage.removeItem("bespoke.board.virtualizeAfter");
      const w = window as unknown as { __longTasks: number[]; __ready?: number };
      w.__longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.__longTasks.push(e.duration);
      }).observe({ type: "longtask", buffered: true });
      const observer = new MutationObserver(() => {
        if (document.querySelector("[data-card-id]")) {
          observer.disconnect();
          requestAnimationFrame(() => requestAnimationFrame(() => (w.__ready = performance.now())));
        }
      });
      observer.observe(document, { childList: true, subtree: true });
    },
    { token, virtualizeAfter },
  );

  const result: Result = { readyMs: [], longTasksMs: [], cardsInDom: 0, keyboardStepMs: [], dragFrameMs: [], scrollFrameMs: [] };
  for (let run = 0; run < RUNS; run++) {
    await page.goto(`${baseUrl}/pipeline`);
    await page.waitForFunction(() => (window as unknown as { __ready?: number }).__ready !== undefined, null, { timeout: 60_000 }).catch(async (error: unknown) => {
      await page.screenshot({ path: ".tmp/bench-board-failure.png" });
      throw new Error(`The board did not render (screenshot: .tmp/bench-board-failure.png): ${error instanceof Error ? error.message : error}`);
    });
    await page.waitForTimeout(500);
    const load = await page.evaluate(() => {
      const w = window as unknown as { __longTasks: number[]; __ready: number };
      return { ready: w.__ready, longTasks: w.__longTasks.reduce((a, b) => a + b, 0), cards: document.querySelectorAll("[data-card-id]").length };
    });
    result.readyMs.push(load.ready);
    result.longTasksMs.push(load.longTasks);
    result.cardsInDom = load.cards;
  }

  // Keyboard drag: lift the first card of the 500-card column and walk it down, then across.
  const handle = page.locator('[aria-roledescription="draggable deal"]').first();
  await handle.focus();
  await page.keyboard.press("Space");
  await page.waitForTimeout(300);
  const keys = [...Array(10).fill("ArrowDown"), "ArrowRight", "ArrowRight", "ArrowLeft", "ArrowLeft"];
  for (const code of keys) {
    const step = await page.evaluate(
      (code) =>
        new Promise<number>((resolve) => {
          const t0 = performance.now();
          (document.activeElement ?? document.body).dispatchEvent(new KeyboardEvent("keydown", { code, key: code, bubbles: true, cancelable: true }));
          requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - t0), 0));
        }),
      code,
    );
    result.keyboardStepMs.push(step);
    await page.waitForTimeout(120);
  }
  await page.keyboard.press("Escape");
  await page.waitForTimeout(300);

  // Mouse drag from the first column across three columns, recording frame gaps.
  const card = page.locator("[data-card-id]").first();
  const box = (await card.boundingBox())!;
  await page.evaluate(FRAME_RECORDER);
  await page.mouse.move(box.x + 40, box.y + 40);
  await page.mouse.down();
  await page.mouse.move(box.x + 60, box.y + 50, { steps: 4 });
  for (let i = 1; i <= 60; i++) await page.mouse.move(box.x + 60 + i * 15, box.y + 50 + (i % 10) * 12);
  await page.mouse.up();
  result.dragFrameMs = await page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __recording: boolean };
    w.__recording = false;
    return w.__frames.slice(1);
  });
  // The drop opened the reason dialog (another stage): cancel it.
  await page.keyboard.press("Escape");
  await page.waitForTimeout(300);

  // Scroll the long column to its end, 240 px per frame.
  await page.evaluate(FRAME_RECORDER);
  // A string, not a function: tsx would wrap the inner named arrow in a helper the page does not have.
  await page.evaluate(`new Promise((resolve) => {
    const list = document.querySelector("section[data-stage-id] [data-card-scroller]");
    function step() {
      list.scrollTop += 240;
      if (list.scrollTop + list.clientHeight >= list.scrollHeight - 1) resolve();
      else requestAnimationFrame(step);
    }
    requestAnimationFrame(step);
  })`);
  result.scrollFrameMs = await page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __recording: boolean };
    w.__recording = false;
    return w.__frames.slice(1);
  });
  return result;
}

async function main() {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`);
  const { stack, databaseUrl } = await startFreshStack({ name: "board", work: WORK, cleanups });
  await seedCards(databaseUrl, CARDS);
  const login = await fetch(`${stack.url}/api/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: "user@demo.test", password: "bespoke-demo" }) });
  const { token } = (await login.json()) as { token: string };
  const board = (await (await fetch(`${stack.url}/api/opportunities/pipeline`, { headers: { authorization: `Bearer ${token}` } })).json()) as { stages: { name: string; cards: unknown[] }[] };
  const onBoard = board.stages.reduce((n, s) => n + s.cards.length, 0);
  console.log(`Board: ${onBoard} cards (${board.stages.map((s) => `${s.name} ${s.cards.length}`).join(", ")})\n`);

  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"] });
  cleanups.push(() => browser.close());
  const results: Record<string, Result> = {};
  for (const [label, threshold] of [["windowed (ships)", null], ["every card mounted", FULL_RENDER]] as const) {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    results[label] = await measure(page, stack.url, token, threshold);
    await context.close();
  }

  const labels = Object.keys(results);
  const rows: [string, (r: Result) => string][] = [
    ["cards in the DOM", (r) => String(r.cardsInDom)],
    [`board ready (median of ${RUNS})`, (r) => ms(median(r.readyMs))],
    ["long tasks during load (median)", (r) => ms(median(r.longTasksMs))],
    ["keyboard drag step p50", (r) => ms(median(r.keyboardStepMs))],
    ["keyboard drag step max", (r) => ms(Math.max(...r.keyboardStepMs))],
    ["mouse drag frame p50", (r) => ms(median(r.dragFrameMs))],
    ["mouse drag frame p95", (r) => ms(quantile(r.dragFrameMs, 0.95))],
    ["mouse drag frame max", (r) => ms(Math.max(...r.dragFrameMs))],
    ["scroll 500-card column frame p95", (r) => ms(quantile(r.scrollFrameMs, 0.95))],
    ["scroll 500-card column frame max", (r) => ms(Math.max(...r.scrollFrameMs))],
  ];
  const w0 = Math.max(...rows.map((r) => r[0].length));
  console.log(`${"".padEnd(w0)}  ${labels.map((l) => l.padStart(20)).join("  ")}`);
  for (const [name, get] of rows) console.log(`${name.padEnd(w0)}  ${labels.map((l) => get(results[l]!).padStart(20)).join("  ")}`);
}

main()
  .catch((error) => {
    console.error(error instanceof Error ? error.stack : error);
    process.exitCode = 1;
  })
  .finally(cleanup);
