/**
 * The nightly win-score job at scale: generates a workspace history with realistic dynamics
 * (tests/helpers/deal-history.ts: DEALS deals, a third of them open), then times the model fit (with its backtest) and
 * the scoring of every open deal, and prints the backtest beside the stage-probability baseline. Goal: scoring 200k
 * open deals in under a minute.
 *
 *   DEALS=20000 npx tsx scripts/bench/score.ts        # a fresh database bespoke_bench_score, dropped afterwards
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bespoke_bench npx tsx scripts/bench/score.ts   # at scale
 */
import { drizzle } from "drizzle-orm/node-postgres";
import { sql } from "drizzle-orm";
import pg from "pg";
import type { Executor } from "../../db/client";
import * as schema from "../../db/schema";
import { createDefaultPipeline } from "../../db/seed";
import { generateDealHistory } from "../../tests/helpers/deal-history";
import { fitScoreModel } from "../../worker/services/insights/fit-model";
import { batchStep, type Transactional } from "../../worker/services/insights/refresh";
import { scoreOpenDeals } from "../../worker/services/insights/score-open-deals";
import { createDatabase, dropDatabase, migrate } from "../lib/database";

/**
 * With BENCH_DATABASE_URL (e.g. the full-scale bespoke_bench of generate.ts): no generated history; the nightly job's
 * two steps run on that database's workspace as they stand — the fit on its closed deals, then every open deal
 * scored — and the real time for all of them is printed (nothing extrapolated).
 */
if (process.env.BENCH_DATABASE_URL) {
  const pool = new pg.Pool({ connectionString: process.env.BENCH_DATABASE_URL, max: 2 });
  const node = drizzle(pool, { schema });
  try {
    const [ws] = await node.select({ id: schema.workspaces.id }).from(schema.workspaces).limit(1);
    let t = performance.now();
    const fitted = await batchStep(node as unknown as Transactional, (tx) => fitScoreModel({ db: tx, workspaceId: ws!.id }));
    console.log(`fit (${fitted.kind}, ${fitted.closedDeals} closed deals, ${fitted.trainingRows} rows, with backtests): ${((performance.now() - t) / 1000).toFixed(1)} s`);
    t = performance.now();
    const scored = await scoreOpenDeals({ db: node as unknown as Transactional, workspaceId: ws!.id, model: fitted.model });
    console.log(`scored ${scored} open deals: ${((performance.now() - t) / 1000).toFixed(1)} s (goal for 200k: < 60 s)`);
  } finally {
    await pool.end();
  }
  process.exit(0);
}

const admin = process.env.BENCH_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const deals = Number(process.env.DEALS ?? 20_000);
const name = "bespoke_bench_score";
await dropDatabase(admin, name).catch(() => undefined);
const url = await createDatabase(admin, name);
await migrate(url);
const pool = new pg.Pool({ connectionString: url, max: 2 });
const node = drizzle(pool, { schema });
const db = node as unknown as Executor;
const tx = node as unknown as Transactional;
try {
  const [ws] = await db.insert(schema.workspaces).values({ name: "Bench", slug: "bench-score" }).returning();
  const stages = await createDefaultPipeline(db, ws!.id);
  const owners = await db
    .insert(schema.users)
    .values(Array.from({ length: 20 }, (_, i) => ({ workspaceId: ws!.id, role: "USER" as const, email: `o${i}@bench.test`, name: `Owner ${i}`, passwordHash: "x" })))
    .returning({ id: schema.users.id });
  let t = performance.now();
  // Spread over 150 days so about a third is still open today.
  const history = await generateDealHistory(db, { workspaceId: ws!.id, stages, owners: owners.map((o) => o.id), deals, days: 150, chunk: 2000 });
  const open = history.deals.filter((d) => d.won === null).length;
  console.log(`generated ${deals} deals (${open} open) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  await db.execute(sql`analyze`);
  t = performance.now();
  const fitted = await batchStep(tx, (t) => fitScoreModel({ db: t, workspaceId: ws!.id }));
  const fitS = (performance.now() - t) / 1000;
  t = performance.now();
  const scored = await scoreOpenDeals({ db: tx, workspaceId: ws!.id, model: fitted.model });
  const scoreS = (performance.now() - t) / 1000;
  const q = fitted.quality;
  const f = (v: number | null) => (v === null ? "—" : v.toFixed(3));
  console.log(`fit (${fitted.kind}, ${fitted.closedDeals} closed deals, ${fitted.trainingRows} rows, with backtest + slip backtest): ${fitS.toFixed(1)} s`);
  console.log(`scored ${scored} open deals: ${scoreS.toFixed(1)} s  → ${((scoreS / Math.max(1, scored)) * 200_000).toFixed(0)} s extrapolated to 200k open deals (goal < 60 s)`);
  console.log(`backtest (train ${q.trainDeals}, test ${q.testDeals}):  AUC ours ${f(q.ours.auc)} vs stage ${f(q.baseline.auc)}   Brier ours ${f(q.ours.brier)} vs stage ${f(q.baseline.brier)}   ECE ours ${f(q.ours.calibrationError)} vs stage ${f(q.baseline.calibrationError)}`);
  console.log(`slip detector: precision ${f(q.slip.precision)}, recall ${f(q.slip.recall)} over ${q.slip.candidates} deal-weeks`);
} finally {
  await pool.end();
  if (!process.env.KEEP) await dropDatabase(admin, name);
}
